"""The review workflow over a colleague's layer: accept, reject, queue, summary, matching.

"Reviewed by me" means the current user has given an ``accepted`` or ``rejected``
verdict; comments alone leave an annotation in the queue.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from annotator.changes import ADDED
from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Review
from annotator.records import AnnotationRecord, ReviewRecord
from annotator.review_records import GOLD, MatchReport, ReviewSummary
from annotator.service.changelog import note_annotations, note_reviews
from annotator.service.gold import GoldMixin, ensure_gold
from annotator.service.hidden import in_live_document
from annotator.service.reviews import add_review, latest_verdicts

VERDICT_ORDER = (Review.created, Review.id)


class ReviewWorkflowMixin(GoldMixin):
    def accept(
        self, annotation_id: str, comment: str | None = None, to_gold: bool = False
    ) -> ReviewRecord:
        """Accept an annotation as the current user; ``to_gold`` also copies it to gold."""
        return self._verdict(annotation_id, "accepted", comment, to_gold)

    def reject(self, annotation_id: str, comment: str | None = None) -> ReviewRecord:
        """Reject an annotation as the current user."""
        return self._verdict(annotation_id, "rejected", comment, False)

    def my_verdicts(self, colleague: str | None = None) -> dict[str, str]:
        """``{annotation id: "accepted" | "rejected" | "commented"}`` by the current user.

        The latest accepted/rejected verdict counts; "commented" means comments only.
        Optionally only for one colleague's annotations.
        """
        query = (
            select(Review.annotation_id, Review.verdict)
            .join(Annotator, Review.reviewer_id == Annotator.id)
            .where(Annotator.name == self.user)
            .order_by(*VERDICT_ORDER)
        )
        if colleague is not None:
            owner = select(Annotator.id).where(Annotator.name == colleague).scalar_subquery()
            query = query.join(Annotation, Annotation.id == Review.annotation_id).where(
                Annotation.annotator_id == owner
            )
        mine: dict[str, str] = {}
        with self._reading() as session:
            for annotation_id, verdict in session.execute(query):
                if verdict in ("accepted", "rejected"):
                    mine[annotation_id] = verdict
                elif verdict == "comment":
                    mine.setdefault(annotation_id, "commented")
        return mine

    def review_queue(
        self, colleague: str, document_id: str | None = None
    ) -> list[AnnotationRecord]:
        """The colleague's live annotations the current user has not accepted or rejected,
        in document order: what review mode steps through."""
        self._check_colleague(colleague)
        mine = self.my_verdicts(colleague)
        return [
            a for a in self.annotations(document_id, annotator=colleague)
            if mine.get(a.id, "commented") == "commented"
        ]

    def review_summary(self, colleague: str) -> ReviewSummary:
        """How far the current user got reviewing the colleague's annotations."""
        self._check_colleague(colleague)
        ids = [a.id for a in self.annotations(annotator=colleague)]
        mine = self.my_verdicts(colleague)
        counts = Counter(mine.get(i, "none") for i in ids)
        verdicts = latest_verdicts()
        with self._reading() as session:
            statuses = dict(
                session.execute(
                    select(verdicts.c.annotation_id, verdicts.c.verdict)
                    .join(Annotation, Annotation.id == verdicts.c.annotation_id)
                    .join(Annotator, Annotation.annotator_id == Annotator.id)
                    .where(Annotator.name == colleague, ~Annotation.deleted)
                ).all()
            )
        overall = Counter(statuses.get(i, "pending") for i in ids)
        return ReviewSummary(
            colleague, self.user, len(ids), counts["accepted"], counts["rejected"],
            counts["commented"], counts["none"],
            {s: overall[s] for s in ("pending", "accepted", "rejected")},
        )

    def accept_all_matching(self, colleague: str, to_gold: bool = False) -> MatchReport:
        """Accept every colleague annotation identical (document, span, label) to one of the
        current user's own; annotations already accepted or rejected by the user are left."""
        self._check_colleague(colleague)
        mine = self.my_verdicts(colleague)
        accepted = already = unmatched = copied = 0
        reviewed: list[str] = []
        gold: list[str] = []
        with self._writing(f"accept {colleague}'s matching annotations") as (session, changes):
            reviewer = self._annotator_pk(session, self.user)
            own = {
                tuple(row)
                for row in session.execute(
                    select(Annotation.document_id, Annotation.start, Annotation.end,
                           Annotation.label_id)
                    .where(Annotation.annotator_id == reviewer, ~Annotation.deleted)
                )
            }
            colleague_pk = self._annotator_pk(session, colleague)
            gold_pk = self._annotator_pk(session, GOLD) if to_gold else None
            rows = session.execute(
                select(Annotation.id, Annotation.document_id, Annotation.start, Annotation.end,
                       Annotation.label_id, Annotation.note)
                .where(Annotation.annotator_id == colleague_pk, ~Annotation.deleted,
                       in_live_document(Annotation.document_id))
            )
            for annotation_id, document_pk, start, end, label_pk, note in rows.all():
                if (document_pk, start, end, label_pk) not in own:
                    unmatched += 1
                    continue
                if mine.get(annotation_id) in ("accepted", "rejected"):
                    already += 1
                    continue
                add_review(session, annotation_id, reviewer, "accepted", None)
                reviewed.append(annotation_id)
                accepted += 1
                if gold_pk is not None:
                    gold_id, created = ensure_gold(
                        session, document_pk, start, end, label_pk, note, gold_pk
                    )
                    copied += created
                    if created:
                        gold.append(gold_id)
            session.flush()
            note_reviews(session, changes, reviewed)
            note_annotations(session, changes, gold, ADDED)
        return MatchReport(colleague, self.user, accepted, already, unmatched, copied)

    def _verdict(
        self, annotation_id: str, verdict: str, comment: str | None, to_gold: bool
    ) -> ReviewRecord:
        with self._writing(f"review: {verdict}") as (session, changes):
            review = self._add_review(session, annotation_id, verdict, comment)
            note_reviews(session, changes, [annotation_id])
            if to_gold:
                self._copy_to_gold(session, annotation_id, changes)
            return review

    def _check_colleague(self, colleague: str) -> None:
        if colleague == self.user:
            raise AnnotatorError(
                f"{colleague} is you; review a colleague's annotations (give their name)"
            )
        with self._reading() as session:
            if session.scalar(select(Annotator.id).where(Annotator.name == colleague)) is None:
                raise AnnotatorError(f"no annotator named {colleague!r} in this project")
