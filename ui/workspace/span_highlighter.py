"""Draws annotation spans as character formats through QSyntaxHighlighter.

A highlighter keeps its formats out of the document (no undo entries, nothing in copied
HTML) and lets one edited span re-highlight only its own paragraphs. Attach it to the
document BEFORE setPlainText: Qt then calls it for every block in the same pass that lays
the text out (attached afterwards it queues a second full pass that took ~1 s on 1 MB).

Even that one pass cost ~60 ms of Python on 1 MB with 10,000 spans, so blocks are formatted
lazily: `mark_all_pending` before setPlainText makes that pass a cheap no-op per block, and
the view calls `ensure_highlighted` for the blocks it is about to paint.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ui.workspace.reading_style import PAPER
from ui.workspace.span_index import PlacedSpan, SpanIndex

OWN_ALPHA = 0.30     # tint of one own annotation over the paper
OTHER_ALPHA = 0.14   # a colleague's annotation: lighter, and always underlined
MAX_ALPHA = 0.62     # deepest stack still keeps body text readable

_Layer = tuple[str, bool]


def blend(under: QColor, over: QColor, alpha: float) -> QColor:
    return QColor(round(under.red() + (over.red() - under.red()) * alpha),
                  round(under.green() + (over.green() - under.green()) * alpha),
                  round(under.blue() + (over.blue() - under.blue()) * alpha))


def darker(color: QColor, factor: float = 0.72) -> QColor:
    return QColor(round(color.red() * factor), round(color.green() * factor),
                  round(color.blue() * factor))


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, index: SpanIndex) -> None:
        super().__init__(document)
        self._index = index
        self._formats: dict[tuple[_Layer, ...], QTextCharFormat] = {}
        self._pending = bytearray()
        self._batch: dict[int, list[PlacedSpan]] | None = None

    def mark_all_pending(self, block_count: int) -> None:
        self._pending = bytearray(b"\x01") * block_count

    def is_pending(self, block_number: int) -> bool:
        return block_number < len(self._pending) and bool(self._pending[block_number])

    def ensure_highlighted(self, first: int, last: int) -> None:
        """Format blocks first..last (inclusive) that have not been formatted yet."""
        pending = self._pending
        last = min(last, len(pending) - 1)
        if first > last or pending.find(1, first, last + 1) < 0:
            return
        document = self.document()
        self._batch = self._index.in_blocks(first, last)
        try:
            for n in range(first, last + 1):
                if pending[n]:
                    pending[n] = 0
                    self.rehighlightBlock(document.findBlockByNumber(n))
        finally:
            self._batch = None

    def refresh(self, blocks: range) -> None:
        """Re-format `blocks` after their spans changed (pending ones wait for their paint)."""
        document = self.document()
        if not blocks:
            return
        self._batch = self._index.in_blocks(blocks.start, blocks.stop - 1)
        try:
            for n in blocks:
                if not self.is_pending(n):
                    block = document.findBlockByNumber(n)
                    if block.isValid():
                        self.rehighlightBlock(block)
        finally:
            self._batch = None

    def format_for(self, layers: tuple[_Layer, ...]) -> QTextCharFormat:
        """Format for a stretch covered by `layers` (colour, own), outermost first."""
        fmt = self._formats.get(layers)
        if fmt is not None:
            return fmt
        # Each layer tints what lies under it, so depth reads as stronger colour while
        # the mix still hints at every label present.
        color = PAPER
        total = 0.0
        for hex_color, own in layers:
            alpha = OWN_ALPHA if own else OTHER_ALPHA
            step = min(alpha, max(MAX_ALPHA - total, 0.0) / (1.0 - total))
            color = blend(color, QColor(hex_color), step)
            total += step * (1.0 - total)
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        inner_color, inner_own = layers[-1]
        if len(layers) > 1 or not inner_own:
            # The underline names the innermost span's label where tints alone would blur.
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline if inner_own
                                  else QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(darker(QColor(inner_color)))
        self._formats[layers] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        number = block.blockNumber()
        pending = self._pending
        if number < len(pending) and pending[number]:
            return
        batch = self._batch
        placed = batch.get(number, ()) if batch is not None else self._index.in_block(number)
        if not placed:
            return
        base = block.position()
        length = block.length() - 1
        pieces: list[tuple[int, int, PlacedSpan]] = []
        for p in placed:
            start = max(p.qt_start - base, 0)
            end = min(p.qt_end - base, length)
            if end > start:
                pieces.append((start, end, p))
        if not pieces:
            return
        if len(pieces) == 1:
            start, end, p = pieces[0]
            self.setFormat(start, end - start, self.format_for(((p.span.color, p.span.own),)))
            return
        for start, end, layers in layered_runs(pieces):
            self.setFormat(start, end - start, self.format_for(layers))


def _stacking(piece: tuple[int, int, PlacedSpan]) -> tuple[int, int, str]:
    # Outermost (longest) first so the innermost span's tint lands on top.
    span = piece[2].span
    return (span.start - span.end, span.start, span.id)


def layered_runs(pieces: list[tuple[int, int, PlacedSpan]]
                 ) -> list[tuple[int, int, tuple[_Layer, ...]]]:
    """(start, end, layers) of each stretch covered by the same spans, in one sweep.

    A sweep over the sorted boundaries keeps only the spans open at each one, so the cost
    grows with the spans and their nesting depth, never with spans x boundaries."""
    pieces = sorted(pieces, key=lambda t: t[0])
    bounds = sorted({t[0] for t in pieces} | {t[1] for t in pieces})
    runs: list[tuple[int, int, tuple[_Layer, ...]]] = []
    active: list[tuple[int, int, PlacedSpan]] = []
    layers: tuple[_Layer, ...] = ()
    k = 0
    for a, b in pairwise(bounds):
        changed = False
        if any(t[1] <= a for t in active):
            active = [t for t in active if t[1] > a]
            changed = True
        while k < len(pieces) and pieces[k][0] <= a:
            active.append(pieces[k])
            k += 1
            changed = True
        if changed:
            active.sort(key=_stacking)
            layers = tuple((t[2].span.color, t[2].span.own) for t in active)
        if layers:
            runs.append((a, b, layers))
    return runs
