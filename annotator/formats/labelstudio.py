"""``labelstudio``: a JSON array of Label Studio tasks, and ``NAME.labelconfig.xml`` beside it.

Each task: ``id`` (its place in the file, from 1, as Label Studio's own exports and its
converters expect), ``data`` (``text``, ``title``, ``document_id``, ``meta``) and
``annotations``, one per annotator, with ``annotator`` (the name), ``created_at``/
``updated_at`` and ``result`` items ``{"id", "from_name": "label", "to_name":
"text", "type": "labels", "value": {"start", "end", "text", "labels": [label]}, "origin":
"manual"}`` plus our ``created``/``updated``. A note is a per-region ``TextArea`` result with
the same ``id`` (``from_name`` ``note``, ``value.text`` ``[note]``), which is how Label Studio
keeps text attached to a region. A relation is a result ``{"type": "relation", "from_id",
"to_id", "direction": "right", "labels": [type]}`` (plus our ``relation_id`` and
``annotator``) in the annotation of the annotator who made both its ends: Label Studio links
regions of one annotation only, so a relation between two annotators' regions is not
written (reported). Offsets are code points of ``data.text``. No
``completed_by`` is written: Label Studio resolves it to one of its own users by email and
refuses the whole import when none matches, while without it the annotations go to the
importing user.

The configuration gives each label its colour (``background``) and, when it has one, its
shortcut key (``hotkey``), and lists the relation types in ``<Relations>``. Reading
creates the labels of the configuration beside the file
(in its order) with that colour and key (labels the project has keep their own; see
:func:`annotator.service.labels.apply_label_styles`). Result ids that are uuids are kept;
other ids (Label Studio's own) get ids made from the document, the annotator and the
result id. Relation results become relations between their regions (``direction``
``left`` reversed; a relation without a label is counted as not kept). Predictions and
results of other types are counted as not imported.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import orjson

from annotator.formats.fields import (
    BadRecord,
    get_dict,
    get_int,
    get_list,
    get_str,
    get_time,
    opt_str,
    stable_id,
    uuid_or_none,
)
from annotator.formats.links import add_relation
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    ExportSpan,
    IncomingAnnotation,
    IncomingDocument,
    LabelStyle,
    ParsedFile,
    Problem,
)
from annotator.formats.output import Output
from annotator.untrusted import MAX_FILE, UntrustedInput, load_json, read_regular

NAME = "labelstudio"
EXTENSION = ".json"
CONFIG_SUFFIX = ".labelconfig.xml"
MAX_CONFIG = 4 << 20
"""Largest labelling config read (Label Studio's own are a few kilobytes)."""


def label_config(context: ExportContext) -> str:
    labels = "".join(
        f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)}"
        + (f" hotkey={quoteattr(label.key)}" if label.key else "")
        + "/>\n"
        for label in context.labels
    )
    kinds = "".join(f"    <Relation value={quoteattr(kind.name)}/>\n"
                    for kind in context.relation_types)
    return (
        "<View>\n"
        '  <Labels name="label" toName="text">\n'
        f"{labels}"
        "  </Labels>\n"
        + (f"  <Relations>\n{kinds}  </Relations>\n" if kinds else "")
        + '  <Text name="text" value="$text"/>\n'
        '  <TextArea name="note" toName="text" perRegion="true" editable="true"/>\n'
        "</View>\n"
    )


def _results(text: str, spans: list[ExportSpan]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for s in spans:
        results.append({
            "id": s.id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": s.start, "end": s.end, "text": text[s.start : s.end],
                      "labels": [s.label]},
            "origin": "manual", "created": s.created, "updated": s.updated,
        })
        if s.note:
            results.append({
                "id": s.id, "from_name": "note", "to_name": "text", "type": "textarea",
                "value": {"start": s.start, "end": s.end, "text": [s.note]},
                "origin": "manual",
            })
    return results


def _relation_results(document: ExportDocument, notes: ExportNotes
                      ) -> dict[str, list[dict[str, Any]]]:
    """Relation results by the annotator whose annotation holds both ends: Label Studio
    links regions of one annotation only."""
    owner = {s.id: s.annotator for s in document.spans}
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in document.relations:
        if owner[r.from_id] != owner[r.to_id]:
            notes.lose("relation(s) between annotations of two annotators (Label Studio links "
                       "regions of one annotation only): not written")
            continue
        results[owner[r.from_id]].append({
            "type": "relation", "from_id": r.from_id, "to_id": r.to_id, "direction": "right",
            "labels": [r.type], "relation_id": r.id, "annotator": r.annotator,
        })
    return results


def task(document: ExportDocument, number: int, notes: ExportNotes) -> dict[str, Any]:
    by_annotator: dict[str, list[ExportSpan]] = defaultdict(list)
    for span in document.spans:
        by_annotator[span.annotator].append(span)
    relations = _relation_results(document, notes)
    annotations = [
        {
            "annotator": name,
            "result": _results(document.text, spans) + relations.get(name, []),
            "was_cancelled": False,
            "ground_truth": False,
            "created_at": min(s.created for s in spans),
            "updated_at": max(s.updated for s in spans),
        }
        for name, spans in sorted(by_annotator.items())
    ]
    return {
        "id": number,
        "data": {"text": document.text, "title": document.title, "document_id": document.id,
                 "meta": document.meta},
        "annotations": annotations,
    }


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    output.side_file(CONFIG_SUFFIX).write_text(label_config(context), encoding="utf-8")
    with open(output.main, "wb") as handle:
        handle.write(b"[")
        for document in documents:
            handle.write(b"\n" if notes.documents == 0 else b",\n")
            handle.write(orjson.dumps(task(document, notes.documents + 1, notes)))
            notes.documents += 1
            notes.annotations += len(document.spans)
        handle.write(b"\n]\n")


def declared_labels(path: Path) -> tuple[list[str], dict[str, LabelStyle]]:
    """The labels of ``NAME.labelconfig.xml`` beside ``path`` (if it is there), in order,
    with the ``background`` colour and ``hotkey`` each ``<Label>`` gives.

    The config is untrusted: a regular file of at most MAX_CONFIG bytes (a pipe, device or
    link in its place refuses the import, unread), parsed without a DTD, entity expansion or
    the network; one that is not well-formed XML is ignored, as if absent."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    config = path.with_name(stem + CONFIG_SUFFIX)
    if not os.path.lexists(config):
        return [], {}
    root = _parse_config(read_regular(config, MAX_CONFIG))
    if root is None:
        return [], {}
    names: list[str] = []
    styles: dict[str, LabelStyle] = {}
    for node in root.iter("Label"):
        name = node.get("value")
        if not name:
            continue
        names.append(name)
        styles[name] = LabelStyle(color=node.get("background"), key=node.get("hotkey"))
    return names, styles


def _parse_config(data: bytes) -> Any:
    from lxml import etree  # python-docx's parser: loaded only when a config is read

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    # Label Studio writes no DTD; one here is there to declare entities, so nothing is read
    return None if root.getroottree().docinfo.internalDTD is not None else root


def read(path: Path) -> ParsedFile:
    names, styles = declared_labels(path)
    parsed = ParsedFile(labels=names, label_styles=styles)
    source = str(path)
    try:
        tasks = load_json(read_regular(path, MAX_FILE, follow=True))
    except UntrustedInput as exc:
        parsed.problems.append(Problem(source, 1, str(exc)))
        return parsed
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        parsed.problems.append(Problem(source, 1, "expected a JSON array of tasks"))
        return parsed
    for number, item in enumerate(tasks, start=1):
        try:
            if not isinstance(item, dict):
                raise BadRecord("a task must be an object")
            parsed.documents.append(_document(item, number, source, parsed))
        except BadRecord as exc:
            parsed.problems.append(Problem(source, number, f"task {number}: {exc}"))
    return parsed


def _annotator(block: dict[str, Any]) -> str | None:
    name = block.get("annotator")
    if isinstance(name, str) and name:
        return name
    who = block.get("completed_by")
    if isinstance(who, dict):
        for key in ("first_name", "email", "username"):
            if isinstance(who.get(key), str) and who[key].strip():
                return str(who[key]).strip()
        if isinstance(who.get("id"), int):
            return f"Label Studio user {who['id']}"
    if isinstance(who, int) and not isinstance(who, bool):
        return f"Label Studio user {who}"
    return None


def _document(
    item: dict[str, Any], number: int, source: str, parsed: ParsedFile
) -> IncomingDocument:
    data = get_dict(item, "data")
    text = get_str(data, "text")
    document = IncomingDocument(
        line=number, id=uuid_or_none(data.get("document_id")), title=opt_str(data, "title"),
        text=text, meta=get_dict(data, "meta"), source=source,
    )
    key = document.id or text
    if get_list(item, "predictions"):
        parsed.skipped["predictions (only annotations are imported)"] += len(item["predictions"])
    for block in get_list(item, "annotations"):
        if not isinstance(block, dict):
            raise BadRecord("every annotation must be an object")
        if block.get("was_cancelled") is True:
            parsed.skipped["cancelled annotations"] += 1
            continue
        annotator = _annotator(block)
        block_created = get_time(block, "created_at")
        block_updated = get_time(block, "updated_at")
        regions: dict[str, IncomingAnnotation] = {}
        notes: dict[str, str] = {}
        links: list[dict[str, Any]] = []
        for result in get_list(block, "result"):
            if not isinstance(result, dict):
                raise BadRecord("every result must be an object")
            kind = result.get("type")
            rid = str(result.get("id", ""))
            if kind == "relation":
                links.append(result)
                continue
            value = get_dict(result, "value")
            if kind == "textarea":
                texts = [t for t in get_list(value, "text") if isinstance(t, str)]
                notes[rid] = "\n".join(texts)
                continue
            if kind != "labels":
                parsed.skipped[f"results of type {kind!r}"] += 1
                continue
            labels = [v for v in get_list(value, "labels") if isinstance(v, str)]
            if not labels:
                raise BadRecord(f"result {rid!r} has no label")
            if len(labels) > 1:
                parsed.skipped["extra labels on one region (the first is kept)"] += len(labels) - 1
            start, end = get_int(value, "start"), get_int(value, "end")
            given = uuid_or_none(rid)
            regions[rid] = IncomingAnnotation(
                id=given or stable_id(key, annotator, rid, start, end),
                start=start, end=end, label=labels[0], line=number, annotator=annotator,
                has_note=True, created=get_time(result, "created") or block_created,
                updated=get_time(result, "updated") or block_updated,
                passage=opt_str(value, "text"), synthetic_id=given is None,
            )
        for rid, note in notes.items():
            if rid in regions:
                regions[rid].note = note
        document.annotations.extend(regions.values())
        _relations(links, document, regions, parsed)
    return document


def _relations(links: list[dict[str, Any]], document: IncomingDocument,
               regions: dict[str, IncomingAnnotation], parsed: ParsedFile) -> None:
    """Relation results between regions of one annotation: ``direction`` ``left`` points
    from ``to_id`` to ``from_id``; ``bi`` is read as ``from_id`` to ``to_id`` (counted)."""
    for link in links:
        kinds = [v for v in get_list(link, "labels") if isinstance(v, str) and v]
        if not kinds:
            parsed.skipped["relations without a label (a relation here has a type)"] += 1
            continue
        if len(kinds) > 1:
            parsed.skipped["extra labels on one relation (the first is kept)"] += len(kinds) - 1
        source, target = link.get("from_id"), link.get("to_id")
        direction = link.get("direction", "right")
        if direction == "left":
            source, target = target, source
        elif direction == "bi":
            parsed.skipped["two-way relations read as from_id -> to_id (not skipped)"] += 1
        add_relation(document, regions, given_id=link.get("relation_id"), type=kinds[0],
                     source=source, target=target, skipped=parsed.skipped,
                     annotator=opt_str(link, "annotator"))
