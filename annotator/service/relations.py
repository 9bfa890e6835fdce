"""Relations: who said it. Directed links between two annotations of one document
(claim -> source ``attributed_to``, fact -> claim ``supports``/``contradicts``).

Relations belong to an annotator as annotations do (others change them only as
reviewers), are tombstoned rather than removed, and one annotator never has two live
relations with the same ends and type. Deleting an annotation tombstones its relations;
restoring it brings back those (see :mod:`annotator.service.relation_store`).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED
from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Document, Label, Relation, RelationType, utcnow
from annotator.records import RelationRecord
from annotator.service.base import ProjectBase
from annotator.service.hidden import in_live_document
from annotator.service.origin_links import End, record_link_origin
from annotator.service.relation_store import (
    RELATION_ORDER,
    duplicate_of,
    live,
    read_document_relations,
    relation_query,
    relation_record,
)
from annotator.service.relation_types import ATTRIBUTED_TO, live_type
from annotator.suggest.outcomes import ACCEPTED


def _relation(session: Session, relation_id: str) -> RelationRecord:
    row = session.execute(relation_query().where(Relation.id == str(relation_id))).first()
    if row is None:
        raise AnnotatorError(f"no relation with id {relation_id}")
    return relation_record(row)


def _label_of(session: Session, annotation: Annotation) -> str:
    return str(session.scalar(select(Label.name).where(Label.id == annotation.label_id)))


def _end(session: Session, annotation: Annotation) -> End:
    return (_label_of(session, annotation), annotation.start, annotation.end)


def check_link(session: Session, source: Annotation, target: Annotation,
               kind: RelationType) -> None:
    """Refuse a link its type does not allow, or one across documents."""
    if source.document_id != target.document_id:
        raise AnnotatorError(
            "a relation links two annotations of the same document; "
            f"{source.id} and {target.id} are in different documents"
        )
    for side, annotation, allowed in (("from", source, kind.from_labels),
                                      ("to", target, kind.to_labels)):
        label = _label_of(session, annotation)
        if allowed and label not in allowed:
            raise AnnotatorError(
                f"{kind.name} links {' or '.join(kind.from_labels) or 'any label'} to "
                f"{' or '.join(kind.to_labels) or 'any label'}; the {side} annotation "
                f"{annotation.id} is a {label!r}"
            )


class RelationsMixin(ProjectBase):
    def add_relation(self, from_id: str, to_id: str, type: str, *, rule: str | None = None,
                     confidence: float | None = None) -> str:
        """Link annotation ``from_id`` to ``to_id`` with relation ``type``, as the current
        user; returns the relation's id (a uuid string).

        Refused (AnnotatorError, nothing written) for an unknown or deleted annotation or
        type, a self-link, annotations of two documents, labels the type does not connect,
        or a live identical relation of the same user. ``rule`` names the suggestion rule
        that proposed the link (the change log records ``suggestion: RULE``), kept with
        ``confidence`` as the relation's origin (see :meth:`link_origins`).
        """
        from_id, to_id = str(from_id), str(to_id)
        if from_id == to_id:
            raise AnnotatorError("a relation cannot link an annotation to itself")
        action = f"suggestion: {rule}" if rule else f"add relation {type}"
        with self._writing(action) as (session, changes):
            source = self._live_annotation(session, from_id)
            target = self._live_annotation(session, to_id)
            kind = live_type(session, type)
            check_link(session, source, target, kind)
            annotator_pk = self._annotator_pk(session, self.user)
            existing = duplicate_of(session, from_id, to_id, kind.id, annotator_pk, None)
            if existing is not None:
                raise AnnotatorError(
                    f"an identical relation already exists ({existing}); nothing was added"
                )
            stamp = utcnow()
            row = Relation(document_id=source.document_id, from_id=from_id, to_id=to_id,
                           type_id=kind.id, annotator_id=annotator_pk, created=stamp,
                           updated=stamp, deleted=False)
            session.add(row)
            session.flush()
            document = str(session.scalar(
                select(Document.uuid).where(Document.id == row.document_id)))
            changes.relation(row.id, document, ADDED)
            if rule:
                origin = record_link_origin(
                    session, document_pk=row.document_id, annotator_pk=annotator_pk,
                    outcome=ACCEPTED, rule=rule, confidence=confidence, type=kind.name,
                    source=_end(session, source), target=_end(session, target),
                    created=stamp, relation_id=row.id)
                changes.suggestion(origin, document)
            return row.id

    def relation(self, relation_id: str) -> RelationRecord:
        """One relation, deleted ones included (``deleted`` True also when an end is)."""
        with self._reading() as session:
            return _relation(session, relation_id)

    def relations(
        self, document_id: str | None = None, annotator: str | None = None
    ) -> list[RelationRecord]:
        """Live relations (neither they nor their annotations deleted), filtered, by
        document, then creation time and id."""
        with self._reading() as session:
            if document_id is not None and annotator is None:
                return read_document_relations(session,
                                               self._document_pk(session, document_id))
            query = relation_query().where(live())
            if document_id is not None:
                query = query.where(
                    Relation.document_id == self._document_pk(session, document_id)
                )
            else:
                query = query.where(~Document.deleted)
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            rows = session.execute(query.order_by(*RELATION_ORDER))
            return [relation_record(row) for row in rows]

    def delete_relation(self, relation_id: str, *, as_reviewer: bool = False) -> RelationRecord:
        """Tombstone a relation; returns its state before, for :meth:`restore_relation`.

        Only its annotator may delete it, unless ``as_reviewer``.
        """
        with self._writing("delete relation") as (session, changes):
            snapshot = _relation(session, relation_id)
            row = session.get(Relation, snapshot.id)
            if row is None or row.deleted:
                raise AnnotatorError(f"relation {relation_id} is already deleted")
            self._check_may_change_relation(snapshot, as_reviewer)
            row.deleted, row.updated, row.removed_with = True, utcnow(), None
            changes.relation(snapshot.id, snapshot.document_id, REMOVED)
        return snapshot

    def restore_relation(
        self, snapshot: RelationRecord | str, *, as_reviewer: bool = False
    ) -> RelationRecord:
        """Bring back a deleted relation with the same id; refused when one of its
        annotations or its type is deleted, or when it would duplicate a live relation."""
        relation_id = snapshot if isinstance(snapshot, str) else snapshot.id
        with self._writing("restore relation") as (session, changes):
            row = session.get(Relation, relation_id)
            if row is None:
                raise AnnotatorError(f"no relation with id {relation_id}")
            before = _relation(session, relation_id)
            self._check_may_change_relation(before, as_reviewer)
            for end in (row.from_id, row.to_id):
                annotation = session.get(Annotation, end)
                if annotation is None or annotation.deleted:
                    raise AnnotatorError(f"cannot restore: its annotation {end} is deleted")
            kind = session.get(RelationType, row.type_id)
            if kind is None or kind.removed:
                raise AnnotatorError(f"cannot restore: its type {before.type!r} was removed")
            existing = duplicate_of(session, row.from_id, row.to_id, row.type_id,
                                    row.annotator_id, row.id)
            if existing is not None:
                raise AnnotatorError(f"cannot restore: an identical relation exists ({existing})")
            was_deleted = row.deleted
            row.deleted, row.updated, row.removed_with = False, utcnow(), None
            session.flush()
            changes.relation(row.id, before.document_id, ADDED if was_deleted else UPDATED)
            return _relation(session, relation_id)

    def claims_without_source(self) -> list[tuple[str, str, int, int, str]]:
        """Live annotations that the ``attributed_to`` type may link from (``claim`` by
        default) and that no live ``attributed_to`` relation of anyone links: (annotation
        id, document id, start, end), in document order. Empty when the project has no
        ``attributed_to`` type."""
        with self._reading() as session:
            kind = session.scalar(select(RelationType).where(
                RelationType.name == ATTRIBUTED_TO, ~RelationType.removed))
            if kind is None:
                return []
            attributed = {
                row[2] for row in session.execute(
                    relation_query().where(live(), Relation.type_id == kind.id))
            }
            query = (
                select(Annotation.id, Document.uuid, Annotation.start, Annotation.end, Label.name)
                .join(Document, Annotation.document_id == Document.id)
                .join(Label, Annotation.label_id == Label.id)
                .where(~Annotation.deleted, ~Document.deleted)
                .order_by(Annotation.document_id, Annotation.start, Annotation.end,
                          Annotation.id)
            )
            if kind.from_labels:
                query = query.where(Label.name.in_(list(kind.from_labels)))
            return [(a, d, s, e, n) for a, d, s, e, n in session.execute(query)
                    if a not in attributed]

    def misfit_relations(self) -> list[str]:
        """Live relations whose annotations' labels their type no longer connects (a label
        or type changed after the link was made), one line each."""
        with self._reading() as session:
            kinds = {row.id: row for row in session.scalars(select(RelationType))}
            labels: dict[str, str] = {}
            by_relation: dict[str, tuple[str, str, int]] = {}
            for relation_id, source, target, type_id in session.execute(
                select(Relation.id, Relation.from_id, Relation.to_id, Relation.type_id)
                .where(~Relation.deleted, in_live_document(Relation.document_id))
            ):
                by_relation[relation_id] = (source, target, type_id)
            ends = sorted({e for s, t, _ in by_relation.values() for e in (s, t)})
            for begin in range(0, len(ends), 500):
                labels.update((a, n) for a, n in session.execute(
                    select(Annotation.id, Label.name)
                    .join(Label, Annotation.label_id == Label.id)
                    .where(Annotation.id.in_(ends[begin : begin + 500]), ~Annotation.deleted)
                ))
        problems: dict[str, list[str]] = defaultdict(list)
        for relation_id, (source, target, type_id) in sorted(by_relation.items()):
            kind = kinds[type_id]
            if source not in labels or target not in labels:
                continue
            for side, end, allowed in (("from", source, kind.from_labels),
                                       ("to", target, kind.to_labels)):
                if allowed and labels[end] not in allowed:
                    problems[relation_id].append(
                        f"relation {relation_id} ({kind.name}): its {side} annotation {end} "
                        f"is a {labels[end]!r}, which {kind.name} does not connect"
                    )
        return [line for lines in problems.values() for line in lines]

    def _check_may_change_relation(self, current: RelationRecord, as_reviewer: bool) -> None:
        if current.annotator != self.user and not as_reviewer:
            raise AnnotatorError(
                f"this relation belongs to {current.annotator}; change it as a reviewer"
            )
