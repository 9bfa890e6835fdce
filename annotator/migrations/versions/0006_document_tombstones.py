"""document tombstones

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

Documents can be renamed and deleted. A deleted document stays as a row (a tombstone, with
its annotations and relations untouched) so that undo and merges can bring it back with the
same ids; ``updated`` says when its title or its deletion last changed, so that merges keep
the newer edit. Existing documents were last edited when they were created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): a constant default makes NOT NULL possible on
    # SQLite, and copying the documents table would cascade to its annotations.
    op.add_column("documents", sa.Column("deleted", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.add_column("documents", sa.Column("updated", sa.DateTime(), nullable=False,
                                         server_default="1970-01-01 00:00:00"))
    op.execute("UPDATE documents SET updated = created")


def downgrade() -> None:
    op.drop_column("documents", "updated")
    op.drop_column("documents", "deleted")
