"""The ``annotation_origin`` table: writing a decision on a suggestion, reading them back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, insert, select
from sqlalchemy.orm import Session

from annotator.changes import ChangeSet
from annotator.errors import AnnotatorError
from annotator.formats.model import IncomingDocument
from annotator.models import Annotation, AnnotationOrigin, Annotator, Document, utcnow
from annotator.service.base import aware
from annotator.service.payload import InOrigin
from annotator.service.upsert import matching
from annotator.suggest.outcomes import ACCEPTED, SuggestionOrigin

ORIGINS = cast(Table, AnnotationOrigin.__table__)
MAX_RULE = 200


def check_rule(rule: str) -> None:
    """Refuse a rule name that is not one line of 1 to ``MAX_RULE`` characters."""
    if not rule.strip() or len(rule) > MAX_RULE or any(c in rule for c in "\t\n\r\x00"):
        raise AnnotatorError(f"a rule name is one line of 1 to {MAX_RULE} characters")


def record_origin(
    session: Session | Connection, *, document_pk: int, annotator_pk: int, outcome: str, rule: str,
    confidence: float | None, label: str, start: int, end: int, created: datetime,
    annotation_id: str | None = None,
) -> str:
    """Insert one decision; returns its id. The rule is a name (one line, as bundles
    require), refused otherwise."""
    check_rule(rule)
    origin_id = str(uuid.uuid4())
    session.execute(insert(ORIGINS).values(
        id=origin_id, document_id=document_pk, annotation_id=annotation_id, outcome=outcome,
        rule=rule, confidence=confidence, label=label, start=start, end=end,
        annotator_id=annotator_pk, created=created,
    ))
    return origin_id


def origin_query() -> Select[*tuple[Any, ...]]:
    """Origins with their document's uuid, the analyst's name and whether the annotation
    an accepted one became is live."""
    return (
        select(AnnotationOrigin.id, Document.uuid, AnnotationOrigin.outcome,
               AnnotationOrigin.rule, AnnotationOrigin.confidence, AnnotationOrigin.label,
               AnnotationOrigin.start, AnnotationOrigin.end, Annotator.name,
               AnnotationOrigin.created, AnnotationOrigin.annotation_id, Annotation.deleted)
        .join(Document, AnnotationOrigin.document_id == Document.id)
        .join(Annotator, AnnotationOrigin.annotator_id == Annotator.id)
        .outerjoin(Annotation, AnnotationOrigin.annotation_id == Annotation.id)
        .order_by(AnnotationOrigin.created, AnnotationOrigin.id)
    )


def origins_from_rows(rows: Iterable[Any]) -> list[SuggestionOrigin]:
    return [
        SuggestionOrigin(r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), int(r[7]), r[8],
                         aware(r[9]), r[10], r[10] is not None and r[11] is not None
                         and not r[11])
        for r in rows
    ]


def merge_origins(
    session: Session, incoming: Sequence[InOrigin], documents: dict[str, int],
    annotators: dict[str, int], changes: ChangeSet,
) -> int:
    """Insert the decisions not here yet (matched by id: they never change, so merging
    again adds nothing); returns how many were added."""
    present = {row[0] for row in matching(session, select(AnnotationOrigin.id),
                                          AnnotationOrigin.id, [o.id for o in incoming])}
    # An annotation has one origin: a second accepted one for it (a hostile or odd
    # source) is left out, so exports list each span once.
    taken = _accepted(session, [o.annotation for o in incoming if o.annotation is not None])
    fresh = []
    for o in incoming:
        if o.id in present or (o.annotation is not None and o.annotation in taken):
            continue
        if o.annotation is not None:
            taken.add(o.annotation)
        fresh.append(o)
    rows = [
        {"id": o.id, "document_id": documents[o.document], "annotation_id": o.annotation,
         "outcome": o.outcome, "rule": o.rule, "confidence": o.confidence, "label": o.label,
         "start": o.start, "end": o.end, "annotator_id": annotators[o.annotator],
         "created": o.created}
        for o in fresh
    ]
    if rows:
        session.execute(insert(ORIGINS), rows)
        note_decisions(session, changes, rows)
    return len(rows)


def note_decisions(session: Session, changes: ChangeSet,
                   rows: Sequence[dict[str, Any]]) -> None:
    """Log decisions inserted in bulk (rows with ``id`` and ``document_id``)."""
    pks = sorted({row["document_id"] for row in rows})
    query = select(Document.id, Document.uuid)
    if len(pks) <= 500:  # more: one scan costs less than long IN lists
        query = query.where(Document.id.in_(pks))
    uuids = dict(session.execute(query).all())
    for row in rows:
        changes.suggestion(row["id"], uuids[row["document_id"]])


def _accepted(session: Session, annotation_ids: Sequence[str]) -> set[str]:
    """Those of ``annotation_ids`` that already have an accepted origin."""
    query = select(AnnotationOrigin.annotation_id).where(AnnotationOrigin.outcome == ACCEPTED)
    return {row[0] for row in matching(session, query, AnnotationOrigin.annotation_id,
                                       list(annotation_ids))}


def import_origins(
    session: Session, documents: Sequence[IncomingDocument], pks: dict[int, int | None],
    changes: ChangeSet,
) -> int:
    """An accepted origin for each imported annotation whose file names its rule and that
    has none yet (importing again adds nothing); returns how many were added, each noted
    in ``changes`` as every decision is. The analyst is the annotation's annotator; the
    file carries no confidence."""
    named = {a.id: (index, a) for index, d in enumerate(documents) for a in d.annotations
             if a.rule and pks.get(index) is not None}
    if not named:
        return 0
    taken = _accepted(session, list(named))
    stored = {row[0]: row[1:] for row in matching(
        session, select(Annotation.id, Annotation.document_id, Annotation.annotator_id,
                        Annotation.deleted), Annotation.id, list(named))}
    now = utcnow()
    added: list[tuple[str, int]] = []
    for annotation_id, (_index, a) in named.items():
        row = stored.get(annotation_id)
        if annotation_id in taken or row is None or row[2] or a.rule is None:
            continue
        origin = record_origin(
            session, document_pk=row[0], annotator_pk=row[1], outcome=ACCEPTED, rule=a.rule,
            confidence=None, label=a.label, start=a.start, end=a.end, created=now,
            annotation_id=annotation_id)
        added.append((origin, row[0]))
    if added:
        pks_named = sorted({pk for _, pk in added})
        uuids: dict[int, str] = {}
        for at in range(0, len(pks_named), 500):
            uuids.update((row[0], row[1]) for row in session.execute(
                select(Document.id, Document.uuid).where(
                    Document.id.in_(pks_named[at:at + 500]))))
        for origin, pk in added:
            changes.suggestion(origin, str(uuids[pk]))
    return len(added)
