"""Record formats – JSON Lines, JSON and CSV: one document per record.

A record has ``text`` (required, not blank), and optionally ``title``, ``id`` and ``meta``
(a JSON object; in CSV every column other than text/title/id becomes a string in meta). The
text is kept exactly as in the record, CRLF included: a record is data, not a file layout.
Other keys of a JSON record are not kept. One bad record fails the whole file.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from annotator.importing.decoding import decode_document_bytes
from annotator.importing.document import ExtractedDocument, ImportFailure
from annotator.untrusted import InvalidJson, UntrustedInput, check_meta, load_json

# A raw CR or LF cannot occur inside a JSON string, so any of them ends a record line.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CSV_DELIMITERS = (",", ";", "\t")
_RESERVED_COLUMNS = ("text", "title", "id")


def extract_jsonl(stem: str, data: bytes) -> list[ExtractedDocument]:
    """A .jsonl file: one JSON object per non-blank line."""
    text, _ = decode_document_bytes(data)
    documents: list[ExtractedDocument] = []
    for line_number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            continue
        where = f"line {line_number}"
        record = _parse_json(line, where)
        documents.append(_document(stem, "jsonl", record, len(documents) + 1, where))
    return documents


def extract_json(stem: str, data: bytes) -> list[ExtractedDocument]:
    """A .json file: one object, or an array of objects."""
    text, _ = decode_document_bytes(data)
    parsed = _parse_json(text, None)
    if isinstance(parsed, dict):
        return [_document(stem, "json", parsed, 1, None)]
    if not isinstance(parsed, list):
        raise ImportFailure(
            f"must hold a JSON object or an array of objects, not {_json_type(parsed)}"
        )
    if not parsed:
        raise ImportFailure("holds an empty array – no records to import")
    return [
        _document(stem, "json", record, number, f"record {number}")
        for number, record in enumerate(parsed, start=1)
    ]


def extract_csv(stem: str, data: bytes) -> list[ExtractedDocument]:
    """A .csv file with a header row that has a ``text`` column.

    The delimiter is ",", unless the header has none and has ";" or a tab instead.
    """
    text, _ = decode_document_bytes(data)
    # the default cap (128 KiB a field) would refuse long articles; the file size is capped
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    header_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    delimiter = next((d for d in _CSV_DELIMITERS if d in header_line), ",")
    # newline="" keeps CR/LF inside quoted fields as they are in the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        columns = [name.strip() for name in header]
        _check_header(columns)
        documents: list[ExtractedDocument] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"row at line {reader.line_num}"
            if len(row) != len(columns):
                raise ImportFailure(
                    f"{where}: has {len(row)} fields but the header has {len(columns)}"
                )
            cells = dict(zip(columns, row, strict=True))
            # an empty title or id cell means "none", as a missing key does in JSON
            record: dict[str, Any] = {
                key: cells[key] for key in _RESERVED_COLUMNS if cells.get(key, "") != ""
            }
            record["text"] = cells["text"]
            record["meta"] = {
                key: value for key, value in cells.items() if key not in _RESERVED_COLUMNS
            }
            documents.append(_document(stem, "csv", record, len(documents) + 1, where))
    except csv.Error as exc:
        raise ImportFailure(f"is not valid CSV (line {reader.line_num}: {exc})") from exc
    if not documents:
        raise ImportFailure("has a header but no rows to import")
    return documents


def _check_header(columns: list[str]) -> None:
    if "text" not in columns:
        shown = ", ".join(repr(name) for name in columns[:8])
        raise ImportFailure(f"has no 'text' column in its header row (columns: {shown})")
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise ImportFailure(f"has duplicate columns in its header row: {', '.join(duplicates)}")


def _parse_json(text: str, where: str | None) -> Any:
    try:
        return load_json(text)
    except InvalidJson as exc:
        position = f"line {exc.line} column {exc.column}" if where is None else (
            f"{where} column {exc.column}"
        )
        raise ImportFailure(f"has invalid JSON at {position}: {exc.reason}") from exc
    except UntrustedInput as exc:
        prefix = f"{where}: " if where else ""
        raise ImportFailure(f"{prefix}{exc}") from exc


def _document(
    stem: str, format_name: str, record: Any, number: int, where: str | None
) -> ExtractedDocument:
    prefix = f"{where}: " if where else ""
    if not isinstance(record, dict):
        raise ImportFailure(f"{prefix}a record must be a JSON object, not {_json_type(record)}")
    text = record.get("text")
    if text is None:
        raise ImportFailure(f"{prefix}the record has no 'text'")
    if not isinstance(text, str):
        raise ImportFailure(f"{prefix}'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise ImportFailure(f"{prefix}'text' is empty")
    if "\x00" in text:
        raise ImportFailure(f"{prefix}'text' contains a NUL character")
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise ImportFailure(f"{prefix}'title' must be a string, not {_json_type(title)}")
    external_id = record.get("id")
    if isinstance(external_id, bool) or not isinstance(external_id, str | int | None):
        raise ImportFailure(
            f"{prefix}'id' must be a string or an integer, not {_json_type(external_id)}"
        )
    meta = record.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise ImportFailure(f"{prefix}'meta' must be a JSON object, not {_json_type(meta)}")
    try:
        check_meta(meta, "'meta'")
    except UntrustedInput as exc:
        raise ImportFailure(f"{prefix}{exc}") from exc
    return ExtractedDocument(
        title=(title or "").strip() or f"{stem} #{number}",
        text=text,
        format=format_name,
        meta=meta or {},
        external_id=None if external_id is None else str(external_id),
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
