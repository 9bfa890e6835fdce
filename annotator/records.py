"""Plain, immutable records that the service API returns.

They hold values, never live ORM objects, so the GUI can keep them (undo snapshots,
table rows) after the session that read them is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any, NamedTuple

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


class DocumentAnnotations(tuple[AnnotationRecord, ...]):
    """A document's live annotations in text order (start, end, id), as one read of them
    gave them, with the read's columns (:func:`record_columns`).

    Opening a document hands 10^4 records to the table, the view and the links; each
    wanted the ids, offsets or labels of all of them, and took them with one pass over
    the records (~0.3 ms per 10^4 each). The read has them as columns already. A tuple:
    nothing can reorder or change the records under the columns."""

    columns: RecordColumns

    def __new__(cls, records: Sequence[AnnotationRecord], columns: RecordColumns
                ) -> DocumentAnnotations:
        made = super().__new__(cls, records)
        made.columns = columns
        return made


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
