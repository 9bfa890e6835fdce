"""The shapes that travel between the database and the format modules, both ways.

Exports read :class:`ExportDocument` values (one document and its selected spans at a time,
so memory stays flat); imports produce :class:`IncomingDocument` values that
:mod:`annotator.service.ingest` stores. Times travel as ISO 8601 strings in UTC with six
fractional digits and a ``Z``, so a file written twice from the same data is byte-identical.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from annotator.errors import AnnotatorError
from annotator.records import REVIEW_STATUSES, LabelRecord, RelationTypeRecord

# The review statuses an export can keep (``--status``).
STATUS_CHOICES = ("any", *REVIEW_STATUSES)

Progress = Callable[[int, int], bool | None]
"""``progress(done, total)``: called as work advances; returning False cancels."""


class ExportSpan(NamedTuple):
    id: str
    start: int
    end: int
    label: str
    annotator: str
    note: str | None
    created: str
    updated: str
    status: str
    rule: str | None = None
    """The suggestion rule the annotation was accepted from (None: typed by hand)."""


class ExportRelation(NamedTuple):
    """A live relation between two of the document's exported spans (by their ids)."""

    id: str
    type: str
    from_id: str
    to_id: str
    annotator: str


@dataclass(frozen=True, slots=True)
class ExportDocument:
    number: int
    id: str
    title: str
    text: str
    sha256: str
    meta: dict[str, Any]
    spans: list[ExportSpan]
    relations: list[ExportRelation] = field(default_factory=list)
    """Only relations whose two ends are among ``spans``."""
    meta_dropped: bool = False
    """The stored metadata broke the bounds every file must keep, and is left out."""


META_DROPPED = "document metadata left out (nested too deeply or too large to write)"


@dataclass(slots=True)
class ExportNotes:
    """What one export wrote, and what it could not represent (reason -> count)."""

    documents: int = 0
    annotations: int = 0
    lossy: Counter[str] = field(default_factory=Counter)

    def lose(self, reason: str, count: int = 1) -> None:
        if count:
            self.lossy[reason] += count


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What a writer may need besides the documents: the project's labels and relation
    types, in order."""

    labels: tuple[LabelRecord, ...]
    collection_id: str
    relation_types: tuple[RelationTypeRecord, ...] = ()


@dataclass(slots=True)
class IncomingAnnotation:
    """An annotation as a file states it. ``None`` in ``annotator``/``created``/``updated``
    means the format does not carry it; ``has_note`` False means the same for ``note``.

    ``status`` is the review status the file records (``accepted``/``rejected`` become a
    verdict of the importing user when the project's latest verdict differs).

    ``synthetic_id`` marks ids made up by the reader (formats without our ids): the engine
    then first adopts the id of an existing annotation with the same document, offsets and
    label, so a file exported from a project goes back into it without duplicates.
    """

    id: str
    start: int
    end: int
    label: str
    line: int
    annotator: str | None = None
    note: str | None = None
    has_note: bool = False
    created: datetime | None = None
    updated: datetime | None = None
    deleted: bool = False
    passage: str | None = None
    synthetic_id: bool = False
    quote: tuple[str, str, str] | None = None
    status: str | None = None
    rule: str | None = None
    """The suggestion rule it was accepted from, where the file says (jsonl's ``rule``)."""


@dataclass(slots=True)
class IncomingRelation:
    """A relation as a file states it, between two of its document's annotations (the
    objects themselves, so it follows them when the engine adopts an existing id).

    ``synthetic_id``: the reader made the id up (the file has none of ours); the engine
    then adopts the id of a live relation with the same ends and type, if there is one.
    """

    id: str
    type: str
    source: IncomingAnnotation
    target: IncomingAnnotation
    line: int
    annotator: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    synthetic_id: bool = False


@dataclass(slots=True)
class IncomingDocument:
    """A document as a file states it: its id and/or text, and its annotations."""

    line: int
    id: str | None = None
    title: str | None = None
    text: str | None = None
    sha256: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    annotations: list[IncomingAnnotation] = field(default_factory=list)
    source: str = ""
    match_universal_newlines: bool = False
    """The file may have rewritten the text's line breaks (brat writes LF): the document
    then also matches a project text that differs only in CRLF/CR/LF, and its offsets are
    mapped onto that text."""
    relations: list[IncomingRelation] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a file is refused: where (file, line) and what."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """How a file shows one of its labels: colour and shortcut key as the file writes them
    (None where it gives none). A label an import creates takes them when the project can."""

    color: str | None = None
    key: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """What a reader found: documents, what it skipped (reason -> count), and problems.

    ``labels`` is the file's declared tag set, in order, and ``label_styles`` the colours
    and keys it gives them (name -> style). ``read_from`` says where annotations were
    found when a format has more than one place for them (``"annotation(s) from
    doc.ents"`` -> count).
    """

    documents: list[IncomingDocument] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    label_styles: dict[str, LabelStyle] = field(default_factory=dict)
    read_from: Counter[str] = field(default_factory=Counter)


class FileRefused(AnnotatorError):
    """A file with problems: nothing of it was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"file refused, nothing imported: {shown}{more}")


class Cancelled(AnnotatorError):
    """The progress callback asked to stop; nothing was left at the destination."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was written")


def iso(value: datetime | str) -> str:
    """A stored time as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.

    SQLite hands back its stored text (always with microseconds) when read as a string;
    other backends hand back datetimes.
    """
    if isinstance(value, str):
        return value.replace(" ", "T", 1) + "Z"
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep="T", timespec="microseconds") + "Z"


def parse_time(value: Any) -> datetime | None:
    """A time from a file as naive UTC (how the database stores it); None if absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"a time must be a string, not {value!r}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
