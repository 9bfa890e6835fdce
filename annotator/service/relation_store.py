"""Reading relation rows, and the cascade that follows annotations being deleted or restored.

A relation counts as live when neither it nor either of its annotations is deleted: the
cascade below keeps tombstones in step for local writes, and the condition keeps a merged
state (a colleague deleted an annotation that one of our relations points at) from
showing a link to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Select, Table, and_, bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from annotator.changes import ADDED, REMOVED, ChangeSet
from annotator.models import Annotation, Annotator, Document, Relation, RelationType, utcnow
from annotator.records import RelationRecord
from annotator.service.base import aware

CHUNK = 500
_RELATIONS = cast(Table, Relation.__table__)
Source = aliased(Annotation, name="source")
Target = aliased(Annotation, name="target")


def relation_query() -> Select[*tuple[Any, ...]]:
    """Relation rows with what a record needs, and the deleted flags of both ends."""
    return (
        select(Relation.id, RelationType.name, Relation.from_id, Relation.to_id, Annotator.name,
               Relation.created, Document.uuid, Relation.updated, Relation.deleted,
               Source.deleted, Target.deleted)
        .join(RelationType, Relation.type_id == RelationType.id)
        .join(Annotator, Relation.annotator_id == Annotator.id)
        .join(Document, Relation.document_id == Document.id)
        .join(Source, Relation.from_id == Source.id)
        .join(Target, Relation.to_id == Target.id)
    )


def live() -> ColumnElement[bool]:
    """The condition on :func:`relation_query` for live relations."""
    return and_(~Relation.deleted, ~Source.deleted, ~Target.deleted)


def relation_record(row: Row[*tuple[Any, ...]]) -> RelationRecord:
    """The record of a row of :func:`relation_query`; ``deleted`` when it or an end is."""
    return RelationRecord(
        row[0], row[1], row[2], row[3], row[4], aware(row[5]), row[6], aware(row[7]),
        bool(row[8] or row[9] or row[10]),
    )


# The order relations are listed in: by document, then creation time and id.
RELATION_ORDER = (Relation.document_id, Relation.created, Relation.id)
# One document's live relations, the query every open of a document runs: built once (a
# build costs ~0.4 ms of SQLAlchemy's Python per call).
_OF_DOCUMENT = (relation_query().where(live())
                .where(Relation.document_id == bindparam("document"))
                .order_by(*RELATION_ORDER))


def read_document_relations(session: Session, document_pk: int) -> list[RelationRecord]:
    """The live relations of the document with local key ``document_pk``, by creation
    time and id."""
    return [relation_record(row) for row in session.execute(_OF_DOCUMENT,
                                                            {"document": document_pk})]


def tombstone_relations(
    session: Session, changes: ChangeSet, ids: Sequence[str],
    removed_with: dict[str, str] | None = None,
) -> None:
    """Tombstone these relations, noting each (with the annotation whose deletion took it,
    from ``removed_with``) in the change set."""
    if not ids:
        return
    now = utcnow()
    with_ = removed_with or {}
    session.connection().execute(
        _RELATIONS.update().where(_RELATIONS.c.id == bindparam("b_id")),
        [{"b_id": i, "deleted": True, "updated": now, "removed_with": with_.get(i)}
         for i in ids],
    )
    for relation_id, document in _documents_of(session, ids):
        changes.relation(relation_id, document, REMOVED)


def cascade_delete(session: Session, changes: ChangeSet, annotation_ids: Iterable[str]) -> int:
    """Tombstone the live relations of annotations being deleted; returns how many."""
    taken: dict[str, str] = {}
    wanted = sorted(set(annotation_ids))
    for begin in range(0, len(wanted), CHUNK):
        chunk = wanted[begin : begin + CHUNK]
        rows = session.execute(
            select(Relation.id, Relation.from_id, Relation.to_id)
            .where(~Relation.deleted, or_(Relation.from_id.in_(chunk), Relation.to_id.in_(chunk)))
        )
        members = set(chunk)
        for relation_id, source, target in rows:
            taken.setdefault(relation_id, source if source in members else target)
    tombstone_relations(session, changes, sorted(taken), taken)
    return len(taken)


def cascade_restore(session: Session, changes: ChangeSet, annotation_id: str) -> list[str]:
    """Bring back the relations of a restored annotation that an annotation's deletion took
    (not those deleted on their own), where both ends are live again and no identical live
    relation has appeared meanwhile. Returns their ids."""
    candidates = session.execute(
        select(Relation.id, Relation.from_id, Relation.to_id, Relation.type_id,
               Relation.annotator_id, Document.uuid)
        .join(Document, Relation.document_id == Document.id)
        .join(Source, Relation.from_id == Source.id)
        .join(Target, Relation.to_id == Target.id)
        .where(Relation.deleted, Relation.removed_with.is_not(None),
               or_(Relation.from_id == annotation_id, Relation.to_id == annotation_id),
               ~Source.deleted, ~Target.deleted)
        .join(RelationType, Relation.type_id == RelationType.id)
        .where(~RelationType.removed)
        .order_by(Relation.id)
    ).all()
    restored: list[str] = []
    now = utcnow()
    for relation_id, source, target, type_id, annotator_id, document in candidates:
        if duplicate_of(session, source, target, type_id, annotator_id, relation_id):
            continue
        session.execute(
            _RELATIONS.update().where(_RELATIONS.c.id == relation_id)
            .values(deleted=False, updated=now, removed_with=None)
        )
        changes.relation(relation_id, document, ADDED)
        restored.append(relation_id)
    return restored


def duplicate_of(
    session: Session, source: str, target: str, type_id: int, annotator_id: int,
    other_than: str | None,
) -> str | None:
    """The id of a live relation with the same ends, type and annotator, if there is one."""
    query = select(Relation.id).where(
        ~Relation.deleted, Relation.from_id == source, Relation.to_id == target,
        Relation.type_id == type_id, Relation.annotator_id == annotator_id,
    )
    if other_than is not None:
        query = query.where(Relation.id != other_than)
    return session.scalar(query.limit(1))


def _documents_of(session: Session, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
    wanted = sorted(set(ids))
    for begin in range(0, len(wanted), CHUNK):
        yield from session.execute(
            select(Relation.id, Document.uuid)
            .join(Document, Relation.document_id == Document.id)
            .where(Relation.id.in_(wanted[begin : begin + CHUNK]))
        )
