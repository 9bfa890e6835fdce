"""Deleted documents are tombstones: their rows, annotations and relations are kept (so a
restore brings them back with the same ids) and every read leaves them out.

Reads of one document go through :meth:`ProjectBase._document_pk`, which refuses a deleted
one; reads over the whole project add :func:`in_live_document` to their query.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute

from annotator.models import Document


def deleted_documents() -> Select[int]:
    """The local keys of the deleted documents (few: the subquery is cheap)."""
    return select(Document.id).where(Document.deleted)


def in_live_document(document_pk: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """The condition that a row's document (its local key ``document_pk``) is not deleted."""
    return document_pk.not_in(deleted_documents())
