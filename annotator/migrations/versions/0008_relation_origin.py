"""relation origin: what analysts did with suggested links

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 20:00:00

One row per suggested link an analyst accepted (with the relation it became) or rejected:
rule, confidence, type, both ends (label and span), who and when, as ``annotation_origin``
holds for suggested annotations. Existing projects start with none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relation_origin",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("relation_id", sa.String(length=36), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column("from_label", sa.String(length=200), nullable=False),
        sa.Column("from_start", sa.Integer(), nullable=False),
        sa.Column("from_end", sa.Integer(), nullable=False),
        sa.Column("to_label", sa.String(length=200), nullable=False),
        sa.Column("to_start", sa.Integer(), nullable=False),
        sa.Column("to_end", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotators.id"],
                                name=op.f("fk_relation_origin_annotator_id_annotators")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_relation_origin_document_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["relation_id"], ["relations.id"],
                                name=op.f("fk_relation_origin_relation_id_relations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_origin")),
    )
    with op.batch_alter_table("relation_origin", schema=None) as batch_op:
        batch_op.create_index("ix_relation_origin_document", ["document_id", "rule"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_relation_origin_relation_id"),
                              ["relation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("relation_origin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_origin_relation_id"))
        batch_op.drop_index("ix_relation_origin_document")
    op.drop_table("relation_origin")
