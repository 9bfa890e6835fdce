"""Relation types: the kinds of link a project's scheme allows, and which labels each connects."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED
from annotator.errors import AnnotatorError
from annotator.models import Label, Relation, RelationType, utcnow
from annotator.records import RelationTypeRecord
from annotator.service.base import ProjectBase
from annotator.service.checks import check_storable
from annotator.service.relation_store import tombstone_relations

# The same three the migration that introduced relations seeds (0004_relations).
DEFAULT_RELATION_TYPES = (
    ("attributed_to", ("claim",), ("source",), "The claim is attributed to this source."),
    ("supports", ("fact",), ("claim",), "The fact supports the claim."),
    ("contradicts", ("fact",), ("claim",), "The fact contradicts the claim."),
)
ATTRIBUTED_TO = "attributed_to"


def type_record(row: RelationType) -> RelationTypeRecord:
    return RelationTypeRecord(row.name, tuple(row.from_labels or ()), tuple(row.to_labels or ()),
                              row.description or "", row.order)


def clean_type_name(name: str) -> str:
    cleaned = check_storable((name or "").strip(), "the relation type name")
    if not cleaned:
        raise AnnotatorError("a relation type name must not be empty")
    if len(cleaned) > 200 or any(c.isspace() for c in cleaned):
        raise AnnotatorError(
            f"invalid relation type name {name!r}: at most 200 characters, no spaces"
        )
    return cleaned


def _clean_labels(names: Sequence[str], known: set[str], side: str) -> list[str]:
    if isinstance(names, str):
        raise AnnotatorError(f"the {side} labels must be a list of label names")
    cleaned = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    unknown = [n for n in cleaned if n not in known]
    if unknown:
        raise AnnotatorError(f"no label named {', '.join(map(repr, unknown))}")
    return cleaned


def live_type(session: Session, name: str) -> RelationType:
    row = session.scalar(
        select(RelationType).where(RelationType.name == name, ~RelationType.removed)
    )
    if row is None:
        known = ", ".join(session.scalars(
            select(RelationType.name).where(~RelationType.removed).order_by(RelationType.order)
        ))
        raise AnnotatorError(f"no relation type named {name!r} (known: {known or 'none'})")
    return row


def rename_label_in_types(session: Session, old: str, new: str) -> list[str]:
    """A label rename carries over to every relation type that names it; returns those types."""
    touched = []
    for row in session.scalars(select(RelationType)):
        sources, targets = list(row.from_labels or ()), list(row.to_labels or ())
        if old in sources or old in targets:
            row.from_labels = [new if n == old else n for n in sources]
            row.to_labels = [new if n == old else n for n in targets]
            touched.append(row.name)
    return touched


class RelationTypesMixin(ProjectBase):
    def relation_types(self) -> list[RelationTypeRecord]:
        """The project's relation types in their display order."""
        with self._reading() as session:
            rows = session.scalars(
                select(RelationType).where(~RelationType.removed)
                .order_by(RelationType.order, RelationType.id)
            )
            return [type_record(row) for row in rows]

    def add_relation_type(
        self, name: str, from_labels: Sequence[str] = (), to_labels: Sequence[str] = (),
        description: str = "",
    ) -> RelationTypeRecord:
        """Add a relation type linking annotations with one of ``from_labels`` to one with
        one of ``to_labels`` (an empty list: any label)."""
        name = clean_type_name(name)
        with self._writing(f"add relation type {name}") as (session, changes):
            known = self._label_names(session)
            sources = _clean_labels(from_labels, known, "from")
            targets = _clean_labels(to_labels, known, "to")
            rows = list(session.scalars(select(RelationType)))
            existing = next((row for row in rows if row.name == name), None)
            if existing is not None and not existing.removed:
                raise AnnotatorError(f"a relation type named {name!r} already exists")
            if existing is None:
                existing = RelationType(name=name)
                session.add(existing)
            existing.from_labels, existing.to_labels = sources, targets
            existing.description = check_storable(description or "", "the description")
            existing.order = max((r.order for r in rows if not r.removed), default=-1) + 1
            existing.removed = False
            session.flush()
            changes.relation_type(name, ADDED)
            return type_record(existing)

    def update_relation_type(
        self,
        name: str,
        *,
        new_name: str | None = None,
        from_labels: Sequence[str] | None = None,
        to_labels: Sequence[str] | None = None,
        description: str | None = None,
    ) -> RelationTypeRecord:
        """Rename a relation type (its relations follow), or change the labels it connects
        or its description. Relations already made are kept when the labels change;
        ``annotator check --schema`` lists those that no longer fit."""
        with self._writing(f"change relation type {name}") as (session, changes):
            row = live_type(session, name)
            changes.relation_type(name, UPDATED)
            known = self._label_names(session)
            if new_name is not None and new_name != row.name:
                new_name = clean_type_name(new_name)
                taken = session.scalar(select(RelationType).where(RelationType.name == new_name))
                if taken is not None and not taken.removed:
                    raise AnnotatorError(f"a relation type named {new_name!r} already exists")
                if taken is not None:
                    taken.name = f"{new_name} (removed {taken.id})"
                    session.flush()
                row.name = new_name
                changes.relation_type(name, REMOVED)
                changes.relation_type(new_name, ADDED)
                # What its relations export as changed: they count as updated for merges.
                session.execute(
                    update(Relation).where(Relation.type_id == row.id).values(updated=utcnow())
                )
            if from_labels is not None:
                row.from_labels = _clean_labels(from_labels, known, "from")
            if to_labels is not None:
                row.to_labels = _clean_labels(to_labels, known, "to")
            if description is not None:
                row.description = check_storable(description, "the description")
            session.flush()
            return type_record(row)

    def relation_type_usage(self, name: str) -> int:
        """How many live relations have this type."""
        with self._reading() as session:
            row = live_type(session, name)
            return int(session.scalar(
                select(func.count()).where(Relation.type_id == row.id, ~Relation.deleted)
            ) or 0)

    def remove_relation_type(self, name: str, *, force: bool = False) -> int:
        """Remove a relation type; one in use is refused unless ``force``, which tombstones
        its relations. Returns how many relations were removed with it."""
        with self._writing(f"remove relation type {name}") as (session, changes):
            row = live_type(session, name)
            changes.relation_type(name, REMOVED)
            ids = list(session.scalars(
                select(Relation.id).where(Relation.type_id == row.id, ~Relation.deleted)
            ))
            if ids and not force:
                raise AnnotatorError(
                    f"relation type {name!r} is used by {len(ids)} relation(s); "
                    "remove them first or force"
                )
            tombstone_relations(session, changes, ids)
            row.removed = True
            return len(ids)

    @staticmethod
    def _label_names(session: Session) -> set[str]:
        return set(session.scalars(select(Label.name).where(~Label.removed)))
