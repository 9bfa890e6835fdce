"""Documents: adding and importing them, listing them, and each user's progress on them."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from annotator.changes import ADDED
from annotator.errors import AnnotatorError
from annotator.importing import (
    DEFAULT_SIZE_LIMIT,
    ExtractedDocument,
    ImportFailure,
    collect_files,
    extract_file,
)
from annotator.models import Annotation, Annotator, Document, DocumentStatus, utcnow
from annotator.records import STATUSES, DocumentInfo, DocumentRecord, FileOutcome, ImportReport
from annotator.service.base import ProjectBase, aware
from annotator.service.checks import check_storable, repair_name
from annotator.untrusted import check_meta

Progress = Callable[[int, int, str], bool | None]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise AnnotatorError("the document has no text")
    if "\x00" in text:
        raise AnnotatorError("the document's text contains NUL characters (a binary file?)")
    check_storable(text, "the document's text")


def _uuid_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


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
        with self._writing("add document") as (session, changes):
            existing = self._same_text(session, text_sha256(text))
            if existing is not None:
                raise AnnotatorError(f"this text is already in the project as {existing.title!r}")
            added = self._insert_document(session, text, title, format, file_name, meta, id)
            changes.document(added, ADDED)
            return added

    def import_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: Progress | None = None,
        *,
        size_limit: int | None = None,
    ) -> ImportReport:
        """Import files and folders (recursively), each file all or nothing.

        ``progress(done, total, current)`` is called before each file and once at the end;
        returning False cancels the files not yet started. Files whose text is already in
        the project are skipped and reported, never duplicated, and so are links, pipes and
        devices found inside folders (never followed or read).
        """
        limit = DEFAULT_SIZE_LIMIT if size_limit is None else size_limit
        refused: list[tuple[Path, str]] = []
        files = collect_files(paths, refused)
        report = ImportReport()
        report.files.extend(FileOutcome(os.fspath(path), "skipped", why) for path, why in refused)
        report.unreadable = len(refused)
        for done, path in enumerate(files):
            if progress is not None and progress(done, len(files), str(path)) is False:
                report.cancelled = True
                return report
            report.files.append(self._import_file(path, limit))
        if progress is not None:
            progress(len(files), len(files), "")
        return report

    def documents(self, ids: Iterable[str] | None = None) -> list[DocumentInfo]:
        """Every document (or those with ``ids``) with its annotation count and the current
        user's status, in the project's order."""
        wanted = None if ids is None else sorted(set(ids))
        if wanted is not None and len(wanted) > 2_000:
            # Past a few thousand, one pass over everything beats a long IN list.
            known = set(wanted)
            return [info for info in self.documents() if info.id in known]
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
            row = self._document_row(session, document_id)
            return DocumentRecord(
                row.id, row.uuid, row.title, row.text, row.sha256, row.file_name, row.format,
                dict(row.meta or {}), aware(row.created),
            )

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by its short number, its uuid or its exact title."""
        ref = str(ref).strip()
        documents = self.documents()
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
        raise AnnotatorError(f"no document {ref!r} (give its number, id or exact title)")

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

    # Import internals

    def _import_file(self, path: os.PathLike[str], limit: int) -> FileOutcome:
        name = os.fspath(path)
        try:
            extracted = extract_file(Path(path), size_limit=limit)
        except ImportFailure as exc:
            return FileOutcome(name, "failed", exc.reason)
        except (OSError, ValueError, UnicodeError) as exc:
            return FileOutcome(name, "failed", f"cannot read it: {exc}")
        except (MemoryError, RecursionError):
            # past every bound checked before parsing; the batch goes on with the next file
            return FileOutcome(name, "failed", "is too large or too deeply nested to read")
        try:
            with self._writing("import documents") as (session, changes):
                outcome = self._store_extracted(session, name, extracted)
                for added in outcome.document_ids:
                    changes.document(added, ADDED)
                return outcome
        except AnnotatorError as exc:
            return FileOutcome(name, "failed", str(exc))

    def _store_extracted(
        self, session: Session, name: str, extracted: list[ExtractedDocument]
    ) -> FileOutcome:
        added: list[str] = []
        duplicates: list[str] = []
        seen: set[str] = set()
        for item in extracted:
            check_text(item.text)
            digest = text_sha256(item.text)
            existing = self._same_text(session, digest)
            if existing is not None or digest in seen:
                duplicates.append(existing.title if existing is not None else item.title)
                continue
            seen.add(digest)
            document_id = _uuid_or_none(item.external_id)
            meta = dict(item.meta)
            if item.external_id is not None and document_id is None:
                meta.setdefault("source_id", item.external_id)
            # A file named in another encoding than the system's still imports.
            title, file_name = repair_name(item.title), repair_name(os.path.basename(name))
            added.append(
                self._insert_document(
                    session, item.text, title, item.format, file_name, meta, document_id
                )
            )
        if not added:
            what = duplicates[0] if len(duplicates) == 1 else f"{len(duplicates)} documents"
            return FileOutcome(name, "skipped", f"already in the project: {what}")
        reason = f"{len(duplicates)} duplicate record(s) skipped" if duplicates else ""
        return FileOutcome(name, "imported", reason, tuple(added))

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
        check_text(text)
        title = check_storable(" ".join((title or "").split()) or "Untitled", "the title")
        if file_name is not None:
            check_storable(file_name, "the file name")
        if document_id is not None:
            document_id = _uuid_or_none(document_id)
            if document_id is None:
                raise AnnotatorError("a document id must be a uuid")
            taken = session.scalar(select(Document.id).where(Document.uuid == document_id))
            if taken is not None:
                document_id = None
        row = Document(
            uuid=document_id or str(uuid.uuid4()),
            title=title[:1000],
            text=text,
            chars=len(text),
            sha256=text_sha256(text),
            file_name=file_name,
            format=format,
            meta=check_meta(meta, "the document's metadata"),
            created=utcnow(),
        )
        session.add(row)
        session.flush()
        return row.uuid
