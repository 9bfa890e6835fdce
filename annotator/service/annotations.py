"""Creating, changing, deleting and reading annotations."""

from __future__ import annotations

import uuid
from typing import Any, Final, cast

from sqlalchemy import Row, Select, Table, insert, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Document, DocumentStatus, Label, utcnow
from annotator.records import AnnotationRecord
from annotator.service.base import ProjectBase, aware
from annotator.service.checks import MAX_NOTE as MAX_NOTE
from annotator.service.checks import check_span, clean_note


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
_RAW = NullType()
_ANNOTATIONS = cast(Table, Annotation.__table__)
_STATUS = cast(Table, DocumentStatus.__table__)


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
            # Raw values: `aware` converts them much faster than the generic DateTime type,
            # and record_from_row makes the flag a bool.
            type_coerce(Annotation.created, _RAW),
            type_coerce(Annotation.updated, _RAW),
            type_coerce(Annotation.deleted, _RAW),
        )
        .join(Document, Annotation.document_id == Document.id)
        .join(Label, Annotation.label_id == Label.id)
        .join(Annotator, Annotation.annotator_id == Annotator.id)
    )


def record_from_row(row: Row[*tuple[Any, ...]]) -> AnnotationRecord:
    """The record of one row of :func:`annotation_query`."""
    created = aware(row[7])
    # Most annotations were never edited: one parse serves both times.
    updated = created if row[8] == row[7] else aware(row[8])
    return AnnotationRecord(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], created, updated, bool(row[9])
    )


class AnnotationsMixin(ProjectBase):
    def add_annotation(
        self,
        document_id: str,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
    ) -> str:
        """Add an annotation by the current user; returns its id (a uuid string).

        Also marks the document ``in_progress`` for the user if it had no status yet.
        """
        note = clean_note(note)
        # The key-press path: one lookup for document, length and label, plain Core
        # statements, and the annotator's key remembered, all in one transaction.
        label_pk = (
            select(Label.id).where(Label.name == label, Label.removed.is_(False)).scalar_subquery()
        )
        with self.transaction() as session:
            found = session.execute(
                select(Document.id, Document.chars, label_pk).where(
                    Document.uuid == str(document_id)
                )
            ).first()
            if found is None:
                raise AnnotatorError(f"no document with id {document_id}")
            document_pk, length, label_id = found
            check_span(int(length), start, end)
            if label_id is None:
                raise AnnotatorError(f"no label named {label!r}")
            annotator_pk = self._annotator_pk(session, self.user)
            annotation_id = str(uuid.uuid4())
            now = utcnow()
            session.execute(
                insert(_ANNOTATIONS).values(
                    id=annotation_id, document_id=document_pk, start=start, end=end,
                    label_id=label_id, annotator_id=annotator_pk, note=note, created=now,
                    updated=now, deleted=False,
                )
            )
            self._mark_in_progress(session, document_pk, annotator_pk)
            return annotation_id

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
            check_span(self._document_length(session, row.document_id), new_start, new_end)
            row.start, row.end = new_start, new_end
            if label is not None:
                row.label_id = self._label_row(session, label).id
            if not isinstance(note, _Unset):
                row.note = clean_note(note)
            row.updated = utcnow()
        return self.annotation(annotation_id)

    def delete_annotation(self, annotation_id: str) -> AnnotationRecord:
        """Tombstone an annotation; returns its state before deletion, for restore."""
        with self.transaction() as session:
            # The snapshot is read in the deleting transaction, so it is exactly what was
            # deleted even if another process edited the annotation a moment before.
            found = session.execute(
                annotation_query().where(Annotation.id == annotation_id)
            ).first()
            if found is None:
                raise AnnotatorError(f"no annotation with id {annotation_id}")
            snapshot = record_from_row(found)
            if snapshot.deleted:
                raise AnnotatorError(f"annotation {annotation_id} is already deleted")
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
                length = self._document_length(session, row.document_id)
                check_span(length, snapshot.start, snapshot.end)
                row.start, row.end = snapshot.start, snapshot.end
                label_row = session.scalar(select(Label).where(Label.name == snapshot.label))
                if label_row is None or label_row.removed:
                    raise AnnotatorError(
                        f"cannot restore: its label {snapshot.label!r} no longer exists"
                    )
                row.label_id = label_row.id
                row.note = clean_note(snapshot.note)
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
            query = query.order_by(
                Annotation.document_id, Annotation.start, Annotation.end, Annotation.id
            )
            # Core rows straight from the connection: the ORM's result layer costs several
            # ms per 10^4 rows and adds nothing to plain columns.
            return [record_from_row(row) for row in session.connection().execute(query)]

    def annotators(self) -> list[str]:
        """Everybody who has written to the project, by name."""
        with self.reading() as session:
            return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))

    @staticmethod
    def _mark_in_progress(session: Session, document_pk: int, annotator_pk: int) -> None:
        existing = session.execute(
            select(_STATUS.c.id).where(
                _STATUS.c.document_id == document_pk, _STATUS.c.annotator_id == annotator_pk
            )
        ).first()
        if existing is None:
            session.execute(
                insert(_STATUS).values(
                    document_id=document_pk, annotator_id=annotator_pk, status="in_progress",
                    updated=utcnow(),
                )
            )
