"""Annotation spans of one open document, indexed by paragraph for the highlighter.

Qt-free on purpose: the highlighter asks "which spans touch block n" once per painted
paragraph, so that lookup must cost O(spans in the block), never O(all spans).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ui.offsets import OffsetMap, block_starts


@dataclass(frozen=True, slots=True)
class ViewSpan:
    """One annotation as the view draws it; start/end are core code-point offsets."""

    id: str
    start: int
    end: int
    label: str
    color: str
    annotator: str
    note: str | None
    own: bool = True


class PlacedSpan(NamedTuple):
    """A span with its Qt positions and the blocks (paragraphs) it covers."""

    span: ViewSpan
    qt_start: int
    qt_end: int
    first_block: int
    last_block: int


class SpanIndex:
    def __init__(self) -> None:
        self._map = OffsetMap("")
        self._starts: list[int] = [0]
        self._by_id: dict[str, PlacedSpan] = {}
        self._by_block: dict[int, list[PlacedSpan]] = {}
        self._ordered: list[PlacedSpan] | None = None

    @property
    def offset_map(self) -> OffsetMap:
        return self._map

    def reset(self, text: str, spans: Iterable[ViewSpan]) -> None:
        self._map = OffsetMap(text)
        self._starts = block_starts(text)
        self._by_id = {}
        self._by_block = {}
        self._ordered = None
        for span in spans:
            self._insert(span)

    def block_of(self, offset: int) -> int:
        """Number of the block holding core `offset`."""
        return bisect_right(self._starts, offset) - 1

    def _place(self, span: ViewSpan) -> PlacedSpan:
        start, end = span.start, span.end
        if self._map.is_identity:
            qt_start, qt_end = start, end
        else:
            qt_start, qt_end = self._map.to_qt_range(start, end)
        starts = self._starts
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end - 1) - 1 if end > start else first
        return PlacedSpan(span, qt_start, qt_end, first, last)

    @property
    def block_count(self) -> int:
        return len(self._starts)

    def _insert(self, span: ViewSpan) -> PlacedSpan:
        placed = self._place(span)
        self._by_id[span.id] = placed
        by_block = self._by_block
        for n in range(placed.first_block, placed.last_block + 1):
            bucket = by_block.get(n)
            if bucket is None:
                by_block[n] = [placed]
            else:
                bucket.append(placed)
        return placed

    def _drop(self, span_id: str) -> PlacedSpan | None:
        placed = self._by_id.pop(span_id, None)
        if placed is None:
            return None
        for n in range(placed.first_block, placed.last_block + 1):
            bucket = self._by_block[n]
            bucket.remove(placed)
            if not bucket:
                del self._by_block[n]
        return placed

    def upsert(self, span: ViewSpan) -> range:
        """Add or replace `span`; returns the block numbers whose drawing changed."""
        old = self._drop(span.id)
        new = self._insert(span)
        self._ordered = None
        if old is None:
            return range(new.first_block, new.last_block + 1)
        return range(min(old.first_block, new.first_block),
                     max(old.last_block, new.last_block) + 1)

    def remove(self, span_id: str) -> range:
        old = self._drop(span_id)
        if old is None:
            return range(0)
        self._ordered = None
        return range(old.first_block, old.last_block + 1)

    def get(self, span_id: str) -> PlacedSpan | None:
        return self._by_id.get(span_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def in_block(self, block_number: int) -> Sequence[PlacedSpan]:
        return self._by_block.get(block_number, ())

    def at(self, offset: int) -> list[PlacedSpan]:
        """Spans covering core `offset`, shortest (topmost) first."""
        found = [p for p in self.in_block(self.block_of(offset))
                 if p.span.start <= offset < p.span.end]
        found.sort(key=lambda p: (p.span.end - p.span.start, p.span.start, p.span.id))
        return found

    def ordered(self) -> list[PlacedSpan]:
        """All spans in text order (start, end, id)."""
        if self._ordered is None:
            self._ordered = sorted(self._by_id.values(),
                                   key=lambda p: (p.span.start, p.span.end, p.span.id))
        return self._ordered
