"""Plain, immutable records that the service API returns.

They hold values, never live ORM objects, so the GUI can keep them (undo snapshots,
table rows) after the session that read them is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple, cast, overload

STATUSES = ("new", "in_progress", "done")


@dataclass(frozen=True, slots=True)
class LabelRecord:
    name: str
    color: str
    key: str | None
    description: str
    order: int


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document without its text: what lists and tables show."""

    number: int
    id: str
    title: str
    chars: int
    annotations: int
    status: str
    sha256: str
    file_name: str | None
    format: str
    created: datetime


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A whole document, text included. ``text`` never changes after import."""

    number: int
    id: str
    title: str
    text: str
    sha256: str
    file_name: str | None
    format: str
    meta: dict[str, Any]
    created: datetime


class AnnotationRecord(NamedTuple):
    """One annotation. ``document_text[start:end]`` is its passage (code point offsets).

    A named tuple, not a frozen dataclass: opening a document makes 10^4 of them, and a
    frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) costs ~3x as
    much (~12 ms against ~4 ms per 10^4). Change one with ``record._replace(...)``."""

    id: str
    document_id: str
    start: int
    end: int
    label: str
    annotator: str
    note: str | None
    created: datetime
    updated: datetime
    deleted: bool = False


class RecordColumns(NamedTuple):
    """One field of every record of a sequence, in its order."""

    ids: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]
    labels: Sequence[str]


class DocumentAnnotations(Sequence[AnnotationRecord]):
    """A document's live annotations in text order (start, end, id), as one read of them
    gave them: with the read's columns (:func:`record_columns`), each record made the
    first time it is read.

    Opening a document hands 10^4 annotations to the table, the view and the links, which
    show the few dozen on screen and want one field of the others (ids, offsets, labels).
    Making every record up front cost ~2.3 ms per 10^4 (~3 ms in a window's open), and
    each reader's pass over them for its field ~0.3 ms more. ``one`` makes the record at a
    position, ``every`` all of them at once (iteration: a list, an export). Read-only:
    nothing can reorder or change the records under the columns."""

    __slots__ = ("_every", "_index", "_made", "_one", "_unmade", "columns")

    def __init__(self, columns: RecordColumns, one: Callable[[int], AnnotationRecord],
                 every: Callable[[], list[AnnotationRecord]]) -> None:
        self.columns = columns
        self._one, self._every = one, every
        self._made: list[AnnotationRecord | None] = [None] * len(columns.ids)
        self._unmade = len(self._made)
        self._index: Mapping[str, int] | None = None  # see record_index

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> AnnotationRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[AnnotationRecord]: ...

    def __getitem__(self, index: int | slice) -> AnnotationRecord | list[AnnotationRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._made)))]
        made = self._made[index]
        if made is None:
            position = index + len(self._made) if index < 0 else index
            made = self._made[position] = self._one(position)
            self._unmade -= 1
        return made

    def positions(self) -> Mapping[str, int]:
        """Each record's position by id, made once and shared (read-only: see
        record_index)."""
        if self._index is None:
            self._index = MappingProxyType(
                dict(zip(self.columns.ids, range(len(self._made)), strict=True)))
        return self._index

    def __iter__(self) -> Iterator[AnnotationRecord]:
        if self._unmade:
            # All at once, in C; those read already stay the objects they were.
            every = self._every()
            if self._unmade < len(self._made):
                every = [old or new for old, new in zip(self._made, every, strict=True)]
            self._made[:] = every
            self._unmade = 0
        return cast(Iterator[AnnotationRecord], iter(self._made))


class DocumentContents(NamedTuple):
    """A document, its live annotations and its live relations, read in one transaction
    (what a window shows of it: all of one moment)."""

    document: DocumentRecord
    annotations: DocumentAnnotations
    relations: list[RelationRecord]


_COLUMNS = (attrgetter("id"), attrgetter("start"), attrgetter("end"), attrgetter("label"))


def record_columns(records: Sequence[AnnotationRecord]) -> RecordColumns:
    """The ids, starts, ends and labels of ``records``, in their order: those the read
    kept for :class:`DocumentAnnotations`, else taken now (in C: no Python frame each)."""
    if isinstance(records, DocumentAnnotations):
        return records.columns
    return RecordColumns(*(tuple(map(getter, records)) for getter in _COLUMNS))


def record_index(records: Sequence[AnnotationRecord]) -> Mapping[str, int]:
    """Each record's position by id (the last one's for a repeated id); with no repeated
    id its values are the positions 0..n-1. A read's is made once and shared, read-only:
    the table and the view each want one, and keep their own changes beside it (a copy
    touches every key and value: ~1 ms per 10^4 in a window's open)."""
    if isinstance(records, DocumentAnnotations):
        return records.positions()
    return dict(zip(record_columns(records).ids, range(len(records)), strict=True))


def in_text_order(records: Sequence[AnnotationRecord]) -> bool:
    """True when ``records`` are known to be in text order without looking (a read of a
    document's annotations); False says nothing."""
    return isinstance(records, DocumentAnnotations)


@dataclass(frozen=True, slots=True)
class RelationTypeRecord:
    """A kind of relation and the labels it may connect (an empty tuple: any label)."""

    name: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    description: str
    order: int


@dataclass(frozen=True, slots=True)
class RelationRecord:
    """A directed link ``from_id`` -> ``to_id`` between two annotations of one document
    (a claim and its source: ``attributed_to``), owned by ``annotator``."""

    id: str
    type: str
    from_id: str
    to_id: str
    annotator: str
    created: datetime
    document_id: str
    updated: datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file of an import: ``imported``, ``skipped`` or ``failed``."""

    path: str
    outcome: str
    reason: str = ""
    document_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    cancelled: bool = False
    unreadable: int = 0
    """Files passed over without being read: links, pipes, devices found in folders."""

    def _count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def imported(self) -> int:
        return self._count("imported")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def nothing_readable(self) -> bool:
        """Every file found was passed over unread (links, pipes, devices): a failure, not
        an empty success."""
        return self.unreadable > 0 and len(self.files) == self.unreadable

    @property
    def document_ids(self) -> list[str]:
        return [d for f in self.files for d in f.document_ids]


REVIEW_VERDICTS = ("accepted", "rejected", "comment")
# Recorded by curation when a disagreement is dismissed; it leaves the review status alone.
CURATION_VERDICTS = ("dismissed",)
# Recorded when an annotation's label or span changes after a verdict: the verdict was about
# the version before, so the review status is pending again.
REOPENED = "reopened"

REVIEW_STATUSES = ("pending", "accepted", "rejected")


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """A reviewer's verdict on an annotation; ``comment`` verdicts leave its status as it was."""

    id: str
    annotation_id: str
    reviewer: str
    verdict: str
    comment: str | None
    created: datetime


def review_status(reviews: Sequence[ReviewRecord]) -> str:
    """The review status that reviews in time order give an annotation: the latest accepted
    or rejected verdict, unless its label or span changed since (``reopened``); else
    pending. (The same rule as the core's ``latest_verdicts`` query, for views that hold
    reviews already.)"""
    for review in reversed(reviews):
        if review.verdict in ("accepted", "rejected"):
            return review.verdict
        if review.verdict == REOPENED:
            break
    return "pending"
