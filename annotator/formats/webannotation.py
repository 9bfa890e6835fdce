"""``webannotation``: the W3C Web Annotation Data Model, as JSON-LD.

An ``AnnotationCollection`` (``@context`` ``http://www.w3.org/ns/anno.jsonld``) whose
embedded ``first`` page (``id`` ``urn:uuid:…``, ``partOf`` the collection) holds the
annotations as ``items``, and ``total``. Each annotation:
``id`` ``urn:uuid:…``, ``type`` ``Annotation``, ``motivation`` ``tagging``, ``creator``
(a ``Person`` with ``name``), ``created``/``modified`` (xsd:dateTime, UTC), ``body``: the
label as a ``TextualBody`` with purpose ``tagging`` and the note as one with purpose
``commenting``, and ``target``: ``source`` ``urn:sha256:<hex of the UTF-8 text>`` with a
``TextPositionSelector`` (code points) and a ``TextQuoteSelector`` (``exact``, and
``prefix``/``suffix`` of up to 32 code points).

The texts travel in the collection's ``documents`` list (``id`` = the same
``urn:sha256:…``, ``value`` = the text, ``title``, ``document_id``, ``meta``): a key the
Web Annotation context does not define, so JSON-LD processors drop it and plain W3C
consumers ignore it, while our import can create the documents.

A relation is an annotation with ``motivation`` ``linking`` (``id`` ``urn:uuid:…``,
``creator``), a ``TextualBody`` with purpose ``classifying`` naming its type, and
``target`` the ids of its two annotations, from first, to second (JSON keeps that order;
the Web Annotation context makes ``target`` an unordered set, so JSON-LD processors see the
pair without its direction).

On import, an annotation whose position does not match its quote is re-anchored at the
quote's one occurrence (prefix and suffix first, then the bare quote) and reported.
``linking`` annotations become relations between the annotations their targets name
(a ``tagging`` body also gives the type; other shapes are counted as not kept).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
from annotator.formats.links import UNLINKED, add_relation
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    ExportRelation,
    ExportSpan,
    IncomingAnnotation,
    IncomingDocument,
    ParsedFile,
    Problem,
)
from annotator.formats.output import Output
from annotator.untrusted import MAX_FILE, UntrustedInput, load_json, read_regular

NAME = "webannotation"
EXTENSION = ".jsonld"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_LENGTH = 32


def annotation(document: ExportDocument, span: ExportSpan) -> dict[str, Any]:
    text = document.text
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": span.label}
    ]
    if span.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": span.note})
    return {
        "id": f"urn:uuid:{span.id}",
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"type": "Person", "name": span.annotator},
        "created": span.created,
        "modified": span.updated,
        "body": body,
        "target": {
            "source": f"urn:sha256:{document.sha256}",
            "selector": [
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
                {
                    "type": "TextQuoteSelector",
                    "exact": text[span.start : span.end],
                    "prefix": text[max(0, span.start - CONTEXT_LENGTH) : span.start],
                    "suffix": text[span.end : span.end + CONTEXT_LENGTH],
                },
            ],
        },
    }


def link(relation: ExportRelation) -> dict[str, Any]:
    """A relation as a ``linking`` annotation whose targets are its two ends, in order."""
    return {
        "id": f"urn:uuid:{relation.id}",
        "type": "Annotation",
        "motivation": "linking",
        "creator": {"type": "Person", "name": relation.annotator},
        "body": [{"type": "TextualBody", "purpose": "classifying", "value": relation.type}],
        "target": [f"urn:uuid:{relation.from_id}", f"urn:uuid:{relation.to_id}"],
    }


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    # The texts go after the items; they are spooled to a side file so that only one
    # document is in memory at a time.
    handle_number, spool_name = tempfile.mkstemp(suffix=".part", dir=output.main.parent)
    os.close(handle_number)
    spool_path = Path(spool_name)
    try:
        with open(output.main, "wb") as handle, open(spool_path, "w+b") as spool:
            collection = f"urn:uuid:{context.collection_id}"
            head = {"@context": CONTEXT, "id": collection,
                    "type": "AnnotationCollection", "label": "Annotator export"}
            # The Web Annotation model requires an id on every page, embedded or not.
            page = {"id": f"urn:uuid:{stable_id(context.collection_id, 'page', 0)}",
                    "type": "AnnotationPage", "partOf": collection, "startIndex": 0}
            handle.write(orjson.dumps(head)[:-1])
            handle.write(b',"first":' + orjson.dumps(page)[:-1] + b',"items":[')
            total = 0
            for document in documents:
                items = [*(annotation(document, span) for span in document.spans),
                         *(link(relation) for relation in document.relations)]
                for item in items:
                    handle.write(b"\n" if total == 0 else b",\n")
                    handle.write(orjson.dumps(item))
                    total += 1
                notes.annotations += len(document.spans)
                spool.write(b"\n" if notes.documents == 0 else b",\n")
                spool.write(orjson.dumps({
                    "id": f"urn:sha256:{document.sha256}", "type": "Text",
                    "format": "text/plain", "title": document.title,
                    "document_id": document.id, "meta": document.meta, "value": document.text,
                }))
                notes.documents += 1
            handle.write(b"\n]},\n" + f'"total":{total},\n"documents":['.encode())
            spool.seek(0)
            shutil.copyfileobj(spool, handle)
            handle.write(b"\n]}\n")
    finally:
        spool_path.unlink(missing_ok=True)


def _items(collection: Any) -> list[Any]:
    if isinstance(collection, list):
        return collection
    if not isinstance(collection, dict):
        raise BadRecord("expected an AnnotationCollection, an Annotation or a list of them")
    if collection.get("type") == "Annotation":
        return [collection]
    items: list[Any] = []
    page = collection.get("first")
    while isinstance(page, dict):
        items.extend(get_list(page, "items"))
        page = page.get("next")
    items.extend(get_list(collection, "items"))
    return items


def read(path: Path) -> ParsedFile:
    parsed = ParsedFile()
    source = str(path)
    try:
        collection = load_json(read_regular(path, MAX_FILE, follow=True))
        items = _items(collection)
        texts = _documents(collection) if isinstance(collection, dict) else {}
    except (UntrustedInput, BadRecord) as exc:
        parsed.problems.append(Problem(source, 1, str(exc)))
        return parsed
    documents: dict[str, IncomingDocument] = {}
    for sha, entry in texts.items():
        documents[sha] = IncomingDocument(
            line=0, id=uuid_or_none(entry.get("document_id")), title=opt_str(entry, "title"),
            text=get_str(entry, "value"), meta=get_dict(entry, "meta"), source=source,
        )
    # Each annotation by its id in the file, within its document: what links point at.
    ends: dict[str, dict[str, IncomingAnnotation]] = {}
    by_item: dict[str, str] = {}
    links: list[tuple[int, dict[str, Any]]] = []
    for number, item in enumerate(items, start=1):
        try:
            if not isinstance(item, dict):
                raise BadRecord("an annotation must be an object")
            if item.get("motivation") == "linking":
                links.append((number, item))
                continue
            sha, incoming = _annotation(item, number)
            if sha not in documents:
                documents[sha] = IncomingDocument(line=number, sha256=sha, source=source)
            document = documents[sha]
            if item.get("id") is not None:
                by_item[str(item["id"])] = sha
                ends.setdefault(sha, {})[str(item["id"])] = incoming
            if incoming.synthetic_id:
                incoming.id = stable_id(document.id or sha, incoming.id)
            document.annotations.append(incoming)
        except BadRecord as exc:
            parsed.problems.append(Problem(source, number, f"annotation {number}: {exc}"))
    for number, item in links:
        try:
            _link(item, documents, by_item, ends, parsed)
        except BadRecord as exc:
            parsed.problems.append(Problem(source, number, f"annotation {number}: {exc}"))
    parsed.documents.extend(documents.values())
    return parsed


def _link(item: dict[str, Any], documents: dict[str, IncomingDocument], by_item: dict[str, str],
          ends: dict[str, dict[str, IncomingAnnotation]], parsed: ParsedFile) -> None:
    """A ``linking`` annotation of two targets (annotations of the file, by id) as the
    relation from the first to the second, its type the ``classifying`` (or ``tagging``)
    body."""
    targets = item.get("target")
    refs = [t.get("id") if isinstance(t, dict) else t
            for t in (targets if isinstance(targets, list) else [targets])]
    kinds = [b for b in _bodies(item) if b.get("purpose") in ("classifying", "tagging")]
    if len(refs) != 2 or not kinds:
        parsed.skipped["linking annotations without two targets and a classifying body"] += 1
        return
    sha = by_item.get(str(refs[0]))
    if sha is None:
        parsed.skipped[UNLINKED] += 1
        return
    add_relation(documents[sha], ends[sha],
                 given_id=str(item.get("id", "")).removeprefix("urn:uuid:"),
                 type=get_str(kinds[0], "value"), source=str(refs[0]), target=str(refs[1]),
                 skipped=parsed.skipped, annotator=_creator(item))


def _bodies(item: dict[str, Any]) -> list[dict[str, Any]]:
    bodies = item.get("body")
    if isinstance(bodies, dict):
        bodies = [bodies]
    return [b for b in bodies if isinstance(b, dict)] if isinstance(bodies, list) else []


def _creator(item: dict[str, Any]) -> str | None:
    creator = item.get("creator")
    if isinstance(creator, dict):
        return opt_str(creator, "name") or opt_str(creator, "nickname")
    return creator if isinstance(creator, str) else None


def _documents(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for entry in get_list(collection, "documents"):
        if not isinstance(entry, dict):
            raise BadRecord("every entry of 'documents' must be an object")
        sha = _sha(get_str(entry, "id"))
        found[sha] = entry
    return found


def _sha(source: str) -> str:
    if not source.startswith("urn:sha256:") or len(source) != 75:
        raise BadRecord(f"target source {source!r} is not urn:sha256:<64 hex digits>")
    return source[11:].lower()


def _annotation(item: dict[str, Any], number: int) -> tuple[str, IncomingAnnotation]:
    target = item.get("target")
    if isinstance(target, list) and target:
        target = target[0]
    if not isinstance(target, dict):
        raise BadRecord("the target must be an object with a source and selectors")
    sha = _sha(get_str(target, "source"))
    selectors = target.get("selector")
    if isinstance(selectors, dict):
        selectors = [selectors]
    position = quote = None
    for selector in selectors if isinstance(selectors, list) else []:
        if isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = (get_int(selector, "start"), get_int(selector, "end"))
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = (get_str(selector, "exact"), opt_str(selector, "prefix") or "",
                     opt_str(selector, "suffix") or "")
    if position is None and quote is None:
        raise BadRecord("no TextPositionSelector or TextQuoteSelector")
    label = None
    notes: list[str] = []
    for body in _bodies(item):
        if body.get("purpose") == "tagging" and label is None:
            label = get_str(body, "value")
        elif body.get("purpose") == "commenting":
            notes.append(get_str(body, "value"))
    if label is None:
        raise BadRecord("no body with purpose tagging (the label)")
    annotator = _creator(item)
    raw_id = str(item.get("id", ""))
    given = uuid_or_none(raw_id.removeprefix("urn:uuid:"))
    start, end = position if position is not None else (-1, -1)
    return sha, IncomingAnnotation(
        id=given or f"{raw_id}|{start}|{end}|{label}|{annotator}",
        start=start, end=end, label=label, line=number, annotator=annotator,
        note="\n".join(notes) or None, has_note=True,
        created=get_time(item, "created"), updated=get_time(item, "modified"),
        passage=quote[0] if quote is not None else None, synthetic_id=given is None,
        quote=quote,
    )
