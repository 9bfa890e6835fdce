"""Renaming documents, and deleting them as tombstones that restore with the same ids."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED
from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Document, DocumentStatus, utcnow
from annotator.records import DocumentInfo
from annotator.service.base import ProjectBase, aware
from annotator.service.checks import check_storable

MAX_TITLE = 1000


def check_title(title: str) -> str:
    """A title as stored: one line (runs of white space become one space), 1 to
    :data:`MAX_TITLE` characters."""
    if not isinstance(title, str):
        raise AnnotatorError("a title must be text")
    cleaned = check_storable(" ".join(title.split()), "the title")
    if not cleaned:
        raise AnnotatorError("the title must not be empty")
    if len(cleaned) > MAX_TITLE:
        raise AnnotatorError(f"the title is longer than {MAX_TITLE} characters")
    return cleaned


class DocumentEditsMixin(ProjectBase):
    def rename_document(self, document_id: str, title: str) -> str:
        """Give a document a new title; returns the title it had (for undo)."""
        title = check_title(title)
        with self._writing("rename document") as (session, changes):
            row = self._document_row(session, document_id)
            before = row.title
            if before != title:
                row.title, row.updated = title, utcnow()
                changes.document(row.uuid, UPDATED)
            return before

    def delete_document(self, document_id: str) -> DocumentInfo:
        """Delete a document: it and its annotations and relations disappear from every
        list, count, export, agreement and check, but are kept, so that
        :meth:`restore_document` brings them back with the same ids (and a merge carries
        the deletion to colleagues). Returns the document as it was (its annotation count
        is what the deletion hides)."""
        with self._writing("delete document") as (session, changes):
            row = self._document_row(session, document_id, deleted=True)
            if row.deleted:
                raise AnnotatorError(f"the document {row.title!r} is already deleted")
            info = self._describe(session, row)
            row.deleted, row.updated = True, utcnow()
            changes.document(row.uuid, REMOVED)
            return info

    def restore_document(self, document_id: str) -> DocumentInfo:
        """Bring a deleted document back, with its annotations and relations as they were."""
        with self._writing("restore document") as (session, changes):
            row = self._document_row(session, document_id, deleted=True)
            if not row.deleted:
                raise AnnotatorError(f"the document {row.title!r} is not deleted")
            row.deleted, row.updated = False, utcnow()
            changes.document(row.uuid, ADDED)
            return self._describe(session, row)

    def _describe(self, session: Session, row: Document) -> DocumentInfo:
        count = session.scalar(select(func.count()).select_from(Annotation).where(
            Annotation.document_id == row.id, ~Annotation.deleted))
        status = session.scalar(
            select(DocumentStatus.status)
            .join(Annotator, DocumentStatus.annotator_id == Annotator.id)
            .where(DocumentStatus.document_id == row.id, Annotator.name == self.user))
        return DocumentInfo(row.id, row.uuid, row.title, row.chars, int(count or 0),
                            status or "new", row.sha256, row.file_name, row.format,
                            aware(row.created))
