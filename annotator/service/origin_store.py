"""The ``annotation_origin`` table: writing a decision on a suggestion, reading them back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, insert, select
from sqlalchemy.orm import Session

from annotator.models import Annotation, AnnotationOrigin, Annotator, Document
from annotator.service.base import aware
from annotator.service.payload import InOrigin
from annotator.service.upsert import matching
from annotator.suggest.outcomes import SuggestionOrigin

ORIGINS = cast(Table, AnnotationOrigin.__table__)


def record_origin(
    session: Session, *, document_pk: int, annotator_pk: int, outcome: str, rule: str,
    confidence: float | None, label: str, start: int, end: int, created: datetime,
    annotation_id: str | None = None,
) -> str:
    """Insert one decision; returns its id."""
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
    annotators: dict[str, int],
) -> int:
    """Insert the decisions not here yet (matched by id: they never change, so merging
    again adds nothing); returns how many were added."""
    present = {row[0] for row in matching(session, select(AnnotationOrigin.id),
                                          AnnotationOrigin.id, [o.id for o in incoming])}
    rows = [
        {"id": o.id, "document_id": documents[o.document], "annotation_id": o.annotation,
         "outcome": o.outcome, "rule": o.rule, "confidence": o.confidence, "label": o.label,
         "start": o.start, "end": o.end, "annotator_id": annotators[o.annotator],
         "created": o.created}
        for o in incoming if o.id not in present
    ]
    if rows:
        session.execute(insert(ORIGINS), rows)
    return len(rows)
