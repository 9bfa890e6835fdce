"""The integrity check behind ``annotator check``."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select, text

from annotator.models import Annotation, Document, Label
from annotator.service.base import ProjectBase


class IntegrityMixin(ProjectBase):
    def check(self) -> list[str]:
        """Problems found in the database; an empty list means all is well.

        Looks at the storage itself (SQLite's integrity and foreign-key checks), every
        document's text against its recorded hash and length, and every live annotation's
        offsets and label.
        """
        problems: list[str] = []
        with self.reading() as session:
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
                )
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
                .where(~Annotation.deleted, Label.removed)
            )
            for annotation_id, label in orphaned:
                problems.append(f"annotation {annotation_id}: its label {label!r} was removed")
        return problems
