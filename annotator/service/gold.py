"""The gold layer and curation: where annotators disagree, and what goes to gold.

Gold is simply the annotations of the annotator named ``gold`` (so every export and
filter works on it). Curation groups the compared users' overlapping annotations of a
document into clusters: a cluster where every user has the same spans with the same
labels is agreement, anything else a :class:`Disagreement`. Resolving one puts the chosen
spans into gold (replacing gold spans in that place); dismissing it records a
``dismissed`` review on each of its annotations, so dismissals travel in bundles and a
cluster that later changes is listed again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, ChangeSet
from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Review, utcnow
from annotator.records import AnnotationRecord
from annotator.review_records import DISMISSED, GOLD, Disagreement
from annotator.service.annotations import AnnotationsMixin, annotation_query, record_from_row
from annotator.service.base import aware
from annotator.service.changelog import note_annotations
from annotator.service.checks import check_span, clean_note
from annotator.service.hidden import in_live_document
from annotator.service.reviews import ReviewsMixin, add_review

SpanChoice = tuple[int, int, str]


def ensure_gold(
    session: Session, document_pk: int, start: int, end: int, label_id: int, note: str | None,
    gold_pk: int,
) -> tuple[str, bool]:
    """The id of the live gold annotation with that span and label, and whether it was
    created now (it is when missing)."""
    found = session.scalar(
        select(Annotation.id).where(
            Annotation.document_id == document_pk, Annotation.annotator_id == gold_pk,
            Annotation.start == start, Annotation.end == end, Annotation.label_id == label_id,
            ~Annotation.deleted,
        )
    )
    if found is not None:
        return str(found), False
    now = utcnow()
    row = Annotation(id=str(uuid.uuid4()), document_id=document_pk, start=start, end=end,
                     label_id=label_id, annotator_id=gold_pk, note=note, created=now,
                     updated=now, deleted=False)
    session.add(row)
    session.flush()
    return row.id, True


def _clusters(annotations: Sequence[AnnotationRecord]) -> list[list[AnnotationRecord]]:
    """Groups of annotations connected by overlaps (at least one shared character)."""
    clusters: list[list[AnnotationRecord]] = []
    end = -1
    for a in sorted(annotations, key=lambda a: (a.start, a.end, a.annotator, a.label, a.id)):
        if clusters and a.start < end:
            clusters[-1].append(a)
            end = max(end, a.end)
        else:
            clusters.append([a])
            end = a.end
    return clusters


def _kind(versions: dict[str, tuple[AnnotationRecord, ...]]) -> str | None:
    """None when every user has exactly the same spans and labels, else the kind."""
    if any(not spans for spans in versions.values()):
        return "missing"
    tagged = {frozenset((a.start, a.end, a.label) for a in spans) for spans in versions.values()}
    if len(tagged) == 1:
        return None
    bounds = {frozenset((a.start, a.end) for a in spans) for spans in versions.values()}
    return "label" if len(bounds) == 1 else "boundaries"


def find_disagreements(
    document_id: str,
    annotations: Sequence[AnnotationRecord],
    users: Sequence[str],
    dismissed: dict[str, datetime],
) -> list[Disagreement]:
    """Every disagreement among ``users`` in one document's live ``annotations``.

    ``dismissed`` maps annotation ids to the time of their latest ``dismissed`` review.
    """
    compared = [a for a in annotations if a.annotator in users]
    gold = [a for a in annotations if a.annotator == GOLD]
    out = []
    for cluster in _clusters(compared):
        versions = {u: tuple(a for a in cluster if a.annotator == u) for u in users}
        kind = _kind(versions)
        if kind is None:
            continue
        start = min(a.start for a in cluster)
        end = max(a.end for a in cluster)
        in_gold = tuple(g for g in gold if g.start < end and start < g.end)
        if all(a.id in dismissed and dismissed[a.id] >= a.updated for a in cluster):
            resolution: str | None = DISMISSED
        else:
            resolution = "gold" if in_gold else None
        content = sorted((a.annotator, a.start, a.end, a.label) for a in cluster)
        key = hashlib.sha256(repr((document_id, content)).encode()).hexdigest()[:20]
        out.append(Disagreement(key, document_id, start, end, kind, versions, in_gold, resolution))
    return out


class GoldMixin(AnnotationsMixin, ReviewsMixin):
    def copy_to_gold(self, annotation_id: str) -> str:
        """Copy an annotation into gold; returns the gold annotation's id.

        Idempotent: if gold already has that span with that label, its id is returned.
        """
        with self._writing("copy to gold") as (session, changes):
            return self._copy_to_gold(session, annotation_id, changes)

    def add_gold(
        self, document_id: str, start: int, end: int, label: str, note: str | None = None
    ) -> str:
        """Put a span (e.g. an edited version) into gold; idempotent like copy_to_gold."""
        note = clean_note(note)
        with self._writing("add to gold") as (session, changes):
            document_pk = self._document_pk(session, document_id)
            check_span(self._document_length(session, document_pk), start, end)
            label_pk = self._label_row(session, label).id
            gold_pk = self._annotator_pk(session, GOLD)
            gold_id, created = ensure_gold(session, document_pk, start, end, label_pk, note,
                                           gold_pk)
            if created:
                changes.annotation(gold_id, str(document_id), ADDED)
            return gold_id

    def disagreements(
        self, document_id: str, users: Sequence[str] | None = None, *,
        include_resolved: bool = False,
    ) -> list[Disagreement]:
        """Where ``users`` (default: everyone but gold who annotated it) disagree in a document.

        Resolved ones (gold has a span there, or dismissed) only with ``include_resolved``.
        """
        annotations = self.annotations(document_id)
        compared = self._compared(annotations, users)
        if len(compared) < 2:
            return []
        found = find_disagreements(
            document_id, annotations, compared, self._dismissals(a.id for a in annotations)
        )
        return [d for d in found if include_resolved or d.resolution is None]

    def disagreement_counts(self, users: Sequence[str] | None = None) -> dict[str, int]:
        """``{document id: open disagreements}`` for every document that has any."""
        by_document: dict[str, list[AnnotationRecord]] = defaultdict(list)
        for a in self.annotations():
            by_document[a.document_id].append(a)
        dismissed = self._dismissals(None)
        counts = {}
        for document_id, records in by_document.items():
            compared = self._compared(records, users)
            if len(compared) < 2:
                continue
            found = find_disagreements(document_id, records, compared, dismissed)
            n = sum(1 for d in found if d.resolution is None)
            if n:
                counts[document_id] = n
        return counts

    def resolve_disagreement(
        self,
        disagreement: Disagreement,
        *,
        user: str | None = None,
        annotation_ids: Sequence[str] | None = None,
        spans: Sequence[SpanChoice] | None = None,
        dismiss: bool = False,
        comment: str | None = None,
    ) -> list[str]:
        """Settle a disagreement; give exactly one of the choices. Returns the gold ids.

        ``user``: that user's version goes to gold (a user with nothing there means
        "nothing here": gold's spans there are removed and the disagreement dismissed).
        ``annotation_ids``: those annotations go to gold. ``spans``: edited
        ``(start, end, label)`` spans go to gold. ``dismiss``: nothing goes to gold and the
        disagreement is not listed again unless its annotations change. Gold spans already
        in the disagreement's place that were not chosen are deleted (tombstones).
        """
        given = [user is not None, annotation_ids is not None, spans is not None, dismiss]
        if sum(given) != 1:
            raise AnnotatorError("choose exactly one: a user, annotations, spans or dismiss")
        d = disagreement
        chosen: list[tuple[int, int, str, str | None]] = []
        if user is not None:
            if user not in d.versions:
                raise AnnotatorError(f"{user} is not one of the compared annotators here")
            chosen = [(a.start, a.end, a.label, a.note) for a in d.versions[user]]
            dismiss = not chosen
        elif annotation_ids is not None:
            records = [self.annotation(i) for i in annotation_ids]
            if any(r.document_id != d.document_id or r.deleted for r in records):
                raise AnnotatorError("the chosen annotations must be live and in this document")
            chosen = [(r.start, r.end, r.label, r.note) for r in records]
        elif spans is not None:
            chosen = [(s, e, label, None) for s, e, label in spans]
        with self._writing("curate into gold") as (session, changes):
            document_pk = self._document_pk(session, d.document_id)
            length = self._document_length(session, document_pk)
            gold_pk = self._annotator_pk(session, GOLD)
            wanted = {}
            for start, end, label, note in chosen:
                check_span(length, start, end)
                wanted[(start, end, self._label_row(session, label).id)] = note
            for row in session.scalars(
                select(Annotation).where(
                    Annotation.document_id == document_pk, Annotation.annotator_id == gold_pk,
                    ~Annotation.deleted, Annotation.start < d.end, Annotation.end > d.start,
                )
            ):
                if (row.start, row.end, row.label_id) not in wanted:
                    row.deleted, row.updated = True, utcnow()
                    changes.annotation(row.id, d.document_id, REMOVED)
            session.flush()
            ids = []
            for (s, e, label_pk), note in wanted.items():
                gold_id, created = ensure_gold(session, document_pk, s, e, label_pk, note, gold_pk)
                ids.append(gold_id)
                if created:
                    changes.annotation(gold_id, d.document_id, ADDED)
            if dismiss:
                reviewer = self._annotator_pk(session, self.user)
                for a in d.annotations:
                    self._live_annotation(session, a.id)
                    add_review(session, a.id, reviewer, DISMISSED,
                               comment or f"dismissed in curation ({d.kind})")
                    changes.review(a.id, d.document_id)
            return ids

    def _copy_to_gold(self, session: Session, annotation_id: str, changes: ChangeSet) -> str:
        row = session.get(Annotation, annotation_id)
        if row is None or row.deleted:
            raise AnnotatorError(f"no annotation with id {annotation_id}")
        gold_pk = self._annotator_pk(session, GOLD)
        if row.annotator_id == gold_pk:
            return row.id
        gold_id, created = ensure_gold(session, row.document_id, row.start, row.end,
                                       row.label_id, row.note, gold_pk)
        if created:
            note_annotations(session, changes, [gold_id], ADDED)
        return gold_id

    @staticmethod
    def _compared(
        records: Iterable[AnnotationRecord], users: Sequence[str] | None
    ) -> list[str]:
        if users is not None:
            return list(dict.fromkeys(users))
        return sorted({a.annotator for a in records} - {GOLD})

    def _dismissals(self, annotation_ids: Iterable[str] | None) -> dict[str, datetime]:
        query = select(Review.annotation_id, Review.created).where(Review.verdict == DISMISSED)
        if annotation_ids is not None:
            query = query.where(Review.annotation_id.in_(list(annotation_ids)))
        latest: dict[str, datetime] = {}
        with self._reading() as session:
            for annotation_id, created in session.execute(query):
                latest[annotation_id] = max(created, latest.get(annotation_id, created))
        return {k: aware(v) for k, v in latest.items()}

    def gold_annotations(self, document_id: str | None = None) -> list[AnnotationRecord]:
        """The gold layer's live annotations."""
        query = annotation_query().where(~Annotation.deleted, Annotator.name == GOLD)
        with self._reading() as session:
            if document_id is not None:
                document_pk = self._document_pk(session, document_id)
                query = query.where(Annotation.document_id == document_pk)
            else:
                query = query.where(in_live_document(Annotation.document_id))
            return [record_from_row(row) for row in session.execute(
                query.order_by(Annotation.document_id, Annotation.start, Annotation.end))]
