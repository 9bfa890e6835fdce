"""Documents: adding them, listing them, and each user's progress on them (importing files
is :mod:`annotator.service.file_import`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from annotator.changes import ADDED
from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Document, DocumentStatus, utcnow
from annotator.records import (
    STATUSES,
    DocumentContents,
    DocumentInfo,
    DocumentRecord,
)
from annotator.service.base import ProjectBase, aware
from annotator.service.document_annotations import read_document_annotations
from annotator.service.document_rows import checked_sha256, document_row, uuid_or_none
from annotator.service.relation_store import read_document_relations


class DocumentsMixin(ProjectBase):
    def add_document(
        self,
        text: str,
        title: str,
        *,
        format: str = "txt",
        file_name: str | None = None,
        meta: dict[str, Any] | None = None,
        id: str | None = None,
    ) -> str:
        """Add one document and return its id; a text already in the project is refused."""
        digest = checked_sha256(text)
        with self._writing("add document") as (session, changes):
            existing = self._same_text(session, digest)
            if existing is not None:
                raise AnnotatorError(f"this text is already in the project as {existing.title!r}"
                                     + (" (deleted: restore it)" if existing.deleted else ""))
            added = self._insert_document(session, text, title, format, file_name, meta, id)
            changes.document(added, ADDED)
            return added

    def documents(
        self, ids: Iterable[str] | None = None, *, deleted: bool = False
    ) -> list[DocumentInfo]:
        """Every document (or those with ``ids``) with its annotation count and the current
        user's status, in the project's order; with ``deleted``, the deleted ones instead."""
        wanted = None if ids is None else sorted(set(ids))
        if wanted is not None and len(wanted) > 2_000:
            # Past a few thousand, one pass over everything beats a long IN list.
            known = set(wanted)
            return [info for info in self.documents(deleted=deleted) if info.id in known]
        counted = select(Annotation.document_id, func.count().label("n")).where(~Annotation.deleted)
        if wanted is not None:
            counted = counted.join(Document, Annotation.document_id == Document.id).where(
                Document.uuid.in_(wanted))
        counts = counted.group_by(Annotation.document_id).subquery()
        with self._reading() as session:
            me = session.scalar(select(Annotator.id).where(Annotator.name == self.user))
            status = (
                select(DocumentStatus.document_id, DocumentStatus.status)
                .where(DocumentStatus.annotator_id == (me if me is not None else -1))
                .subquery()
            )
            query = (
                select(
                    Document.id,
                    Document.uuid,
                    Document.title,
                    Document.chars,
                    func.coalesce(counts.c.n, 0),
                    status.c.status,
                    Document.sha256,
                    Document.file_name,
                    Document.format,
                    Document.created,
                )
                .outerjoin(counts, counts.c.document_id == Document.id)
                .outerjoin(status, status.c.document_id == Document.id)
                .where(Document.deleted.is_(deleted))
                .order_by(Document.id)
            )
            if wanted is not None:
                query = query.where(Document.uuid.in_(wanted))
            return [
                DocumentInfo(r[0], r[1], r[2], r[3], int(r[4]), r[5] or "new", r[6], r[7], r[8],
                             aware(r[9]))
                for r in session.execute(query)
            ]

    def document(self, document_id: str) -> DocumentRecord:
        """One document with its text."""
        with self._reading() as session:
            return _record(self._document_row(session, document_id))

    def document_contents(self, document_id: str) -> DocumentContents:
        """:meth:`document`, its live annotations as :meth:`annotations` gives them (with
        their columns: see DocumentAnnotations) and its live relations as :meth:`relations`
        gives them, read in one transaction (opening a document): all of one moment, and
        one session and one lookup of the document serve the three."""
        with self._reading() as session:
            row = self._document_row(session, document_id)
            return DocumentContents(_record(row),
                                    read_document_annotations(session, row.id, row.uuid),
                                    read_document_relations(session, row.id))

    def find_document(self, ref: str, *, deleted: bool = False) -> DocumentInfo:
        """A document by its short number, its uuid or its exact title (with ``deleted``,
        a deleted one)."""
        ref = str(ref).strip()
        documents = self.documents(deleted=deleted)
        for matches in (
            [d for d in documents if ref.isdigit() and d.number == int(ref)],
            [d for d in documents if d.id == ref.lower()],
            [d for d in documents if d.title == ref],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise AnnotatorError(
                    f"{len(matches)} documents are titled {ref!r}; use the number or id"
                )
        if not deleted and any(ref in (str(d.number), d.id, d.title)
                               for d in self.documents(deleted=True)):
            raise AnnotatorError(f"the document {ref!r} was deleted (restore it to use it again)")
        what = "deleted document" if deleted else "document"
        raise AnnotatorError(f"no {what} {ref!r} (give its number, id or exact title)")

    def set_status(self, document_id: str, status: str) -> None:
        """Set the current user's status of a document: new, in_progress or done."""
        status = status.replace("-", "_").replace(" ", "_")
        if status not in STATUSES:
            raise AnnotatorError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        with self._writing(f"mark {status.replace('_', ' ')}") as (session, changes):
            document_pk = self._document_pk(session, document_id)
            annotator_pk = self._annotator_pk(session, self.user)
            changes.status(str(document_id), self.user, status)
            row = session.scalar(
                select(DocumentStatus).where(
                    and_(
                        DocumentStatus.document_id == document_pk,
                        DocumentStatus.annotator_id == annotator_pk,
                    )
                )
            )
            if row is None:
                row = DocumentStatus(document_id=document_pk, annotator_id=annotator_pk)
                session.add(row)
            row.status, row.updated = status, utcnow()

    def status(self, document_id: str, user: str | None = None) -> str:
        """A user's status of a document (the current user's by default)."""
        with self._reading() as session:
            document_pk = self._document_pk(session, document_id)
            value = session.scalar(
                select(DocumentStatus.status)
                .join(Annotator, DocumentStatus.annotator_id == Annotator.id)
                .where(
                    DocumentStatus.document_id == document_pk,
                    Annotator.name == (user or self.user),
                )
            )
            return value or "new"

    @staticmethod
    def _same_text(session: Session, digest: str) -> Document | None:
        return session.scalar(select(Document).where(Document.sha256 == digest).limit(1))

    @staticmethod
    def _insert_document(
        session: Session,
        text: str,
        title: str,
        format: str,
        file_name: str | None,
        meta: dict[str, Any] | None,
        document_id: str | None,
    ) -> str:
        digest = checked_sha256(text)
        if document_id is not None:
            document_id = uuid_or_none(document_id)
            if document_id is None:
                raise AnnotatorError("a document id must be a uuid")
            taken = session.scalar(select(Document.id).where(Document.uuid == document_id))
            if taken is not None:
                document_id = None
        row = Document(**document_row(text, title, format, file_name, meta, document_id, digest))
        session.add(row)
        session.flush()
        return row.uuid


def _record(row: Document) -> DocumentRecord:
    return DocumentRecord(row.id, row.uuid, row.title, row.text, row.sha256, row.file_name,
                          row.format, dict(row.meta or {}), aware(row.created))
