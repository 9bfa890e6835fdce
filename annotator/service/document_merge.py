"""Merging a document's title and deletion: the newer edit wins.

The same rule as annotations (:mod:`annotator.service.upsert`): the version with the later
``updated`` wins; on equal times the greater (deleted, title) does, so every project picks
the same winner whatever order bundles arrive in; the same content with a newer time only
takes the time. A document never renamed or deleted (``updated`` = ``created``, as in
sources older than document edits) has no edit to offer: it never changes ours, so an old
bundle never undoes a rename or brings back a document deleted since, and two colleagues
who imported the same text under different titles keep their own until one renames it.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED, ChangeSet
from annotator.models import Document
from annotator.service.document_edits import MAX_TITLE
from annotator.service.payload import InDocument

_DOCUMENTS = cast(Table, Document.__table__)
Edit = tuple[bool, datetime, bool, str]
"""(edited, updated, deleted, title): edited is False for a document never renamed or
deleted, which any edit beats."""


def title_of(incoming: str) -> str:
    """An incoming title as stored (one line, at most MAX_TITLE characters)."""
    return " ".join(incoming.split())[:MAX_TITLE] or "Untitled"


def wins(new: Edit, old: Edit) -> bool:
    """Whether the incoming version replaces ours."""
    return new[0] and new > old


class DocumentEdits:
    """Applies incoming titles and deletions to matched documents within a merge."""

    def __init__(self, session: Session, changes: ChangeSet) -> None:
        self.session = session
        self.changes = changes
        self.counts = {"renamed": 0, "deleted": 0, "restored": 0}
        self._current: dict[int, tuple[str, Edit]] = {
            pk: (uuid, (updated != created, updated, bool(deleted), title))
            for pk, uuid, created, updated, deleted, title in session.execute(
                select(Document.id, Document.uuid, Document.created, Document.updated,
                       Document.deleted, Document.title))
        }

    def apply(self, pk: int, doc: InDocument) -> None:
        uuid, old = self._current[pk]
        new: Edit = (doc.updated != doc.created, doc.updated, doc.deleted, title_of(doc.title))
        if not wins(new, old):
            return
        self._store(pk, uuid, new)
        if new[2:] == old[2:]:
            return  # the same edit, newer: only the time converges
        if new[3] != old[3]:
            self.counts["renamed"] += 1
        if new[2] != old[2]:
            self.counts["deleted" if new[2] else "restored"] += 1
            self.changes.document(uuid, REMOVED if new[2] else ADDED)
        elif not new[2]:
            self.changes.document(uuid, UPDATED)

    def _store(self, pk: int, uuid: str, edit: Edit) -> None:
        self.session.execute(update(_DOCUMENTS).where(_DOCUMENTS.c.id == pk).values(
            updated=edit[1], deleted=edit[2], title=edit[3]))
        self._current[pk] = (uuid, (True, *edit[1:]))
