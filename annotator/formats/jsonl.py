"""``jsonl``: one JSON object per document per line, with spaCy/Prodigy-shaped spans.

``{"id", "title", "text", "meta", "spans": [{"id", "start", "end", "label", "text",
"annotator", "note", "status", "created", "updated"[, "rule"]}], "relations": [{"id",
"type", "from", "to", "annotator"}]}``; ``rule``, on a span accepted from a suggestion,
names the suggester's rule and is read back as its origin. ``text`` of a span is
``document_text[start:end]``, a
relation's ``from`` and ``to`` are span ids of the same line. ``status`` is the review
status when exported; it is read back as a verdict of the importing user when it differs
from the project's. Relations are read back (also Prodigy's, whose ``head_span`` and
``child_span`` name spans by offsets and label); document categories (spaCy's and
Prodigy's ``cats``) are counted in the import report as not kept.
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
from annotator.formats.links import add_relation
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
                **({"rule": s.rule} if s.rule else {}),
            }
            for s in document.spans
        ],
        "relations": [
            {"id": r.id, "type": r.type, "from": r.from_id, "to": r.to_id,
             "annotator": r.annotator}
            for r in document.relations
        ],
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
    """Count a record's document categories, which the project cannot hold."""
    cats = record.get("cats")
    count = len(cats) if isinstance(cats, dict | list) else int(cats is not None)
    if count:
        skipped[CATEGORIES] += count


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
    by_reference: dict[object, IncomingAnnotation] = {}
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
                rule=opt_str(item, "rule"),
            )
        )
        incoming = document.annotations[-1]
        if item.get("id") is not None:
            by_reference.setdefault(str(item["id"]), incoming)
        by_reference.setdefault((start, end, label), incoming)
    _relations(record, document, by_reference, skipped)
    return document


def _relations(record: dict[str, Any], document: IncomingDocument,
               spans: dict[object, IncomingAnnotation], skipped: Counter[str]) -> None:
    for item in get_list(record, "relations"):
        if not isinstance(item, dict):
            raise BadRecord("every relation must be an object")
        if "head_span" in item or "child_span" in item:  # Prodigy: ends by offsets and label
            add_relation(document, spans, given_id=item.get("id"), type=get_str(item, "label"),
                         source=_span_key(item, "head_span"),
                         target=_span_key(item, "child_span"), skipped=skipped)
            continue
        add_relation(document, spans, given_id=item.get("id"), type=get_str(item, "type"),
                     source=item.get("from"), target=item.get("to"), skipped=skipped,
                     annotator=opt_str(item, "annotator"))


def _span_key(item: dict[str, Any], key: str) -> tuple[int, int, str]:
    span = get_dict(item, key)
    return get_int(span, "start"), get_int(span, "end"), get_str(span, "label")
