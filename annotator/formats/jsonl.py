"""``jsonl``: one JSON object per document per line, with spaCy/Prodigy-shaped spans.

``{"id", "title", "text", "meta", "spans": [{"id", "start", "end", "label", "text",
"annotator", "note", "status", "created", "updated"}], "relations": []}``; ``text`` of a
span is ``document_text[start:end]``. ``status`` is the review status when exported; it is
read back as a verdict of the importing user when it differs from the project's.
Relations and document categories (spaCy's and Prodigy's ``cats``) in a file are counted
in the import report as not kept: the project holds neither.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

from annotator.formats.fields import (
    BadRecord,
    StableIds,
    get_dict,
    get_int,
    get_list,
    get_status,
    get_str,
    get_time,
    opt_str,
    uuid_or_none,
)
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    IncomingAnnotation,
    IncomingDocument,
    ParsedFile,
    Problem,
)
from annotator.formats.output import Output
from annotator.untrusted import UntrustedInput, load_json

NAME = "jsonl"
EXTENSION = ".jsonl"
RELATIONS = "relation(s) (the project has no relations yet)"
CATEGORIES = "document category label(s) ('cats')"

Build = Callable[[dict[str, Any], int, str, Counter[str]], IncomingDocument]
"""``build(record, line, source, skipped)``: one document of a line; counts what it drops."""


def document_object(document: ExportDocument) -> dict[str, Any]:
    text = document.text
    return {
        "id": document.id,
        "title": document.title,
        "text": text,
        "meta": document.meta,
        "spans": [
            {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": text[s.start : s.end],
                "annotator": s.annotator,
                "note": s.note,
                "status": s.status,
                "created": s.created,
                "updated": s.updated,
            }
            for s in document.spans
        ],
        "relations": [],
    }


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    with open(output.main, "wb") as handle:
        for document in documents:
            handle.write(orjson.dumps(document_object(document)) + b"\n")
            notes.documents += 1
            notes.annotations += len(document.spans)


def read(path: Path) -> ParsedFile:
    return read_lines(path, incoming_document)


def read_lines(path: Path, build: Build) -> ParsedFile:
    """One document per JSON line (blank lines skipped); a bad line is a problem of its own."""
    parsed = ParsedFile()
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = load_json(raw)
                if not isinstance(record, dict):
                    raise BadRecord("a line must hold a JSON object")
                parsed.documents.append(build(record, number, str(path), parsed.skipped))
            except (UntrustedInput, BadRecord) as exc:
                parsed.problems.append(Problem(str(path), number, str(exc)))
    return parsed


def count_unkept(record: dict[str, Any], skipped: Counter[str]) -> None:
    """Count a record's relations and document categories, which the project cannot hold."""
    cats = record.get("cats")
    found = {
        RELATIONS: len(get_list(record, "relations")),
        CATEGORIES: len(cats) if isinstance(cats, dict | list) else int(cats is not None),
    }
    skipped.update({reason: count for reason, count in found.items() if count})


def incoming_document(
    record: dict[str, Any], line: int, source: str, skipped: Counter[str]
) -> IncomingDocument:
    count_unkept(record, skipped)
    text = get_str(record, "text")
    document = IncomingDocument(
        line=line,
        id=uuid_or_none(record.get("id")),
        title=opt_str(record, "title"),
        text=text,
        meta=get_dict(record, "meta"),
        source=source,
    )
    if record.get("id") is not None and document.id is None:
        document.meta.setdefault("source_id", str(record["id"]))
    key = document.id or text
    make_id = StableIds()
    for item in get_list(record, "spans"):
        if not isinstance(item, dict):
            raise BadRecord("every span must be an object")
        start, end, label = get_int(item, "start"), get_int(item, "end"), get_str(item, "label")
        annotator = opt_str(item, "annotator")
        given = uuid_or_none(item.get("id"))
        document.annotations.append(
            IncomingAnnotation(
                id=given or make_id(key, start, end, label, annotator),
                start=start,
                end=end,
                label=label,
                line=line,
                annotator=annotator,
                note=opt_str(item, "note"),
                has_note="note" in item,
                created=get_time(item, "created"),
                updated=get_time(item, "updated"),
                passage=opt_str(item, "text"),
                synthetic_id=given is None,
                status=get_status(item),
            )
        )
    return document
