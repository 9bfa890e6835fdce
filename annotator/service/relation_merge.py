"""Merging relation types and relations from a bundle or a colleague's project file.

Relation types are matched by name: unknown ones are added (ours keep their labels), and
a type we removed comes back when an incoming live relation uses it. Relations are matched
by id with the annotations' rule (:mod:`annotator.service.upsert`): the later ``updated``
wins, equal times go to the greater :func:`rank` of the content (deletion first), tombstones
are versions like any other, and live twins (same ends, type and annotator) are folded into
the smallest id. So merging again changes nothing and any order gives the same result.

No history is kept for relations: a relation never changes its ends or its owner, so two
versions of one differ only in being deleted or not (or in a type name, after a rename),
and the loser says nothing the winner does not. Losers are counted as conflicting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED, ChangeSet
from annotator.errors import AnnotatorError
from annotator.models import Annotator, Relation, RelationType, utcnow
from annotator.service.payload import InRelation, InRelationType
from annotator.service.upsert import matching

_RELATIONS = cast(Table, Relation.__table__)
Content = tuple[str, str, str, str, bool]


@dataclass(frozen=True, slots=True)
class _Stored:
    document_pk: int
    content: Content
    updated: datetime


@dataclass(slots=True)
class RelationOutcome:
    """Every incoming relation counted once as added, updated, unchanged or conflicting."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicting: int = 0
    folded: int = 0
    types_added: list[str] = field(default_factory=list)


def rank(content: Content) -> tuple[bool, str, str, str, str]:
    """The tie-break between two versions with the same ``updated``."""
    source, target, kind, annotator, deleted = content
    return (deleted, source, target, kind, annotator)


def merge_relation_types(
    session: Session, incoming: Sequence[InRelationType], used: set[str], changes: ChangeSet,
    outcome: RelationOutcome,
) -> dict[str, int]:
    """Add the unknown types, revive removed ones in ``used``; returns name -> local key."""
    rows = {row.name: row for row in session.scalars(select(RelationType))}
    order = max((row.order for row in rows.values() if not row.removed), default=-1) + 1
    for kind in incoming:
        if kind.name in rows:
            continue
        row = RelationType(name=kind.name, from_labels=list(kind.from_labels),
                           to_labels=list(kind.to_labels), description=kind.description,
                           order=order, removed=kind.removed and kind.name not in used)
        session.add(row)
        rows[kind.name] = row
        if not row.removed:
            order += 1
            outcome.types_added.append(kind.name)
            changes.relation_type(kind.name, ADDED)
    for name in sorted(used):
        row = rows[name]
        if row.removed:
            row.removed, row.order = False, order
            order += 1
            outcome.types_added.append(name)
            changes.relation_type(name, ADDED)
    session.flush()
    return {name: row.id for name, row in rows.items()}


def merge_relations(
    session: Session,
    incoming: Sequence[InRelation],
    documents: dict[str, int],
    uuids: dict[int, str],
    type_ids: dict[str, int],
    annotators: dict[str, int],
    changes: ChangeSet,
    outcome: RelationOutcome,
) -> None:
    """Apply ``incoming`` relations by the module's rule."""
    stored = _existing(session, [r.id for r in incoming])
    inserts: list[dict[str, Any]] = []
    replaced: list[dict[str, Any]] = []
    touched: list[dict[str, Any]] = []
    current: set[str] = set()
    for r in _without_twins(incoming):
        document_pk = documents[r.document]
        content: Content = (r.source, r.target, r.type, r.annotator, r.deleted)
        values = {"from_id": r.source, "to_id": r.target, "type_id": type_ids[r.type],
                  "annotator_id": annotators[r.annotator], "updated": r.updated,
                  "deleted": r.deleted, "removed_with": None}
        old = stored.get(r.id)
        if old is None:
            inserts.append({"id": r.id, "document_id": document_pk, "created": r.created,
                            **values})
            outcome.added += 1
            changes.relation(r.id, uuids[document_pk], REMOVED if r.deleted else ADDED)
        elif old.document_pk != document_pk:
            raise AnnotatorError(
                f"relation {r.id} belongs to a different document in the source; "
                "nothing was merged"
            )
        elif old.content == content:
            outcome.unchanged += 1
            if r.updated > old.updated:
                touched.append({"b_id": r.id, "updated": r.updated})
        elif (r.updated, rank(content)) > (old.updated, rank(old.content)):
            replaced.append({"b_id": r.id, **values})
            outcome.updated += 1
            what = UPDATED if r.deleted == old.content[4] else (REMOVED if r.deleted else ADDED)
            changes.relation(r.id, uuids[document_pk], what)
        else:
            outcome.conflicting += 1
            continue
        stored[r.id] = _Stored(document_pk, content,
                               r.updated if old is None else max(r.updated, old.updated))
        current.add(r.id)
    connection = session.connection()
    if inserts:
        connection.execute(_RELATIONS.insert(), inserts)
    for batch in (replaced, touched):
        if batch:
            connection.execute(
                _RELATIONS.update().where(_RELATIONS.c.id == bindparam("b_id")), batch
            )
    outcome.folded += _fold_twins(session, current, stored, uuids, changes)


def _existing(session: Session, ids: Sequence[str]) -> dict[str, _Stored]:
    query = (
        select(Relation.id, Relation.document_id, Relation.from_id, Relation.to_id,
               RelationType.name, Annotator.name, Relation.deleted, Relation.updated)
        .join(RelationType, Relation.type_id == RelationType.id)
        .join(Annotator, Relation.annotator_id == Annotator.id)
    )
    return {
        row[0]: _Stored(row[1], (row[2], row[3], row[4], row[5], bool(row[6])), row[7])
        for row in matching(session, query, Relation.id, ids)
    }


def _without_twins(incoming: Sequence[InRelation]) -> list[InRelation]:
    """Live twins within one source: the smallest id of each stays (as for annotations)."""
    survivors: dict[tuple[str, str, str, str], str] = {}
    for r in incoming:
        if not r.deleted:
            key = (r.source, r.target, r.type, r.annotator)
            survivors[key] = min(survivors.get(key, r.id), r.id)
    return [r for r in incoming
            if r.deleted or survivors[(r.source, r.target, r.type, r.annotator)] == r.id]


def _fold_twins(
    session: Session, current: set[str], stored: dict[str, _Stored], uuids: dict[int, str],
    changes: ChangeSet,
) -> int:
    """Tombstone all but the smallest id among live twins involving incoming relations."""
    live_incoming = sorted(i for i in current if not stored[i].content[4])
    if not live_incoming:
        return 0
    documents = sorted({stored[i].document_pk for i in live_incoming})
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for begin in range(0, len(documents), 500):
        for row in session.execute(
            select(Relation.from_id, Relation.to_id, Relation.type_id, Relation.annotator_id,
                   Relation.id)
            .where(Relation.document_id.in_(documents[begin : begin + 500]), ~Relation.deleted)
        ):
            groups[tuple(row[:4])].append(row[4])
    wanted = set(live_incoming)
    losers = [loser for ids in groups.values() if len(ids) > 1 and wanted.intersection(ids)
              for loser in sorted(ids)[1:]]
    if not losers:
        return 0
    session.connection().execute(
        _RELATIONS.update().where(_RELATIONS.c.id == bindparam("b_id")),
        [{"b_id": loser, "deleted": True, "updated": utcnow(), "removed_with": None}
         for loser in losers],
    )
    pk_of = dict(session.execute(
        select(Relation.id, Relation.document_id).where(Relation.id.in_(losers))).all())
    for loser in losers:
        changes.relation(loser, uuids[pk_of[loser]], REMOVED)
    return len(losers)
