"""The mapped tables of a project database (SQLAlchemy 2.x typed ORM).

Documents and annotations carry uuid strings that stay the same in every copy of a project
(bundles, merges, exports), while integer keys stay local to one database. Annotations are
never removed: deleting one sets a tombstone, so undo, merge and history can bring it back.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC: every backend stores it the same way, and records add the zone back."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_uuid() -> str:
    return str(uuid.uuid4())


# The uuid variant's digit (binary 10xx) keeping a random hex digit's two low bits.
_VARIANT_DIGIT = dict(zip("0123456789abcdef", "89ab89ab89ab89ab", strict=True))


def new_uuids(count: int) -> list[str]:
    """``count`` random uuids as :func:`new_uuid` makes them (version 4, canonical form),
    from one read of the system's random source: a fifth of the time of one uuid4 each,
    for an import that makes thousands."""
    digits = os.urandom(16 * count).hex()
    return [f"{digits[at:at + 8]}-{digits[at + 8:at + 12]}-4{digits[at + 13:at + 16]}-"
            f"{_VARIANT_DIGIT[digits[at + 16]]}{digits[at + 17:at + 20]}-"
            f"{digits[at + 20:at + 32]}" for at in range(0, 32 * count, 32)]


def _not_sqlite(ddl: Any, target: Any, bind: Any, tables: Any = None, state: Any = None, *,
                dialect: Any, compiler: Any = None, checkfirst: bool = False) -> bool:
    """A ``ddl_if`` condition: on any database but SQLite."""
    return bool(dialect.name != "sqlite")


def declared_on(item: Any, dialect: Any) -> bool:
    """Whether schema ``item`` exists on ``dialect`` (an index may be made for some
    dialects only, with ``ddl_if``): what Alembic's comparison should look for."""
    condition = getattr(item, "_ddl_if", None)
    if condition is None:
        return True
    # SQLAlchemy's own test (as create_all makes it), so the two cannot disagree.
    return bool(condition._should_execute(None, item, None,
                                          compiler=dialect.ddl_compiler(dialect, None)))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Label(Base):
    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    color: Mapped[str] = mapped_column(String(7))
    key: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    order: Mapped[int] = mapped_column("sort_order", Integer, default=0)
    # Removed labels stay as rows so tombstoned annotations keep a valid label to restore to.
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class Annotator(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # Kept beside the text so document lists never measure megabytes of text.
    chars: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the title or the deletion last changed: merges keep the newer edit.
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A deleted document is a tombstone: hidden everywhere, its annotations kept, so that
    # undo and merges can bring it back with the same ids.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (
        # A document's live annotations in text order: opening it reads them all.
        Index("ix_annotations_document_span", "document_id", "deleted", "start")
        .ddl_if(callable_=_not_sqlite),
        # On SQLite the same index holds every column an open reads (it covers the read),
        # so the read walks the index alone: without it, each row costs a lookup of the
        # table by rowid, in the random order the rows were written (~3 ms per 10^4
        # annotations of a ~36 ms window open). It costs about the table's size again on
        # disk. Not on PostgreSQL, whose index entries may not hold a long note.
        Index("ix_annotations_document_read", "document_id", "deleted", "start", "end", "id",
              "label_id", "annotator_id", "note", "created", "updated")
        .ddl_if(dialect="sqlite"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    label: Mapped[Label] = relationship(lazy="joined")
    annotator: Mapped[Annotator] = relationship(lazy="joined")
    document: Mapped[Document] = relationship()


class DocumentStatus(Base):
    """One annotator's progress on one document; no row means ``new``."""

    __tablename__ = "document_status"
    __table_args__ = (UniqueConstraint("document_id", "annotator_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    status: Mapped[str] = mapped_column(String(20))
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Review(Base):
    """A reviewer's verdict on an annotation: ``accepted``, ``rejected`` or just ``comment``."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_annotation", "annotation_id", "created"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    annotation_id: Mapped[str] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AnnotationVersion(Base):
    """An earlier version of an annotation, kept when a merge or an edit replaced it."""

    __tablename__ = "annotation_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotation_id: Mapped[str] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    annotator: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated: Mapped[datetime] = mapped_column(DateTime)
    recorded: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(40))


class RelationType(Base):
    """A kind of link between two annotations, and which labels it may connect.

    ``from_labels`` and ``to_labels`` are lists of label names (empty: any label); a label
    rename rewrites them. Removed types stay as rows so tombstoned relations keep a type.
    """

    __tablename__ = "relation_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    from_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    to_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    order: Mapped[int] = mapped_column("sort_order", Integer, default=0)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class Relation(Base):
    """A directed link from one annotation to another of the same document (claim -> its
    source), owned by an annotator like an annotation and tombstoned, never removed.

    ``removed_with`` names the annotation whose deletion tombstoned the relation (NULL when
    it was deleted on its own), so restoring that annotation brings back exactly the
    relations its deletion took. It is local bookkeeping and does not travel.
    """

    __tablename__ = "relations"
    __table_args__ = (Index("ix_relations_document", "document_id", "deleted"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    from_id: Mapped[str] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    to_id: Mapped[str] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"),
                                       index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_types.id"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_with: Mapped[str | None] = mapped_column(String(36))


class AnnotationOrigin(Base):
    """An analyst's decision on one suggestion: ``accepted`` (``annotation_id`` is the
    annotation it became) or ``rejected`` (no annotation). Label, span and rule are kept
    as text, as proposed, so "kept vs rejected per rule" needs nothing else; rows are
    written once and travel in bundles by id.
    """

    __tablename__ = "annotation_origin"
    __table_args__ = (Index("ix_annotation_origin_document", "document_id", "rule"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotation_id: Mapped[str | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RelationOrigin(Base):
    """An analyst's decision on one suggested link: ``accepted`` (``relation_id`` is the
    relation it became) or ``rejected`` (none). Its type, rule and both ends (label and
    span, as proposed) are kept as text, like :class:`AnnotationOrigin`'s; rows are written
    once and travel in bundles by id.
    """

    __tablename__ = "relation_origin"
    __table_args__ = (Index("ix_relation_origin_document", "document_id", "rule"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    relation_id: Mapped[str | None] = mapped_column(
        ForeignKey("relations.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[float | None] = mapped_column(Float)
    type: Mapped[str] = mapped_column(String(200))
    from_label: Mapped[str] = mapped_column(String(200))
    from_start: Mapped[int] = mapped_column(Integer)
    from_end: Mapped[int] = mapped_column(Integer)
    to_label: Mapped[str] = mapped_column(String(200))
    to_start: Mapped[int] = mapped_column(Integer)
    to_end: Mapped[int] = mapped_column(Integer)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ChangeLogEntry(Base):
    """One thing one write changed, in commit order: what open windows follow and what a
    team server's conflict detection reads. Written in the same transaction as the change.

    ``seq`` only grows and is never reused (SQLite AUTOINCREMENT; on PostgreSQL writers of
    the log are serialised, so sequence order is commit order). ``operation`` groups the
    rows of one write; ``origin`` names the open project (window or process) that wrote it,
    so it can skip its own changes when it follows the log.
    """

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (SQLAlchemy's convention)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    origin: Mapped[str] = mapped_column(String(36))
    operation: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(80))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    change: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(Text)
    document: Mapped[str | None] = mapped_column(String(36))


class ProjectMarker(Base):
    """The one row saying this database is an Annotator project (see annotator.identity)."""

    __tablename__ = "annotator_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
