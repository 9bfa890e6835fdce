"""Storing the relations an imported file states, after its annotations.

Their ends are the file's annotations as stored (ids adopted included). Unknown relation
types are created connecting the labels the file links with them; a relation whose labels
an existing type does not connect is not kept (and counted). An end the import folded into
its twin is replaced by the twin. Made-up ids first adopt the
id of a live relation with the same ends and type (the file came from this project), else
get one derived from the ends, the type and the annotator, so importing again adds nothing.
The relations then follow the merge rule (:mod:`annotator.service.relation_merge`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, ChangeSet
from annotator.errors import AnnotatorError
from annotator.formats.fields import stable_id
from annotator.formats.model import IncomingDocument, IncomingRelation, Problem
from annotator.models import Annotation, Annotator, Document, Relation, RelationType, utcnow
from annotator.service.base import ensure_annotators
from annotator.service.ingest_match import IngestCounts, chunks
from annotator.service.payload import InRelation
from annotator.service.relation_merge import RelationOutcome, merge_relations
from annotator.service.relation_types import clean_type_name

MISFITS = "relation(s) whose labels the project's relation type does not connect"


def ingest_relations(
    session: Session,
    documents: Sequence[IncomingDocument],
    pks: dict[int, int | None],
    user: str,
    counts: IngestCounts,
    problems: list[Problem],
    changes: ChangeSet,
) -> None:
    """Store the relations of ``documents`` (``pks``: document index -> local key)."""
    wanted = [(pk, r) for i, d in enumerate(documents) if (pk := pks.get(i)) is not None
              for r in d.relations]
    if not wanted:
        return
    stated = [(d.source, r) for d in documents for r in d.relations]
    types = _ensure_types(session, stated, counts, problems, changes)
    if problems:
        return
    uuids = {pk: uuid for pk, uuid in session.execute(select(Document.id, Document.uuid))}
    _follow_folds(session, wanted)
    _adopt_ids(session, wanted, types)
    now = utcnow()
    names, _ = ensure_annotators(session,
                                 [user, *(r.annotator for _, r in wanted if r.annotator)])
    incoming: list[InRelation] = []
    seen: set[str] = set()
    for pk, r in wanted:
        kind = types[r.type]
        if ((kind.from_labels and r.source.label not in kind.from_labels)
                or (kind.to_labels and r.target.label not in kind.to_labels)):
            counts.relation_notes[MISFITS] += 1
            continue
        annotator = r.annotator or user
        if r.synthetic_id:
            r.id = stable_id("relation", r.source.id, r.target.id, r.type, annotator)
        if r.id in seen:  # the same link twice (its ends' twins were folded): once
            counts.relations_unchanged += 1
            continue
        seen.add(r.id)
        created = r.created or r.updated or now
        incoming.append(InRelation(r.id, str(pk), r.source.id, r.target.id, r.type, annotator,
                                   created, r.updated or created, False))
    outcome = RelationOutcome()
    merge_relations(session, incoming, {str(pk): pk for pk, _ in wanted}, uuids,
                    {name: row.id for name, row in types.items()}, names, changes, outcome)
    counts.relations_added += outcome.added
    counts.relations_updated += outcome.updated
    counts.relations_unchanged += outcome.unchanged + outcome.conflicting


def _ensure_types(
    session: Session, relations: list[tuple[str, IncomingRelation]], counts: IngestCounts,
    problems: list[Problem], changes: ChangeSet,
) -> dict[str, RelationType]:
    """The project's relation types, with those the file uses and the project lacks
    created (connecting the labels the file links with them)."""
    rows = {row.name: row for row in session.scalars(select(RelationType))}
    ends: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    where: dict[str, tuple[str, int]] = {}
    for source, r in relations:
        ends[r.type][0].add(r.source.label)
        ends[r.type][1].add(r.target.label)
        where.setdefault(r.type, (source, r.line))
    order = max((row.order for row in rows.values() if not row.removed), default=-1) + 1
    for name, (sources, targets) in ends.items():
        row = rows.get(name)
        if row is not None and not row.removed:
            continue
        try:
            clean_type_name(name)
        except AnnotatorError as exc:
            problems.append(Problem(*where[name], str(exc)))
            continue
        if row is None:
            row = rows[name] = RelationType(name=name, description="")
            session.add(row)
        row.from_labels, row.to_labels = sorted(sources), sorted(targets)
        row.order, row.removed = order, False
        order += 1
        counts.relation_types_created.append(name)
        changes.relation_type(name, ADDED)
    session.flush()
    return rows


def _follow_folds(session: Session, wanted: list[tuple[int, IncomingRelation]]) -> None:
    """A live end the import folded into its twin (same document, span, label and
    annotator: formats without annotators bring several users' twins as one user's) is
    replaced by that twin, so its relations stay live and importing again adds nothing."""
    ends = sorted({a.id for _, r in wanted for a in (r.source, r.target) if not a.deleted})
    folded: dict[str, tuple[int, ...]] = {}
    for chunk in chunks(ends):
        for end_id, *key in session.execute(
            select(Annotation.id, Annotation.document_id, Annotation.start, Annotation.end,
                   Annotation.label_id, Annotation.annotator_id)
            .where(Annotation.id.in_(chunk), Annotation.deleted)
        ):
            folded[end_id] = tuple(key)
    if not folded:
        return
    survivors: dict[tuple[int, ...], str] = {}
    documents = sorted({key[0] for key in folded.values()})
    for pk_chunk in chunks(documents):
        for *key, twin_id in session.execute(
            select(Annotation.document_id, Annotation.start, Annotation.end,
                   Annotation.label_id, Annotation.annotator_id, Annotation.id)
            .where(Annotation.document_id.in_(pk_chunk), ~Annotation.deleted)
            .order_by(Annotation.id)
        ):
            survivors.setdefault(tuple(key), twin_id)
    for _, r in wanted:
        for side in ("source", "target"):
            end = getattr(r, side)
            place = folded.get(end.id)
            twin = survivors.get(place) if place is not None else None
            if twin is not None:
                setattr(r, side, replace(end, id=twin))


def _adopt_ids(session: Session, wanted: list[tuple[int, IncomingRelation]],
               types: dict[str, RelationType]) -> None:
    """Made-up ids take the id of a live relation with the same ends and type (the
    oldest; one with the same annotator first)."""
    made_up = [r for _, r in wanted if r.synthetic_id]
    if not made_up:
        return
    ends = sorted({r.source.id for r in made_up})
    found: dict[tuple[str, str, int], list[tuple[str, str]]] = defaultdict(list)
    for chunk in chunks(ends):
        for relation_id, source, target, type_id, annotator in session.execute(
            select(Relation.id, Relation.from_id, Relation.to_id, Relation.type_id,
                   Annotator.name)
            .join(Annotator, Relation.annotator_id == Annotator.id)
            .where(Relation.from_id.in_(chunk), ~Relation.deleted)
            .order_by(Relation.created, Relation.id)
        ):
            found[(source, target, type_id)].append((relation_id, annotator))
    for r in made_up:
        options = found.get((r.source.id, r.target.id, types[r.type].id))
        if options:
            pick = next((o for o in options if o[1] == r.annotator), options[0])
            options.remove(pick)
            r.id, r.synthetic_id = pick[0], False
            if r.annotator is None:
                r.annotator = pick[1]
