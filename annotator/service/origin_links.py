"""The ``relation_origin`` table: decisions on suggested links, written, read and merged
as :mod:`annotator.service.origin_store` does for suggested annotations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, insert, select
from sqlalchemy.orm import Session

from annotator.changes import ChangeSet
from annotator.models import Annotator, Document, Relation, RelationOrigin
from annotator.service.base import aware
from annotator.service.origin_store import check_rule, note_decisions
from annotator.service.payload import InLinkOrigin
from annotator.service.upsert import matching
from annotator.suggest.outcomes import ACCEPTED, LinkOrigin

LINK_ORIGINS = cast(Table, RelationOrigin.__table__)
End = tuple[str, int, int]
"""One end of a proposed link: label, start, end."""


def record_link_origin(
    session: Session, *, document_pk: int, annotator_pk: int, outcome: str, rule: str,
    confidence: float | None, type: str, source: End, target: End, created: datetime,
    relation_id: str | None = None,
) -> str:
    """Insert one decision on a suggested link; returns its id (rule names as for
    annotations: one line, refused otherwise)."""
    check_rule(rule)
    origin_id = str(uuid.uuid4())
    session.execute(insert(LINK_ORIGINS).values(
        id=origin_id, document_id=document_pk, relation_id=relation_id, outcome=outcome,
        rule=rule, confidence=confidence, type=type, **_ends(source, target),
        annotator_id=annotator_pk, created=created,
    ))
    return origin_id


def _ends(source: End, target: End) -> dict[str, Any]:
    return {"from_label": source[0], "from_start": source[1], "from_end": source[2],
            "to_label": target[0], "to_start": target[1], "to_end": target[2]}


def link_origin_query() -> Select[*tuple[Any, ...]]:
    """Link origins with their document's uuid, the analyst's name and whether the relation
    an accepted one became is live (itself not deleted: deleting an end deletes it)."""
    o = RelationOrigin
    return (
        select(o.id, Document.uuid, o.outcome, o.rule, o.confidence, o.type, o.from_label,
               o.from_start, o.from_end, o.to_label, o.to_start, o.to_end, Annotator.name,
               o.created, o.relation_id, Relation.deleted)
        .join(Document, o.document_id == Document.id)
        .join(Annotator, o.annotator_id == Annotator.id)
        .outerjoin(Relation, o.relation_id == Relation.id)
        .order_by(o.created, o.id)
    )


def link_origins_from_rows(rows: Iterable[Any]) -> list[LinkOrigin]:
    return [
        LinkOrigin(r[0], r[1], r[2], r[3], r[4], r[5], (r[6], int(r[7]), int(r[8])),
                   (r[9], int(r[10]), int(r[11])), r[12], aware(r[13]), r[14],
                   r[14] is not None and r[15] is not None and not r[15])
        for r in rows
    ]


def merge_link_origins(
    session: Session, incoming: Sequence[InLinkOrigin], documents: dict[str, int],
    annotators: dict[str, int], changes: ChangeSet,
) -> int:
    """Insert the decisions not here yet (matched by id; they never change); returns how
    many were added. A relation keeps one accepted origin, and one the merge left out (a
    twin folded within the source) takes none."""
    present = {row[0] for row in matching(session, select(RelationOrigin.id),
                                          RelationOrigin.id, [o.id for o in incoming])}
    named = [o.relation for o in incoming if o.relation is not None]
    taken = {row[0] for row in matching(
        session, select(RelationOrigin.relation_id).where(RelationOrigin.outcome == ACCEPTED),
        RelationOrigin.relation_id, named)}
    stored = {row[0] for row in matching(session, select(Relation.id), Relation.id, named)}
    rows = []
    for o in incoming:
        if o.id in present:
            continue
        if o.relation is not None:
            if o.relation in taken or o.relation not in stored:
                continue
            taken.add(o.relation)
        rows.append({"id": o.id, "document_id": documents[o.document],
                     "relation_id": o.relation, "outcome": o.outcome, "rule": o.rule,
                     "confidence": o.confidence, "type": o.type, **_ends(o.source, o.target),
                     "annotator_id": annotators[o.annotator], "created": o.created})
    if rows:
        session.execute(insert(LINK_ORIGINS), rows)
        note_decisions(session, changes, rows)
    return len(rows)
