"""Annotation spans of one open document, placed in Qt positions and paragraphs.

Qt-free on purpose. The highlighter asks "which spans touch blocks a..b" once per paint
of the visible paragraphs; opening a document must not cost a Python loop per span.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, overload

if TYPE_CHECKING:  # numpy itself loads with the first spans placed, not at start-up
    import numpy as np
    import numpy.typing as npt

    from annotator.records import AnnotationRecord

from annotator.records import record_columns, record_index
from ui.workspace.offsets import (
    DisplayLayout,
    OffsetMap,
    checks_of,
    display_layout,
    qt_string,
)
from ui.workspace.shared_index import SharedIndex


class ViewSpan(NamedTuple):
    """One annotation as the view draws it; start/end are core code-point offsets.

    A named tuple, not a frozen dataclass: a frozen dataclass's __init__ (one
    object.__setattr__ per field) costs ~6x as much, and a repaint may make hundreds."""

    id: str
    start: int
    end: int
    label: str
    color: str
    annotator: str
    note: str | None
    own: bool = True


_ID, _START, _END = attrgetter("id"), attrgetter("start"), attrgetter("end")
NO_COLOR = "#999999"  # a span whose label has no colour (any more)


def view_span(record: AnnotationRecord, colors: Mapping[str, str], user: str) -> ViewSpan:
    """The view's span of `record`: colour by label, ``own`` when ``user``'s."""
    return ViewSpan(record.id, record.start, record.end, record.label,
                    colors.get(record.label, NO_COLOR), record.annotator, record.note,
                    record.annotator == user)


class RecordSpans(Sequence[ViewSpan]):
    """The view's spans of annotation records (see :func:`view_span`), each made when it is
    first asked for.

    Opening a document hands the view 10^4 records (5 * 10^4 in a 5 MB dataset record);
    the view places them all but paints the few hundred on screen. Making every span up
    front cost ~2.7 ms per 10^4 (~20 ms at 5 * 10^4); :class:`SpanIndex` keeps the records
    and makes a span the first time it is read. The colours are those of the moment the
    spans are made from (a copy)."""

    __slots__ = ("_colors", "_user", "records")

    def __init__(self, records: Iterable[AnnotationRecord], colors: Mapping[str, str],
                 user: str) -> None:
        # A sequence is kept as it is (a read's DocumentAnnotations keeps its columns).
        self.records: Sequence[AnnotationRecord] = (
            records if isinstance(records, Sequence) else list(records))
        self._colors = dict(colors)
        self._user = user

    def make(self, record: AnnotationRecord) -> ViewSpan:
        return view_span(record, self._colors, self._user)

    def make_at(self, position: int) -> ViewSpan:
        """The span of the record at ``position`` (made only now, for lazy records)."""
        return view_span(self.records[position], self._colors, self._user)

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> ViewSpan: ...

    @overload
    def __getitem__(self, index: slice) -> list[ViewSpan]: ...

    def __getitem__(self, index: int | slice) -> ViewSpan | list[ViewSpan]:
        if isinstance(index, slice):
            return [self.make(record) for record in self.records[index]]
        return self.make(self.records[index])


class _Unmade:
    """A slot's span not made yet (see SpanIndex._spans)."""


_UNMADE = _Unmade()


class PlacedSpan(NamedTuple):
    """A span with its Qt positions and the blocks (paragraphs) it covers."""

    span: ViewSpan
    qt_start: int
    qt_end: int
    first_block: int
    last_block: int


class SpanIndex:
    """Spans in parallel numpy arrays: a reset places 10,000 spans in a few ms, and
    "which spans touch blocks a..b" is one vectorised scan, whatever the span lengths.

    The empty index (the view before a document is opened) holds no array and loads no
    numpy: `_cols` is set by `reset` with spans or by `upsert`, and read only when there
    are spans."""

    # Columns: core start, core end, qt start, qt end, first block, last block.
    # Declared without a shape: numpy 2.2 and 2.3+ type stacking differently.
    _cols: npt.NDArray[np.int64]
    # What _cols is the first len(_spans) columns of (upsert grows it by doubling).
    _store: npt.NDArray[np.int64]

    def __init__(self) -> None:
        self._map = OffsetMap("")
        self._layout = DisplayLayout("", [0], [])
        self._qt_text = ""
        self._starts: list[int] = [0]
        # A slot's span; _UNMADE until the span is first read (`_make` makes it then from
        # the record at the slot's position in the RecordSpans it came from: the slot
        # itself, or `_positions[slot]`); None once removed.
        self._spans: list[ViewSpan | _Unmade | None] = []
        self._make: Callable[[int], ViewSpan] | None = None
        self._positions: list[int] | None = None
        # Slots by id (from records: their shared index, with the changes since on top).
        self._slot: MutableMapping[str, int] = {}
        self._ordered: list[PlacedSpan] | None = None

    @property
    def offset_map(self) -> OffsetMap:
        return self._map

    @property
    def display(self) -> DisplayLayout:
        """The text handed to Qt and its blocks (see ui.workspace.offsets)."""
        return self._layout

    @property
    def qt_text(self) -> str:
        """The display text as the UTF-16 units Qt stores (see offsets.qt_string): what
        setPlainText converts fastest, to the same QString."""
        return self._qt_text

    @property
    def block_count(self) -> int:
        return len(self._starts)

    def reset(self, text: str, spans: Sequence[ViewSpan]) -> None:
        """Place `spans` in `text`; a :class:`RecordSpans` is placed from its records, its
        spans made as they are read."""
        checks = checks_of(text)  # one set of text scans for the map and the layout
        self._map = OffsetMap(text, checks)
        self._layout = display_layout(text, checks)
        self._qt_text = qt_string(self._layout.text, checks)
        self._starts = self._layout.block_starts
        # A record's span is made when first read: until then its slot holds _UNMADE (one
        # shared marker, no object per span: touching 10^4 of them after the text's scans
        # cost ~1 ms). Ids and offsets come from the records' columns (a read's own: no
        # record made for them).
        unique: list[ViewSpan | _Unmade | None]
        self._positions = None
        if isinstance(spans, RecordSpans):
            _ids, starts, ends, _labels = record_columns(spans.records)
            self._slot, self._make = SharedIndex(record_index(spans.records)), spans.make_at
            unique = [_UNMADE] * len(starts)
        else:
            ids, starts, ends = (tuple(map(getter, spans)) for getter in (_ID, _START, _END))
            self._slot, self._make = dict(zip(ids, range(len(ids)), strict=True)), None
            unique = list(spans)
        if len(self._slot) != len(starts):  # a repeated id: the last one wins
            kept = list(self._slot.values())
            if self._make is None:
                unique = [unique[i] for i in kept]
            else:
                unique, self._positions = [_UNMADE] * len(kept), kept
            starts, ends = [starts[i] for i in kept], [ends[i] for i in kept]
            self._slot = dict(zip(self._slot, range(len(kept)), strict=True))
        self._spans = unique
        self._ordered = None
        if not unique:  # no array to place: an empty document (or view) loads no numpy
            return
        import numpy as np

        self._cols = self._store = self._placed_columns(np.array(starts, dtype=np.int64),
                                                        np.array(ends, dtype=np.int64))

    def _placed_columns(self, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
                        ) -> npt.NDArray[np.int64]:
        import numpy as np

        block_starts_np = np.asarray(self._starts, dtype=np.int64)
        first = np.searchsorted(block_starts_np, starts, side="right") - 1
        last = np.searchsorted(block_starts_np, np.maximum(ends - 1, starts), side="right") - 1
        return np.vstack([starts, ends, self._map.to_qt_many(starts),
                          self._map.to_qt_many(ends, end=True), first, last])

    def block_of(self, offset: int) -> int:
        """Number of the block holding core `offset`."""
        return bisect_right(self._starts, offset) - 1

    def _span_at(self, slot: int) -> ViewSpan | None:
        span = self._spans[slot]
        if span is None or isinstance(span, ViewSpan):
            return span
        assert self._make is not None  # a span is unmade only with its maker
        made = self._spans[slot] = self._make(
            slot if self._positions is None else self._positions[slot])
        return made

    def _placed(self, slot: int) -> PlacedSpan:
        span = self._span_at(slot)
        assert span is not None
        c = self._cols[:, slot]
        return PlacedSpan(span, int(c[2]), int(c[3]), int(c[4]), int(c[5]))

    def _placed_column(self, start: int, end: int) -> tuple[int, int, int, int, int, int]:
        """One span's column, as _placed_columns places it, without numpy's per-call cost
        (a key press places one span)."""
        to_qt, starts = self._map.to_qt, self._starts
        return (start, end, to_qt(start), to_qt(end, end=True),
                bisect_right(starts, start) - 1, bisect_right(starts, max(end - 1, start)) - 1)

    def upsert(self, span: ViewSpan) -> range:
        """Add or replace `span`; returns the block numbers whose drawing changed."""
        import numpy as np

        column = self._placed_column(span.start, span.end)
        first, last = column[4], column[5]
        slot = self._slot.get(span.id)
        if slot is None:
            slot = len(self._spans)
            if not self._spans:
                self._store = np.zeros((6, 64), dtype=np.int64)
            elif slot == self._store.shape[1]:
                # Room for as many again: a new span costs no copy of every column.
                grown = np.zeros((6, 2 * slot), dtype=np.int64)
                grown[:, :slot] = self._cols
                self._store = grown
            self._store[:, slot] = column
            self._cols = self._store[:, :slot + 1]
            self._spans.append(span)
            self._slot[span.id] = slot
        else:
            first = min(first, int(self._cols[4, slot]))
            last = max(last, int(self._cols[5, slot]))
            self._spans[slot] = span
            self._cols[:, slot] = column
        self._ordered = None
        return range(first, last + 1)

    def remove(self, span_id: str) -> range:
        slot = self._slot.pop(span_id, None)
        if slot is None:
            return range(0)
        blocks = range(int(self._cols[4, slot]), int(self._cols[5, slot]) + 1)
        self._spans[slot] = None
        self._cols[:, slot] = (0, 0, 0, 0, -1, -1)  # a dead slot touches no block
        self._ordered = None
        return blocks

    def span(self, span_id: str) -> ViewSpan | None:
        """The span itself, without placing it (no numpy lookups)."""
        slot = self._slot.get(span_id)
        return None if slot is None else self._span_at(slot)

    def get(self, span_id: str) -> PlacedSpan | None:
        slot = self._slot.get(span_id)
        return None if slot is None else self._placed(slot)

    def __len__(self) -> int:
        return len(self._slot)

    def in_blocks(self, first: int, last: int) -> dict[int, list[PlacedSpan]]:
        """Spans touching each block first..last (blocks without spans are left out)."""
        if not self._spans:
            return {}
        import numpy as np

        cols = self._cols
        slots = np.flatnonzero((cols[4] <= last) & (cols[5] >= first))
        # The found columns read out in one call: per-slot numpy indexing (a view and four
        # scalar reads each) cost more than the scan when a display block holds 20+ spans.
        span_at = self._span_at
        found: dict[int, list[PlacedSpan]] = {}
        for slot, qt_start, qt_end, first_block, last_block in zip(
                slots.tolist(), *cols[2:, slots].tolist(), strict=True):
            span = span_at(slot)
            assert span is not None
            placed = PlacedSpan(span, qt_start, qt_end, first_block, last_block)
            for n in range(max(first_block, first), min(last_block, last) + 1):
                found.setdefault(n, []).append(placed)
        return found

    def starting_in(self, qt_first: int, qt_last: int) -> list[PlacedSpan]:
        """Spans whose first character lies at Qt positions qt_first..qt_last, in text order.

        One vectorised scan: painting what starts on screen costs what is on screen, even in
        a document that is one huge paragraph."""
        if not self._spans:
            return []
        import numpy as np

        cols = self._cols
        slots = np.flatnonzero((cols[2] >= qt_first) & (cols[2] <= qt_last) & (cols[4] >= 0))
        found = [self._placed(slot) for slot in slots.tolist()]
        found.sort(key=lambda p: (p.qt_start, p.span.id))
        return found

    def in_block(self, block_number: int) -> list[PlacedSpan]:
        return self.in_blocks(block_number, block_number).get(block_number, [])

    def at(self, offset: int) -> list[PlacedSpan]:
        """Spans covering core `offset`, shortest (topmost) first."""
        if not self._spans:
            return []
        import numpy as np

        cols = self._cols
        slots = np.flatnonzero((cols[0] <= offset) & (cols[1] > offset) & (cols[4] >= 0))
        found = [self._placed(slot) for slot in slots.tolist()]
        found.sort(key=lambda p: (p.span.end - p.span.start, p.span.start, p.span.id))
        return found

    def ordered(self) -> list[PlacedSpan]:
        """All spans in text order (start, end, id)."""
        if self._ordered is None:
            live = [self._placed(slot) for slot in self._slot.values()]
            self._ordered = sorted(live, key=lambda p: (p.span.start, p.span.end, p.span.id))
        return self._ordered
