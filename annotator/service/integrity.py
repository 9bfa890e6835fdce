"""The integrity check behind ``annotator check``."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from annotator.models import Annotation, Annotator, Document, Label
from annotator.service.base import ProjectBase
from annotator.service.hidden import in_live_document


class IntegrityMixin(ProjectBase):
    def check(self) -> list[str]:
        """Problems found in the database; an empty list means all is well.

        Looks at the storage itself (SQLite's integrity and foreign-key checks), every
        document's text against its recorded hash and length, and every live annotation's
        offsets and label, and lists duplicates (one annotator's live annotations with the
        same document, span and label; documents with the same text).
        """
        problems: list[str] = []
        with self._reading() as session:
            if self._engine.dialect.name == "sqlite":
                for (message,) in session.execute(text("PRAGMA integrity_check")):
                    if message != "ok":
                        problems.append(f"database: {message}")
                for row in session.execute(text("PRAGMA foreign_key_check")):
                    problems.append(f"database: broken reference in table {row[0]} (row {row[1]})")
            for pk, uuid, title, body, chars, digest in session.execute(
                select(
                    Document.id, Document.uuid, Document.title, Document.text, Document.chars,
                    Document.sha256,
                ).where(~Document.deleted)
            ):
                if hashlib.sha256(body.encode("utf-8")).hexdigest() != digest:
                    problems.append(f"document {pk} ({uuid}, {title!r}): text does not match hash")
                if len(body) != chars:
                    problems.append(
                        f"document {pk} ({uuid}): length {chars} recorded, {len(body)} found"
                    )
            bad_offsets = session.execute(
                select(Annotation.id, Document.id, Annotation.start, Annotation.end, Document.chars)
                .join(Document, Annotation.document_id == Document.id)
                .where(
                    ~Annotation.deleted,
                    ~Document.deleted,
                    (Annotation.start < 0)
                    | (Annotation.start >= Annotation.end)
                    | (Annotation.end > func.length(Document.text)),
                )
            )
            for annotation_id, document_pk, start, end, chars in bad_offsets:
                problems.append(
                    f"annotation {annotation_id}: offsets {start}-{end} do not fit "
                    f"document {document_pk} ({chars} characters)"
                )
            orphaned = session.execute(
                select(Annotation.id, Label.name)
                .join(Label, Annotation.label_id == Label.id)
                .where(~Annotation.deleted, Label.removed,
                       in_live_document(Annotation.document_id))
            )
            for annotation_id, label in orphaned:
                problems.append(f"annotation {annotation_id}: its label {label!r} was removed")
            problems.extend(_duplicates(session))
            problems.extend(_duplicate_texts(session))
        return problems


def _duplicate_texts(session: Session) -> list[str]:
    """Documents holding the same text (an import raced another before writers took turns
    on PostgreSQL; a merge adds a text once)."""
    twins = (
        select(Document.sha256).where(~Document.deleted).group_by(Document.sha256)
        .having(func.count() > 1).subquery()
    )
    groups: dict[str, list[str]] = {}
    for digest, uuid, title in session.execute(
        select(Document.sha256, Document.uuid, Document.title)
        .join(twins, Document.sha256 == twins.c.sha256)
        .where(~Document.deleted)
        .order_by(Document.sha256, Document.id)
    ):
        groups.setdefault(digest, []).append(f"{uuid} ({title!r})")
    return [
        f"the same text is in {len(documents)} documents: {', '.join(documents)}"
        for documents in groups.values()
    ]


def _duplicates(session: Session) -> list[str]:
    """Live annotations of one annotator with the same document, span and label."""
    key = (Annotation.document_id, Annotation.start, Annotation.end, Annotation.label_id,
           Annotation.annotator_id)
    twins = (
        select(*key).where(~Annotation.deleted, in_live_document(Annotation.document_id))
        .group_by(*key)
        .having(func.count() > 1).subquery()
    )
    rows = session.execute(
        select(Annotation.id, Document.uuid, Annotation.start, Annotation.end, Label.name,
               Annotator.name)
        .join(twins, (Annotation.document_id == twins.c.document_id)
              & (Annotation.start == twins.c.start) & (Annotation.end == twins.c.end)
              & (Annotation.label_id == twins.c.label_id)
              & (Annotation.annotator_id == twins.c.annotator_id))
        .join(Document, Annotation.document_id == Document.id)
        .join(Label, Annotation.label_id == Label.id)
        .join(Annotator, Annotation.annotator_id == Annotator.id)
        .where(~Annotation.deleted)
        .order_by(Document.uuid, Annotation.start, Annotation.end, Label.name, Annotator.name,
                  Annotation.id)
    )
    groups: dict[tuple[str, int, int, str, str], list[str]] = {}
    for annotation_id, document, start, end, label, annotator in rows:
        groups.setdefault((document, start, end, label, annotator), []).append(annotation_id)
    return [
        f"duplicate annotations in document {document}: {annotator}'s {label!r} at "
        f"{start}-{end} is there {len(ids)} times ({', '.join(ids)})"
        for (document, start, end, label, annotator), ids in groups.items()
    ]
