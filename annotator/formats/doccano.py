"""``doccano``: doccano's sequence-labelling JSONL, one document per line.

``{"id", "text", "label": [[start, end, "label"], ...], "title", "meta", "label_info"}``.
doccano reads ``text`` and ``label`` and keeps the other keys as metadata. ``label_info``
lists, in the same order as ``label``, each span's ``id``, ``annotator``, ``note``,
``created`` and ``updated``, so our own exports come back without loss. A document with
relations also gets doccano's relation-extraction keys: ``entities`` (the same spans, in
the same order, with ids 1, 2, ...) and ``relations`` (``id``, ``from_id``, ``to_id``,
``type``), with ``relation_info`` (our ``id`` and ``annotator`` of each) beside them.

Every text shape doccano itself exports is read (its ``data_export`` formatters):

- sequence labelling: ``label: [[start, end, "label"], ...]`` (older versions: ``labels``);
- sequence labelling with relations: ``entities: [{"id", "label", "start_offset",
  "end_offset"}]`` and ``relations: [{"id", "from_id", "to_id", "type"}]``;
- intent detection: ``entities: [[start, end, "label"], ...]`` and ``cats: ["label"]``;
- text classification and seq2seq: ``label: ["text", ...]``, labels of the whole document.

Spans from doccano get ids made from the document, offsets, label and annotator, and are
credited to the importing user. doccano writes an example's metadata as top-level keys:
those become the document's metadata. Relations are read back by entity id; what the
project cannot hold (document labels, ``cats``, doccano's document ``Comments``) is
counted in the import report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from annotator.formats.fields import (
    BadRecord,
    StableIds,
    get_dict,
    get_int,
    get_list,
    get_str,
    get_time,
    opt_str,
    uuid_or_none,
)
from annotator.formats.jsonl import count_unkept, read_lines
from annotator.formats.links import add_relation
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    IncomingAnnotation,
    IncomingDocument,
    ParsedFile,
)
from annotator.formats.output import Output

NAME = "doccano"
EXTENSION = ".jsonl"
DOCUMENT_LABELS = "document label(s) (doccano text classification or seq2seq 'label')"
COMMENTS = "document comment(s) (doccano 'Comments')"
# Keys with a meaning here; doccano's other top-level keys are the example's metadata.
KNOWN_KEYS = frozenset({"id", "text", "title", "meta", "label", "labels", "label_info",
                        "entities", "relations", "relation_info", "cats", "Comments"})


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    with open(output.main, "wb") as handle:
        for document in documents:
            record = {
                "id": document.id,
                "text": document.text,
                "label": [[s.start, s.end, s.label] for s in document.spans],
                "title": document.title,
                "meta": document.meta,
                "label_info": [
                    {"id": s.id, "annotator": s.annotator, "note": s.note,
                     "created": s.created, "updated": s.updated}
                    for s in document.spans
                ],
            }
            if document.relations:
                record.update(_relation_keys(document))
            handle.write(orjson.dumps(record) + b"\n")
            notes.documents += 1
            notes.annotations += len(document.spans)


def _relation_keys(document: ExportDocument) -> dict[str, Any]:
    """doccano's relation-extraction shape of the document's spans and relations."""
    number = {s.id: n for n, s in enumerate(document.spans, start=1)}
    return {
        "entities": [{"id": number[s.id], "label": s.label, "start_offset": s.start,
                      "end_offset": s.end} for s in document.spans],
        "relations": [{"id": n, "from_id": number[r.from_id], "to_id": number[r.to_id],
                       "type": r.type} for n, r in enumerate(document.relations, start=1)],
        "relation_info": [{"id": r.id, "annotator": r.annotator} for r in document.relations],
    }


def read(path: Path) -> ParsedFile:
    return read_lines(path, _document)


def _triple(item: Any, key: str) -> tuple[int, int, str]:
    if (not isinstance(item, list) or len(item) != 3 or not isinstance(item[2], str)
            or any(isinstance(v, bool) or not isinstance(v, int) for v in item[:2])):
        raise BadRecord(f"every {key!r} item must be [start, end, \"label\"]")
    return item[0], item[1], item[2]


def _spans(record: dict[str, Any], skipped: Counter[str]
           ) -> tuple[list[tuple[int, int, str]], list[object]]:
    """The spans, and the entity id of each (None where it has none)."""
    entities: list[tuple[int, int, str]] = []
    references: list[object] = []
    for item in get_list(record, "entities"):
        if isinstance(item, dict):
            entities.append((get_int(item, "start_offset"), get_int(item, "end_offset"),
                             get_str(item, "label")))
            references.append(item.get("id"))
        else:
            entities.append(_triple(item, "entities"))
            references.append(None)
    triples: list[tuple[int, int, str]] = []
    for key in ("label", "labels"):
        items = get_list(record, key)
        if items and all(isinstance(item, str) for item in items):
            skipped[DOCUMENT_LABELS] += len(items)
            continue
        triples.extend(_triple(item, key) for item in items)
    # Our own export states a document's spans in both shapes, in the same order.
    spans = triples if entities == triples else entities + triples
    comments = get_list(record, "Comments")
    if comments:
        skipped[COMMENTS] += len(comments)
    count_unkept(record, skipped)
    return spans, references


def _document(
    record: dict[str, Any], line: int, source: str, skipped: Counter[str]
) -> IncomingDocument:
    text = get_str(record, "text")
    raw_id = record.get("id")
    document = IncomingDocument(
        line=line, id=uuid_or_none(raw_id), title=opt_str(record, "title"), text=text,
        meta=get_dict(record, "meta"), source=source,
    )
    if raw_id is not None and document.id is None:
        document.meta.setdefault("source_id", str(raw_id))
    for key, value in record.items():
        if key not in KNOWN_KEYS:
            document.meta.setdefault(key, value)
    spans, references = _spans(record, skipped)
    info = get_list(record, "label_info")
    if info and len(info) != len(spans):
        raise BadRecord("'label_info' must have one entry per label")
    make_id = StableIds()
    key = document.id or text
    for position, (start, end, label) in enumerate(spans):
        extra = info[position] if info else {}
        if not isinstance(extra, dict):
            raise BadRecord("every 'label_info' entry must be an object")
        annotator = opt_str(extra, "annotator")
        given = uuid_or_none(extra.get("id"))
        document.annotations.append(
            IncomingAnnotation(
                id=given or make_id(key, start, end, label, annotator),
                start=start, end=end, label=label, line=line, annotator=annotator,
                note=opt_str(extra, "note"), has_note="note" in extra,
                created=get_time(extra, "created"), updated=get_time(extra, "updated"),
                synthetic_id=given is None,
            )
        )
    by_entity: dict[object, IncomingAnnotation] = {
        str(ref): a for ref, a in zip(references, document.annotations, strict=False)
        if ref is not None}
    info = get_list(record, "relation_info")
    links = get_list(record, "relations")
    if info and len(info) != len(links):
        raise BadRecord("'relation_info' must have one entry per relation")
    for position, item in enumerate(links):
        extra = info[position] if info else {}
        if not isinstance(item, dict) or not isinstance(extra, dict):
            raise BadRecord("every relation and 'relation_info' entry must be an object")
        add_relation(document, by_entity, given_id=extra.get("id"), type=get_str(item, "type"),
                     source=item.get("from_id"), target=item.get("to_id"), skipped=skipped,
                     annotator=opt_str(extra, "annotator"))
    return document
