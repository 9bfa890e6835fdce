"""Reviews of annotations: verdicts, comments, and the review status they add up to.

An annotation's status is the verdict of its latest ``accepted`` or ``rejected`` review, by
any reviewer, or ``pending`` when it has none; ``comment`` reviews leave the status alone.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Review, utcnow
from annotator.records import REOPENED, REVIEW_VERDICTS, ReviewRecord
from annotator.service.base import ProjectBase, aware
from annotator.service.changelog import note_reviews
from annotator.service.checks import check_storable


def latest_verdicts() -> Subquery:
    """``(annotation_id, verdict)`` of each annotation's latest accepted/rejected review,
    unless a ``reopened`` mark (its label or span changed) came after it.

    Join it with an outer join and read a missing row as ``pending``.
    """
    ranked = (
        select(
            Review.annotation_id.label("annotation_id"),
            Review.verdict.label("verdict"),
            func.row_number()
            .over(
                partition_by=Review.annotation_id,
                order_by=(Review.created.desc(), Review.id.desc()),
            )
            .label("rank"),
        )
        .where(Review.verdict.in_(("accepted", "rejected", REOPENED)))
        .subquery()
    )
    return (
        select(ranked.c.annotation_id, ranked.c.verdict)
        .where(ranked.c.rank == 1, ranked.c.verdict != REOPENED)
        .subquery()
    )


def _record(row: Any) -> ReviewRecord:
    return ReviewRecord(row[0], row[1], row[2], row[3], row[4], aware(row[5]))


class ReviewsMixin(ProjectBase):
    def review_annotation(
        self, annotation_id: str, verdict: str, comment: str | None = None
    ) -> ReviewRecord:
        """Record the current user's verdict (accepted, rejected or comment) on an annotation."""
        if verdict not in REVIEW_VERDICTS:
            raise AnnotatorError(
                f"unknown verdict {verdict!r}; use one of {', '.join(REVIEW_VERDICTS)}"
            )
        if verdict == "comment" and not (comment or "").strip():
            raise AnnotatorError("a comment review needs a comment")
        with self._writing(f"review: {verdict}") as (session, changes):
            review = self._add_review(session, annotation_id, verdict, comment)
            note_reviews(session, changes, [annotation_id])
            return review

    def reviews(
        self, annotation_id: str | None = None, reviewer: str | None = None
    ) -> list[ReviewRecord]:
        """Reviews, oldest first, optionally of one annotation and/or by one reviewer."""
        query = select(
            Review.id, Review.annotation_id, Annotator.name, Review.verdict, Review.comment,
            Review.created,
        ).join(Annotator, Review.reviewer_id == Annotator.id)
        if annotation_id is not None:
            query = query.where(Review.annotation_id == annotation_id)
        if reviewer is not None:
            query = query.where(Annotator.name == reviewer)
        with self._reading() as session:
            rows = session.execute(query.order_by(Review.created, Review.id))
            return [_record(row) for row in rows]

    def review_statuses(self, document_id: str | None = None) -> dict[str, str]:
        """``{annotation id: status}`` for annotations that have a verdict (others are pending)."""
        verdicts = latest_verdicts()
        query = select(verdicts.c.annotation_id, verdicts.c.verdict)
        with self._reading() as session:
            if document_id is not None:
                document_pk = self._document_pk(session, document_id)
                query = query.join(Annotation, Annotation.id == verdicts.c.annotation_id).where(
                    Annotation.document_id == document_pk
                )
            return {row[0]: row[1] for row in session.execute(query)}

    def _add_review(
        self, session: Session, annotation_id: str, verdict: str, comment: str | None
    ) -> ReviewRecord:
        """The current user's review of a live annotation, inside the caller's transaction."""
        self._live_annotation(session, annotation_id)
        reviewer_pk = self._annotator_pk(session, self.user)
        row = add_review(session, annotation_id, reviewer_pk, verdict, comment)
        return ReviewRecord(
            row.id, annotation_id, self.user, verdict, row.comment, aware(row.created)
        )


def add_review(
    session: Session, annotation_id: str, reviewer_pk: int, verdict: str, comment: str | None
) -> Review:
    """Record a review (no checks: the caller vouches for the annotation and reviewer)."""
    if comment is not None:
        check_storable(comment, "the comment")
    row = Review(id=str(uuid.uuid4()), annotation_id=annotation_id, reviewer_id=reviewer_pk,
                 verdict=verdict, comment=comment or None, created=utcnow())
    session.add(row)
    return row
