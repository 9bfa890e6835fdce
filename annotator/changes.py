"""What a write changed: the one change model every view and the change log share.

Every write of the service API builds a :class:`ChangeSet` inside its transaction; when the
transaction commits, the set is written to the project's change log (same transaction) and
published, frozen, as a :class:`Changes` to the project's subscribers. Changes made by other
processes arrive the same way through :meth:`Project.changes_since`. Views apply a
``Changes`` and never re-derive what a write did (in the spirit of Anki's ``OpChanges``).

Ids are the truth; ``records`` carries the new state of annotations where the write had it
at hand (single edits), so a key press needs no read back. Bulk writes (merges, imports)
name ids and documents only; a view re-reads what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from annotator.records import AnnotationRecord

# Kinds of entity in the change log, and what happened to one.
ANNOTATION, DOCUMENT, LABEL, STATUS, REVIEW = "annotation", "document", "label", "status", "review"
RELATION, RELATION_TYPE = "relation", "relation_type"
SUGGESTION = "suggestion"  # an analyst's decision on a suggestion (its origin row)
ADDED, UPDATED, REMOVED = "added", "updated", "removed"

_EMPTY: Mapping[str, AnnotationRecord] = MappingProxyType({})
_NONE: Mapping[str, str] = MappingProxyType({})
_NO_STATUS: Mapping[tuple[str, str], str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Changes:
    """What one write (or a batch of writes made elsewhere) changed.

    ``seq`` is the change-log sequence number of the last change included (0: none logged).
    ``reset`` means more changed than is worth listing: views reload everything they show.
    Removed annotations are tombstoned, so their records (``deleted`` True) stay readable.
    """

    action: str = ""
    seq: int = 0
    annotations_added: frozenset[str] = frozenset()
    annotations_updated: frozenset[str] = frozenset()
    annotations_removed: frozenset[str] = frozenset()
    records: Mapping[str, AnnotationRecord] = field(default_factory=lambda: _EMPTY)
    annotation_documents: Mapping[str, str] = field(default_factory=lambda: _NONE)
    """The document of every annotation named above."""
    documents_annotated: frozenset[str] = frozenset()
    documents_added: frozenset[str] = frozenset()
    documents_updated: frozenset[str] = frozenset()
    documents_removed: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    statuses: frozenset[tuple[str, str]] = frozenset()
    status_values: Mapping[tuple[str, str], str] = field(default_factory=lambda: _NO_STATUS)
    """The new status of (document, annotator) pairs where the write knew it."""
    reviews: frozenset[str] = frozenset()
    relations_added: frozenset[str] = frozenset()
    relations_updated: frozenset[str] = frozenset()
    relations_removed: frozenset[str] = frozenset()
    relation_documents: Mapping[str, str] = field(default_factory=lambda: _NONE)
    """The document of every relation named above."""
    relation_types: frozenset[str] = frozenset()
    suggestions: frozenset[str] = frozenset()
    """Decisions on suggestions (accepted or rejected proposals, links too) recorded."""
    suggestion_documents: frozenset[str] = frozenset()
    """The documents those decisions are about: proposals shown there may have to go."""
    reset: bool = False

    def __bool__(self) -> bool:
        return self.reset or any(
            (self.annotations_added, self.annotations_updated, self.annotations_removed,
             self.documents_added, self.documents_updated, self.documents_removed,
             self.labels, self.statuses, self.reviews, self.relation_documents,
             self.relation_types, self.suggestions)
        )

    @property
    def relations(self) -> frozenset[str]:
        """Every relation added, updated or removed."""
        return self.relations_added | self.relations_updated | self.relations_removed

    @property
    def annotations(self) -> frozenset[str]:
        """Every annotation added, updated or removed."""
        return self.annotations_added | self.annotations_updated | self.annotations_removed

    @property
    def documents(self) -> frozenset[str]:
        """Every document whose list entry may look different (added, renamed, annotated,
        status changed)."""
        return (self.documents_added | self.documents_updated | self.documents_annotated
                | {document for document, _ in self.statuses})

    @property
    def has_all_records(self) -> bool:
        """Whether ``records`` holds every annotation named (single edits made here do;
        bulk writes and changes read from the log do not)."""
        return all(a in self.records for a in self.annotation_documents)

    def annotations_in(self, document_id: str) -> list[str]:
        """The annotations named here that belong to ``document_id``."""
        return [a for a, d in self.annotation_documents.items() if d == document_id]

    def touches_document(self, document_id: str) -> bool:
        """Whether what a view shows of that document (its annotations, reviews or the
        document itself) may have changed."""
        return self.reset or document_id in self.documents_annotated or (
            document_id in self.documents_updated or document_id in self.documents_removed
        )


@dataclass(slots=True)
class ChangeSet:
    """The mutable builder a write fills in inside its transaction."""

    action: str
    annotations: dict[str, str] = field(default_factory=dict)
    annotation_documents: dict[str, str] = field(default_factory=dict)
    records: dict[str, AnnotationRecord] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)
    status_values: dict[tuple[str, str], str] = field(default_factory=dict)
    reviews: dict[str, str] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)
    relation_documents: dict[str, str] = field(default_factory=dict)
    relation_types: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, str] = field(default_factory=dict)
    seq: int = 0

    def __bool__(self) -> bool:
        return bool(self.annotations or self.documents or self.labels or self.statuses
                    or self.reviews or self.relations or self.relation_types
                    or self.suggestions)

    def annotation(self, annotation_id: str, document_id: str, what: str,
                   record: AnnotationRecord | None = None) -> None:
        """Note an annotation added, updated or removed in ``document_id``."""
        self.annotations[annotation_id] = _combine(self.annotations.get(annotation_id), what)
        self.annotation_documents[annotation_id] = document_id
        if record is not None:
            self.records[annotation_id] = record

    def document(self, document_id: str, what: str) -> None:
        self.documents[document_id] = _combine(self.documents.get(document_id), what)

    def label(self, name: str, what: str) -> None:
        self.labels[name] = _combine(self.labels.get(name), what)

    def status(self, document_id: str, annotator: str, value: str | None = None) -> None:
        """An annotator's status of a document changed (to ``value``, when known)."""
        self.statuses[(document_id, annotator)] = UPDATED
        if value is not None:
            self.status_values[(document_id, annotator)] = value

    def review(self, annotation_id: str, document_id: str) -> None:
        """A review was added to an annotation of ``document_id``."""
        self.reviews[annotation_id] = document_id

    def relation(self, relation_id: str, document_id: str, what: str) -> None:
        """Note a relation added, updated or removed in ``document_id``."""
        self.relations[relation_id] = _combine(self.relations.get(relation_id), what)
        self.relation_documents[relation_id] = document_id

    def relation_type(self, name: str, what: str) -> None:
        self.relation_types[name] = _combine(self.relation_types.get(name), what)

    def suggestion(self, origin_id: str, document_id: str) -> None:
        """Note a decision on a suggestion (its origin row, which never changes) about
        ``document_id``."""
        self.suggestions[origin_id] = document_id

    def freeze(self) -> Changes:
        def ids(kind: dict[str, str], what: str) -> frozenset[str]:
            return frozenset(k for k, v in kind.items() if v == what)

        return Changes(
            action=self.action,
            seq=self.seq,
            annotations_added=ids(self.annotations, ADDED),
            annotations_updated=ids(self.annotations, UPDATED),
            annotations_removed=ids(self.annotations, REMOVED),
            records=MappingProxyType(dict(self.records)) if self.records else _EMPTY,
            annotation_documents=MappingProxyType(dict(self.annotation_documents)),
            documents_annotated=frozenset(self.annotation_documents.values())
            | frozenset(self.reviews.values()) | frozenset(self.relation_documents.values()),
            documents_added=ids(self.documents, ADDED),
            documents_updated=ids(self.documents, UPDATED),
            documents_removed=ids(self.documents, REMOVED),
            labels=frozenset(self.labels),
            statuses=frozenset(self.statuses),
            status_values=MappingProxyType(dict(self.status_values)),
            reviews=frozenset(self.reviews),
            relations_added=ids(self.relations, ADDED),
            relations_updated=ids(self.relations, UPDATED),
            relations_removed=ids(self.relations, REMOVED),
            relation_documents=MappingProxyType(dict(self.relation_documents))
            if self.relation_documents else _NONE,
            relation_types=frozenset(self.relation_types),
            suggestions=frozenset(self.suggestions),
            suggestion_documents=frozenset(self.suggestions.values()),
        )


def _combine(before: str | None, now: str) -> str:
    """What happened over two steps: added then removed is removed, added then updated is
    still added, anything then added (a restore) is an update of what existed."""
    if before is None:
        return now
    if before == ADDED and now == UPDATED:
        return ADDED
    if now == ADDED:
        return UPDATED if before in (UPDATED, REMOVED) else ADDED
    return now
