"""relations and relation types

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 15:10:00

Seeds the default relation types (new projects and existing ones alike); the defaults are
written out here, not imported, so this revision stays what it was when later code changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DEFAULTS = (
    ("attributed_to", ["claim"], ["source"], "The claim is attributed to this source."),
    ("supports", ["fact"], ["claim"], "The fact supports the claim."),
    ("contradicts", ["fact"], ["claim"], "The fact contradicts the claim."),
)


def upgrade() -> None:
    types = op.create_table(
        "relation_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("from_labels", sa.JSON(), nullable=False),
        sa.Column("to_labels", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation_types")),
        sa.UniqueConstraint("name", name=op.f("uq_relation_types_name")),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.String(length=36), nullable=False),
        sa.Column("to_id", sa.String(length=36), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("removed_with", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotators.id"],
                                name=op.f("fk_relations_annotator_id_annotators")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_relations_document_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_id"], ["annotations.id"],
                                name=op.f("fk_relations_from_id_annotations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_id"], ["annotations.id"],
                                name=op.f("fk_relations_to_id_annotations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["type_id"], ["relation_types.id"],
                                name=op.f("fk_relations_type_id_relation_types")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relations")),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index("ix_relations_document", ["document_id", "deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_from_id"), ["from_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_to_id"), ["to_id"], unique=False)
    op.bulk_insert(types, [
        {"name": name, "from_labels": sources, "to_labels": targets, "description": text,
         "sort_order": order, "removed": False}
        for order, (name, sources, targets, text) in enumerate(DEFAULTS)
    ])


def downgrade() -> None:
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relations_to_id"))
        batch_op.drop_index(batch_op.f("ix_relations_from_id"))
        batch_op.drop_index("ix_relations_document")
    op.drop_table("relations")
    op.drop_table("relation_types")
