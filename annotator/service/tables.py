"""Reading a project's tables into the plain form that travels (see :mod:`payload`).

Plain SQL over any connection, so the same code reads this project (for a bundle) and a
colleague's project file opened read-only with :mod:`sqlite3`, whichever schema revision
it has (tables added by later revisions may be absent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from annotator.service.payload import format_time
from annotator.untrusted import stored_meta

Execute = Callable[[str], Iterable[Sequence[Any]]]


def iso(value: Any) -> str:
    """A stored time (datetime, or SQLite's text) as the ISO text bundles carry."""
    if isinstance(value, datetime):
        return format_time(value)
    return format_time(datetime.fromisoformat(str(value)))


def _meta(value: Any) -> Any:
    # Metadata beyond the bounds every file keeps travels as none, so that the bundle can
    # be written and a colleague can merge it.
    return stored_meta(value) or {}


def collect(
    execute: Execute, tables: set[str], users: Sequence[str] | None = None, *,
    document_edits: bool = True,
) -> dict[str, list[dict[str, Any]]]:
    """Every section of a payload; with ``users``, only their work.

    Deleted documents travel as tombstones, with when their title or deletion last changed
    (``document_edits``: the schema has those columns; older project files do not).

    Their work is their annotations, statuses, reviews, relations and decisions on
    suggestions (annotations and links), plus the annotations
    their reviews and relations are about (so none arrives without its annotation) and the
    history of all included annotations. Documents, labels and relation types are always
    included whole.
    """
    labels = [
        {"name": r[0], "color": r[1], "key": r[2], "description": r[3] or "",
         "order": int(r[4]), "removed": bool(r[5])}
        for r in execute(
            'SELECT name, color, "key", description, sort_order, removed FROM labels ORDER BY id'
        )
    ]
    edits = ", updated, deleted" if document_edits else ""
    documents = [
        {"id": r[0], "title": r[1], "text": r[2], "sha256": r[3], "file_name": r[4],
         "format": r[5], "meta": _meta(r[6]), "created": iso(r[7]),
         **({"updated": iso(r[8]), "deleted": bool(r[9])} if document_edits else {})}
        for r in execute(
            "SELECT uuid, title, text, sha256, file_name, format, meta, created"
            f"{edits} FROM documents ORDER BY id"
        )
    ]
    wanted = None if users is None else set(users)
    reviews = []
    if "reviews" in tables:
        reviews = [
            {"id": r[0], "annotation": r[1], "reviewer": r[2], "verdict": r[3],
             "comment": r[4], "created": iso(r[5])}
            for r in execute(
                "SELECT r.id, r.annotation_id, a.name, r.verdict, r.comment, r.created "
                "FROM reviews r JOIN annotators a ON a.id = r.reviewer_id "
                "ORDER BY r.created, r.id"
            )
            if wanted is None or r[2] in wanted
        ]
    reviewed = {r["annotation"] for r in reviews}
    relation_types, relations = _relations(execute, tables, wanted)
    reviewed |= {r[end] for r in relations for end in ("from", "to")}
    annotations = [
        {"id": r[0], "document": r[1], "start": int(r[2]), "end": int(r[3]), "label": r[4],
         "annotator": r[5], "note": r[6], "created": iso(r[7]), "updated": iso(r[8]),
         "deleted": bool(r[9])}
        for r in execute(
            'SELECT a.id, d.uuid, a.start, a."end", l.name, n.name, a.note, a.created, '
            "a.updated, a.deleted FROM annotations a "
            "JOIN documents d ON d.id = a.document_id JOIN labels l ON l.id = a.label_id "
            "JOIN annotators n ON n.id = a.annotator_id ORDER BY a.document_id, a.start, a.id"
        )
        if wanted is None or r[5] in wanted or r[0] in reviewed
    ]
    included = {a["id"] for a in annotations}
    statuses = [
        {"document": r[0], "annotator": r[1], "status": r[2], "updated": iso(r[3])}
        for r in execute(
            "SELECT d.uuid, n.name, s.status, s.updated FROM document_status s "
            "JOIN documents d ON d.id = s.document_id "
            "JOIN annotators n ON n.id = s.annotator_id ORDER BY s.id"
        )
        if wanted is None or r[1] in wanted
    ]
    history = []
    if "annotation_history" in tables:
        history = [
            {"annotation": r[0], "start": int(r[1]), "end": int(r[2]), "label": r[3],
             "annotator": r[4], "note": r[5], "deleted": bool(r[6]), "updated": iso(r[7]),
             "recorded": iso(r[8]), "reason": r[9]}
            for r in execute(
                'SELECT annotation_id, start, "end", label, annotator, note, deleted, updated, '
                "recorded, reason FROM annotation_history ORDER BY id"
            )
            if r[0] in included
        ]
    return {
        "labels": labels,
        "documents": documents,
        "annotations": annotations,
        "statuses": statuses,
        "reviews": reviews,
        "history": history,
        "relation_types": relation_types,
        "relations": relations,
        "origins": _origins(execute, tables, wanted, included),
        "link_origins": _link_origins(execute, tables, wanted, {r["id"] for r in relations}),
    }


def _origins(
    execute: Execute, tables: set[str], wanted: set[str] | None, included: set[str]
) -> list[dict[str, Any]]:
    """Decisions on suggestions (of ``wanted`` users) whose annotation, if any, travels."""
    if "annotation_origin" not in tables:
        return []
    return [
        {"id": r[0], "document": r[1], "annotation": r[2], "outcome": r[3], "rule": r[4],
         "confidence": r[5], "label": r[6], "start": int(r[7]), "end": int(r[8]),
         "annotator": r[9], "created": iso(r[10])}
        for r in execute(
            "SELECT o.id, d.uuid, o.annotation_id, o.outcome, o.rule, o.confidence, o.label, "
            'o.start, o."end", n.name, o.created FROM annotation_origin o '
            "JOIN documents d ON d.id = o.document_id "
            "JOIN annotators n ON n.id = o.annotator_id ORDER BY o.created, o.id"
        )
        if (wanted is None or r[9] in wanted) and (r[2] is None or r[2] in included)
    ]


def _link_origins(
    execute: Execute, tables: set[str], wanted: set[str] | None, included: set[str]
) -> list[dict[str, Any]]:
    """Decisions on suggested links (of ``wanted`` users) whose relation, if any, travels."""
    if "relation_origin" not in tables:
        return []
    return [
        {"id": r[0], "document": r[1], "relation": r[2], "outcome": r[3], "rule": r[4],
         "confidence": r[5], "type": r[6], "from_label": r[7], "from_start": int(r[8]),
         "from_end": int(r[9]), "to_label": r[10], "to_start": int(r[11]),
         "to_end": int(r[12]), "annotator": r[13], "created": iso(r[14])}
        for r in execute(
            "SELECT o.id, d.uuid, o.relation_id, o.outcome, o.rule, o.confidence, o.type, "
            "o.from_label, o.from_start, o.from_end, o.to_label, o.to_start, o.to_end, "
            "n.name, o.created FROM relation_origin o "
            "JOIN documents d ON d.id = o.document_id "
            "JOIN annotators n ON n.id = o.annotator_id ORDER BY o.created, o.id"
        )
        if (wanted is None or r[13] in wanted) and (r[2] is None or r[2] in included)
    ]


def _relations(
    execute: Execute, tables: set[str], wanted: set[str] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The relation types and relations (of ``wanted`` users), where the schema has them."""
    if "relations" not in tables:
        return [], []
    types = [
        {"name": r[0], "from_labels": _meta(r[1]) or [], "to_labels": _meta(r[2]) or [],
         "description": r[3] or "", "order": int(r[4]), "removed": bool(r[5])}
        for r in execute(
            "SELECT name, from_labels, to_labels, description, sort_order, removed "
            "FROM relation_types ORDER BY id"
        )
    ]
    relations = [
        {"id": r[0], "document": r[1], "from": r[2], "to": r[3], "type": r[4],
         "annotator": r[5], "created": iso(r[6]), "updated": iso(r[7]), "deleted": bool(r[8])}
        for r in execute(
            "SELECT r.id, d.uuid, r.from_id, r.to_id, t.name, n.name, r.created, r.updated, "
            "r.deleted FROM relations r JOIN documents d ON d.id = r.document_id "
            "JOIN relation_types t ON t.id = r.type_id "
            "JOIN annotators n ON n.id = r.annotator_id ORDER BY r.document_id, r.created, r.id"
        )
        if wanted is None or r[5] in wanted
    ]
    return types, relations
