"""Creating, changing, deleting and reading annotations."""

from __future__ import annotations

import uuid
from typing import Any, Final

from sqlalchemy import Row, Select, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Document, DocumentStatus, Label, utcnow
from annotator.records import AnnotationRecord
from annotator.service.base import ProjectBase, aware


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
MAX_NOTE = 100_000
_RAW = NullType()


def annotation_query() -> Select[*tuple[Any, ...]]:
    """Annotation rows joined with what a record needs, as plain columns (fast for 10^4 rows)."""
    return (
        select(
            Annotation.id,
            Document.uuid,
            Annotation.start,
            Annotation.end,
            Label.name,
            Annotator.name,
            Annotation.note,
            # Raw values: `aware` converts them much faster than the generic DateTime type.
            type_coerce(Annotation.created, _RAW),
            type_coerce(Annotation.updated, _RAW),
            Annotation.deleted,
        )
        .join(Document, Annotation.document_id == Document.id)
        .join(Label, Annotation.label_id == Label.id)
        .join(Annotator, Annotation.annotator_id == Annotator.id)
    )


def record_from_row(row: Row[*tuple[Any, ...]]) -> AnnotationRecord:
    return AnnotationRecord(
        id=row[0],
        document_id=row[1],
        start=row[2],
        end=row[3],
        label=row[4],
        annotator=row[5],
        note=row[6],
        created=aware(row[7]),
        updated=aware(row[8]),
        deleted=bool(row[9]),
    )


def check_span(text_length: int, start: int, end: int) -> None:
    if isinstance(start, bool) or isinstance(end, bool):
        raise AnnotatorError("offsets must be whole numbers")
    if not isinstance(start, int) or not isinstance(end, int):
        raise AnnotatorError("offsets must be whole numbers")
    if start < 0 or end > text_length:
        raise AnnotatorError(
            f"offsets {start}-{end} fall outside the text (0-{text_length} characters)"
        )
    if start >= end:
        raise AnnotatorError(f"start ({start}) must be before end ({end})")


def _check_note(note: str | None) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise AnnotatorError("a note must be text")
    if len(note) > MAX_NOTE:
        raise AnnotatorError(f"a note may have at most {MAX_NOTE} characters")
    return note if note.strip() else None


def _text_length(session: Session, document_pk: int) -> int:
    # The stored length, so that a keystroke on a 1 MB document neither loads nor measures it.
    length = session.scalar(select(Document.chars).where(Document.id == document_pk))
    if length is None:
        raise AnnotatorError("the annotation's document is missing")
    return int(length)


class AnnotationsMixin(ProjectBase):
    def add_annotation(
        self,
        document_id: str,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
    ) -> str:
        """Add an annotation by the current user; returns its id (a uuid string)."""
        note = _check_note(note)
        with self.transaction() as session:
            document_pk = self._document_pk(session, document_id)
            check_span(_text_length(session, document_pk), start, end)
            label_row = self._label_row(session, label)
            annotator = self._annotator_row(session, self.user)
            now = utcnow()
            annotation = Annotation(
                id=str(uuid.uuid4()),
                document_id=document_pk,
                start=start,
                end=end,
                label_id=label_row.id,
                annotator_id=annotator.id,
                note=note,
                created=now,
                updated=now,
                deleted=False,
            )
            session.add(annotation)
            self._mark_in_progress(session, document_pk, annotator.id)
            return annotation.id

    def annotation(self, annotation_id: str) -> AnnotationRecord:
        """One annotation, deleted ones included (their ``deleted`` is True)."""
        with self.reading() as session:
            row = session.execute(annotation_query().where(Annotation.id == annotation_id)).first()
            if row is None:
                raise AnnotatorError(f"no annotation with id {annotation_id}")
            return record_from_row(row)

    def update_annotation(
        self,
        annotation_id: str,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: str | _Unset | None = UNSET,
    ) -> AnnotationRecord:
        """Change label, boundaries and/or note (``note=None`` clears it); returns the new state."""
        with self.transaction() as session:
            row = self._live_annotation(session, annotation_id)
            new_start = row.start if start is None else start
            new_end = row.end if end is None else end
            check_span(_text_length(session, row.document_id), new_start, new_end)
            row.start, row.end = new_start, new_end
            if label is not None:
                row.label_id = self._label_row(session, label).id
            if not isinstance(note, _Unset):
                row.note = _check_note(note)
            row.updated = utcnow()
        return self.annotation(annotation_id)

    def delete_annotation(self, annotation_id: str) -> AnnotationRecord:
        """Tombstone an annotation; returns its state before deletion, for restore."""
        snapshot = self.annotation(annotation_id)
        if snapshot.deleted:
            raise AnnotatorError(f"annotation {annotation_id} is already deleted")
        with self.transaction() as session:
            row = self._live_annotation(session, annotation_id)
            row.deleted = True
            row.updated = utcnow()
        return snapshot

    def restore_annotation(self, snapshot: AnnotationRecord | str) -> AnnotationRecord:
        """Bring back a deleted annotation with the same id.

        Given a snapshot (from :meth:`delete_annotation` or :meth:`annotation`), its boundaries,
        label and note are restored too, so undo puts back exactly what was there.
        """
        annotation_id = snapshot if isinstance(snapshot, str) else snapshot.id
        with self.transaction() as session:
            row = session.get(Annotation, annotation_id)
            if row is None:
                raise AnnotatorError(f"no annotation with id {annotation_id}")
            if isinstance(snapshot, AnnotationRecord):
                check_span(_text_length(session, row.document_id), snapshot.start, snapshot.end)
                row.start, row.end = snapshot.start, snapshot.end
                label_row = session.scalar(select(Label).where(Label.name == snapshot.label))
                if label_row is None or label_row.removed:
                    raise AnnotatorError(
                        f"cannot restore: its label {snapshot.label!r} no longer exists"
                    )
                row.label_id = label_row.id
                row.note = _check_note(snapshot.note)
            elif row.label.removed:
                raise AnnotatorError(
                    f"cannot restore: its label {row.label.name!r} no longer exists"
                )
            row.deleted = False
            row.updated = utcnow()
        return self.annotation(annotation_id)

    def annotations(
        self,
        document_id: str | None = None,
        annotator: str | None = None,
        label: str | None = None,
    ) -> list[AnnotationRecord]:
        """Live annotations, filtered, in document order then by start and end offset."""
        query = annotation_query().where(~Annotation.deleted)
        with self.reading() as session:
            if document_id is not None:
                document_pk = self._document_pk(session, document_id)
                query = query.where(Annotation.document_id == document_pk)
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            if label is not None:
                query = query.where(Label.name == label)
            query = query.order_by(Document.id, Annotation.start, Annotation.end, Annotation.id)
            return [record_from_row(row) for row in session.execute(query)]

    def annotators(self) -> list[str]:
        """Everybody who has written to the project, by name."""
        with self.reading() as session:
            return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))

    @staticmethod
    def _live_annotation(session: Session, annotation_id: str) -> Annotation:
        row = session.get(Annotation, annotation_id)
        if row is None or row.deleted:
            raise AnnotatorError(f"no annotation with id {annotation_id}")
        return row

    @staticmethod
    def _mark_in_progress(session: Session, document_pk: int, annotator_pk: int) -> None:
        existing = session.scalar(
            select(DocumentStatus).where(
                DocumentStatus.document_id == document_pk,
                DocumentStatus.annotator_id == annotator_pk,
            )
        )
        if existing is None:
            session.add(
                DocumentStatus(
                    document_id=document_pk,
                    annotator_id=annotator_pk,
                    status="in_progress",
                    updated=utcnow(),
                )
            )

