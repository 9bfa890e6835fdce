"""Creating, changing, deleting and reading annotations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, Final, cast

from sqlalchemy import Row, Select, Table, bindparam, false, insert, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from annotator.changes import ADDED, REMOVED, UPDATED
from annotator.errors import AnnotatorError
from annotator.models import (
    Annotation,
    AnnotationVersion,
    Annotator,
    Document,
    DocumentStatus,
    Label,
    utcnow,
)
from annotator.records import REOPENED, AnnotationRecord
from annotator.service.base import ProjectBase, aware
from annotator.service.bulk import chunks
from annotator.service.checks import MAX_NOTE as MAX_NOTE
from annotator.service.checks import check_span, clean_note
from annotator.service.document_annotations import read_document_annotations, stamp
from annotator.service.hidden import in_live_document
from annotator.service.origin_store import record_origin
from annotator.service.prepared import Prepared
from annotator.service.relation_store import cascade_delete, cascade_restore
from annotator.service.reviews import add_review, latest_verdicts
from annotator.service.upsert import content, history_key, history_row
from annotator.suggest.outcomes import ACCEPTED


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
_RAW = NullType()
_ANNOTATIONS = cast(Table, Annotation.__table__)
_STATUS = cast(Table, DocumentStatus.__table__)
_HISTORY = cast(Table, AnnotationVersion.__table__)


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


def _add_lookup() -> Select[*tuple[Any, ...]]:
    """Everything a new annotation needs checked, in one statement (the key-press path):
    the document's key and length, the label's key, an identical live annotation by the
    same annotator (refused), and whether the annotator has a status for the document."""
    label_pk = (
        select(Label.id)
        .where(Label.name == bindparam("label"), Label.removed.is_(False))
        .scalar_subquery()
    )
    duplicate = (
        select(Annotation.id)
        .where(
            # "deleted = 0" (not "NOT deleted") lets the (document, deleted, start) index
            # find the span: otherwise every annotation of the document is read.
            Annotation.document_id == Document.id, Annotation.deleted == false(),
            Annotation.start == bindparam("start"), Annotation.end == bindparam("end"),
            Annotation.label_id == label_pk, Annotation.annotator_id == bindparam("annotator"),
        )
        .limit(1)
        .scalar_subquery()
    )
    status = (
        select(_STATUS.c.id)
        .where(_STATUS.c.document_id == Document.id,
               _STATUS.c.annotator_id == bindparam("annotator"))
        .limit(1)
        .scalar_subquery()
    )
    return select(Document.id, Document.chars, label_pk, duplicate, status, Document.deleted).where(
        Document.uuid == bindparam("document")
    )


# The key press's statements, compiled once (see annotator.service.prepared).
_ADD_LOOKUP = Prepared(_add_lookup())
_INSERT_ANNOTATION = Prepared(insert(_ANNOTATIONS), [
    "id", "document_id", "start", "end", "label_id", "annotator_id", "note", "created",
    "updated", "deleted"])
_LARGEST = 2**63 - 1


def _storable(offset: object) -> object:
    """An offset the database can take as a parameter: one beyond any document's length
    stays beyond it, and check_span refuses it once the length is known."""
    if isinstance(offset, int) and not isinstance(offset, bool):
        return max(min(offset, _LARGEST), -_LARGEST)
    return offset


def describe_version(record: AnnotationRecord) -> str:
    state = "deleted" if record.deleted else record.label
    return f"{state} at {record.start}-{record.end} by {record.annotator}"


def keep_version(session: Session, record: AnnotationRecord, reason: str) -> None:
    """Put a version about to be overwritten into the annotation's history."""
    session.execute(insert(_HISTORY).values(history_row(history_key(record), utcnow(), reason)))


def _record(session: Session, annotation_id: str) -> AnnotationRecord:
    row = session.execute(annotation_query().where(Annotation.id == annotation_id)).first()
    if row is None:
        raise AnnotatorError(f"no annotation with id {annotation_id}")
    return record_from_row(row)


def _refuse_duplicate(
    session: Session, document_pk: int, start: int, end: int, label_pk: int, annotator_pk: int,
    other_than: str | None,
) -> None:
    """One annotator never has two live annotations with the same span and label."""
    query = select(Annotation.id).where(
        # "deleted = 0", not "NOT deleted": the (document, deleted, start) index applies.
        Annotation.document_id == document_pk, Annotation.deleted == false(),
        Annotation.start == start,
        Annotation.end == end, Annotation.label_id == label_pk,
        Annotation.annotator_id == annotator_pk,
    )
    if other_than is not None:
        query = query.where(Annotation.id != other_than)
    existing = session.scalar(query.limit(1))
    if existing is not None:
        raise _duplicate(existing)


def _duplicate(existing: str) -> AnnotatorError:
    return AnnotatorError(f"an identical annotation already exists ({existing}); nothing was added")


def record_from_row(row: Row[*tuple[Any, ...]]) -> AnnotationRecord:
    """The record of one row of :func:`annotation_query`."""
    created = stamp(row[7])
    # Most annotations were never edited: one parse serves both times.
    updated = created if row[8] == row[7] else stamp(row[8])
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
        *,
        rule: str | None = None,
        confidence: float | None = None,
    ) -> str:
        """Add an annotation by the current user; returns its id (a uuid string).

        Refused when the user already has a live annotation with the same span and label
        in that document. Also marks the document ``in_progress`` for the user if it had
        no status yet. ``rule`` names the suggestion rule that proposed it (the change log
        records the write as ``suggestion: RULE``), kept with ``confidence`` as the
        annotation's origin (see :meth:`suggestion_origins`).
        """
        return self.add_annotation_record(document_id, start, end, label, note, rule=rule,
                                          confidence=confidence).id

    def add_annotation_record(
        self,
        document_id: str,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
        *,
        rule: str | None = None,
        confidence: float | None = None,
    ) -> AnnotationRecord:
        """:meth:`add_annotation`, returning the new annotation's record (what a later
        ``annotation(id)`` would read) without reading it back: a key press needs it for
        its undo snapshot."""
        note = clean_note(note)
        action = f"suggestion: {rule}" if rule else f"tag as {label}"
        # Plain statements on a Core connection: the key press's write (see _writing_rows).
        with self._writing_rows(action) as (connection, changes):
            annotator_pk = self._annotator_pk(connection, self.user)
            found = _ADD_LOOKUP.first(connection, {
                "document": str(document_id), "label": label, "start": _storable(start),
                "end": _storable(end), "annotator": annotator_pk,
            })
            if found is None or found[5]:
                self._no_live_document(connection, document_id)
            document_pk, length, label_id, duplicate, has_status, _deleted = found
            check_span(int(length), start, end)
            if label_id is None:
                raise AnnotatorError(f"no label named {label!r}")
            if duplicate is not None:
                raise _duplicate(duplicate)
            annotation_id = str(uuid.uuid4())
            now = utcnow()
            _INSERT_ANNOTATION.first(connection, {
                "id": annotation_id, "document_id": document_pk, "start": start, "end": end,
                "label_id": label_id, "annotator_id": annotator_pk, "note": note,
                "created": now, "updated": now, "deleted": False,
            })
            if rule:
                origin = record_origin(
                    connection, document_pk=document_pk, annotator_pk=annotator_pk,
                    outcome=ACCEPTED, rule=rule, confidence=confidence, label=label,
                    start=start, end=end, created=now, annotation_id=annotation_id)
                changes.suggestion(origin, str(document_id))
            if has_status is None:
                connection.execute(insert(_STATUS).values(
                    document_id=document_pk, annotator_id=annotator_pk, status="in_progress",
                    updated=now,
                ))
                changes.status(str(document_id), self.user, "in_progress")
            stamp = aware(now)
            record = AnnotationRecord(
                annotation_id, str(document_id), start, end, label, self.user, note, stamp, stamp,
            )
            changes.annotation(annotation_id, str(document_id), ADDED, record)
            return record

    def annotation(self, annotation_id: str) -> AnnotationRecord:
        """One annotation, deleted ones included (their ``deleted`` is True)."""
        with self._reading() as session:
            return _record(session, annotation_id)

    def annotations_by_id(self, ids: Iterable[str]) -> list[AnnotationRecord]:
        """The annotations with these ids, deleted ones included; unknown ids are left out."""
        wanted = sorted(set(ids))
        found: list[AnnotationRecord] = []
        with self._reading() as session:
            for chunk in chunks(wanted):
                query = annotation_query().where(Annotation.id.in_(chunk))
                found.extend(record_from_row(row) for row in session.execute(query))
        return found

    def update_annotation(
        self,
        annotation_id: str,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: str | _Unset | None = UNSET,
        as_reviewer: bool = False,
        expect: AnnotationRecord | None = None,
    ) -> AnnotationRecord:
        """Change label, boundaries and/or note (``note=None`` clears it); returns the new state.

        Only the annotation's own annotator may change it, unless ``as_reviewer`` (review
        and gold curation). With ``expect``, the change is refused if the annotation no
        longer is as expected (someone changed it meanwhile). The version replaced is kept
        in the annotation's history.
        """
        with self._writing("edit annotation") as (session, changes):
            row = self._live_annotation(session, annotation_id)
            before = _record(session, annotation_id)
            self._check_may_change(before, as_reviewer, expect)
            new_start = row.start if start is None else start
            new_end = row.end if end is None else end
            check_span(self._document_length(session, row.document_id), new_start, new_end)
            label_id = row.label_id if label is None else self._label_row(session, label).id
            new_note = row.note if isinstance(note, _Unset) else clean_note(note)
            if (new_start, new_end, label_id, new_note) == (row.start, row.end, row.label_id,
                                                               row.note):
                return before
            _refuse_duplicate(session, row.document_id, new_start, new_end, label_id,
                              row.annotator_id, annotation_id)
            keep_version(session, before, "edit")
            judged = (row.start, row.end, row.label_id) != (new_start, new_end, label_id)
            row.start, row.end, row.label_id, row.note = new_start, new_end, label_id, new_note
            row.updated = utcnow()
            session.flush()
            record = _record(session, annotation_id)
            changes.annotation(annotation_id, record.document_id, UPDATED, record)
            if judged and self._reopen_review(session, annotation_id, before):
                changes.review(annotation_id, record.document_id)
        return record

    def _reopen_review(self, session: Session, annotation_id: str,
                       before: AnnotationRecord) -> bool:
        """A verdict judged the version before a label or span change: mark the review
        open again (a ``reopened`` review, which travels like any other). True if it did."""
        verdicts = latest_verdicts()
        judged = session.scalar(
            select(verdicts.c.verdict).where(verdicts.c.annotation_id == annotation_id))
        if judged is None:
            return False
        reviewer = self._annotator_pk(session, self.user)
        add_review(session, annotation_id, reviewer, REOPENED,
                   f"{judged} was for {describe_version(before)}")
        return True

    def delete_annotation(
        self, annotation_id: str, *, as_reviewer: bool = False,
        expect: AnnotationRecord | None = None,
    ) -> AnnotationRecord:
        """Tombstone an annotation; returns its state before deletion, for restore.

        Ownership and ``expect`` as for :meth:`update_annotation`. Its relations (anyone's)
        are tombstoned with it, and :meth:`restore_annotation` brings them back.
        """
        with self._writing("delete annotation") as (session, changes):
            # The snapshot is read in the deleting transaction, so it is exactly what was
            # deleted even if another process edited the annotation a moment before.
            snapshot = _record(session, annotation_id)
            if snapshot.deleted:
                raise AnnotatorError(f"annotation {annotation_id} is already deleted")
            self._check_may_change(snapshot, as_reviewer, expect)
            row = self._live_annotation(session, annotation_id)
            row.deleted = True
            row.updated = utcnow()
            changes.annotation(annotation_id, snapshot.document_id, REMOVED,
                               snapshot._replace(deleted=True))
            cascade_delete(session, changes, [annotation_id])
        return snapshot

    def restore_annotation(
        self, snapshot: AnnotationRecord | str, *, as_reviewer: bool = False
    ) -> AnnotationRecord:
        """Bring back a deleted annotation with the same id.

        Given a snapshot (from :meth:`delete_annotation` or :meth:`annotation`), its boundaries,
        label and note are restored too, so undo puts back exactly what was there. Refused
        when it would duplicate a live annotation; ownership as for :meth:`update_annotation`.
        The relations its deletion took come back with it (those whose other annotation is
        live).
        """
        annotation_id = snapshot if isinstance(snapshot, str) else snapshot.id
        with self._writing("restore annotation") as (session, changes):
            row = session.get(Annotation, annotation_id)
            if row is None:
                raise AnnotatorError(f"no annotation with id {annotation_id}")
            before = _record(session, annotation_id)
            self._check_may_change(before, as_reviewer, None)
            if isinstance(snapshot, AnnotationRecord):
                length = self._document_length(session, row.document_id)
                check_span(length, snapshot.start, snapshot.end)
                label_row = session.scalar(select(Label).where(Label.name == snapshot.label))
                if label_row is None or label_row.removed:
                    raise AnnotatorError(
                        f"cannot restore: its label {snapshot.label!r} no longer exists"
                    )
                restored = (snapshot.start, snapshot.end, label_row.id, clean_note(snapshot.note))
                if restored != (row.start, row.end, row.label_id, row.note):
                    keep_version(session, before, "restore")
                row.start, row.end, row.label_id, row.note = restored
            elif row.label.removed:
                raise AnnotatorError(
                    f"cannot restore: its label {row.label.name!r} no longer exists"
                )
            _refuse_duplicate(session, row.document_id, row.start, row.end, row.label_id,
                              row.annotator_id, annotation_id)
            was_deleted = row.deleted
            row.deleted = False
            row.updated = utcnow()
            session.flush()
            record = _record(session, annotation_id)
            changes.annotation(annotation_id, record.document_id,
                               ADDED if was_deleted else UPDATED, record)
            cascade_restore(session, changes, annotation_id)
        return record

    def _check_may_change(
        self, current: AnnotationRecord, as_reviewer: bool, expect: AnnotationRecord | None
    ) -> None:
        if current.annotator != self.user and not as_reviewer:
            raise AnnotatorError(
                f"this annotation belongs to {current.annotator}; copy it to your own layer, "
                "or change it as a reviewer"
            )
        if expect is not None and content(expect) != content(current):
            raise AnnotatorError(
                f"the annotation was changed meanwhile (now {describe_version(current)}); "
                "nothing was changed"
            )

    def annotations(
        self,
        document_id: str | None = None,
        annotator: str | None = None,
        label: str | None = None,
    ) -> list[AnnotationRecord]:
        """Live annotations, filtered, in document order then by start and end offset."""
        if document_id is not None and annotator is None and label is None:
            return self._document_annotations(str(document_id))
        query = annotation_query().where(~Annotation.deleted)
        with self._reading() as session:
            if document_id is not None:
                document_pk = self._document_pk(session, document_id)
                query = query.where(Annotation.document_id == document_pk)
            else:
                query = query.where(in_live_document(Annotation.document_id))
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

    def _document_annotations(self, document_id: str) -> list[AnnotationRecord]:
        """Opening a document: see :mod:`annotator.service.document_annotations`."""
        with self._reading() as session:
            document_pk = self._document_pk(session, document_id)
            return list(read_document_annotations(session, document_pk, document_id))

    def annotators(self) -> list[str]:
        """Everybody who has written to the project, by name."""
        with self._reading() as session:
            return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))
