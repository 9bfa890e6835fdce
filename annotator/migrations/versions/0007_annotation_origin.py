"""annotation origin: what analysts did with suggestions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 17:30:00

One row per suggestion an analyst accepted (with the annotation it became) or rejected:
rule, confidence, label, span, who and when, so agreement and the README can say how
often each rule's proposals were kept. Existing projects start with none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotation_origin",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.String(length=36), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["annotation_id"], ["annotations.id"],
                                name=op.f("fk_annotation_origin_annotation_id_annotations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotators.id"],
                                name=op.f("fk_annotation_origin_annotator_id_annotators")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_annotation_origin_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation_origin")),
    )
    with op.batch_alter_table("annotation_origin", schema=None) as batch_op:
        batch_op.create_index("ix_annotation_origin_document", ["document_id", "rule"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_annotation_origin_annotation_id"),
                              ["annotation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("annotation_origin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_origin_annotation_id"))
        batch_op.drop_index("ix_annotation_origin_document")
    op.drop_table("annotation_origin")
