"""project marker

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

Marks the database as an Annotator project: a one-row ``annotator_project`` table on every
backend and, on SQLite, the ``application_id`` in the file header. Opening checks for them
before writing anything, so another application's database is never changed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

APPLICATION_ID = 0x414E4E4F  # written out here: this revision stays what it was


def upgrade() -> None:
    marker = op.create_table(
        "annotator_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotator_project")),
    )
    op.bulk_insert(marker, [{"id": 1, "uuid": str(uuid.uuid4()),
                             "created": datetime.now(UTC).replace(tzinfo=None)}])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    op.drop_table("annotator_project")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA application_id = 0")
