"""covering read index: a document's annotations read from the index alone (SQLite)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 03:00:00

Opening a document reads every live annotation of it in text order. Through the index on
(document, deleted, start) each row then cost a lookup of the table by rowid, in the order
the rows were written: ~3 ms per 10^4 annotations, a tenth of a window's open. On SQLite
that index is replaced by one holding every column the read takes, so the read walks the
index alone. It costs about the annotations' size again on disk. PostgreSQL keeps the
narrow index: its index entries are limited to ~2.7 kB, which a long note exceeds.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NARROW = ["document_id", "deleted", "start"]
_COVERING = [*_NARROW, "end", "id", "label_id", "annotator_id", "note", "created", "updated"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Created first: no moment without an index for the document's annotations. Either
    # may already be as wanted (a project whose older revision was stamped by hand).
    op.create_index("ix_annotations_document_read", "annotations", _COVERING,
                    if_not_exists=True)
    op.drop_index("ix_annotations_document_span", table_name="annotations", if_exists=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_annotations_document_span", "annotations", _NARROW,
                    if_not_exists=True)
    op.drop_index("ix_annotations_document_read", table_name="annotations", if_exists=True)
