"""Draws annotation spans at paint time, under the text of the lines being painted.

Spans used to be character formats set through QSyntaxHighlighter. Qt lays a block out
again whenever its formats change and repaints all of it: on a key press that was a
re-layout of a 2,000-character display block (or a paragraph) and a repaint of most of
the screen. Now nothing is stored in the document: the view asks :class:`SpanHighlights`
for the runs of each block it paints (computed once per block and kept until a span in it
changes), fills their backgrounds, lets Qt draw the text over them, then draws the
underlines. A changed span costs the repaint of its own lines, and opening a document
formats nothing until it is painted.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise
from math import ceil, inf
from operator import itemgetter

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextBlock,
    QTextCharFormat,
)

from ui.workspace.reading_style import PAPER
from ui.workspace.span_index import PlacedSpan, SpanIndex
from ui.workspace.text_geometry import cursor_x, line_at

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


# (start, end, format) of a stretch of one block covered by the same spans; positions
# are relative to the block.
Run = tuple[int, int, QTextCharFormat]


class SpanHighlights:
    """The highlight runs of each block, computed when the block is first painted."""

    def __init__(self, index: SpanIndex) -> None:
        self._index = index
        self._formats: dict[tuple[_Layer, ...], QTextCharFormat] = {}
        self._runs: dict[int, list[Run]] = {}
        self.looks = RunLooks()

    def reset(self) -> None:
        """Another document (or every span): nothing computed is valid any more."""
        self._runs.clear()

    def invalidate(self, blocks: range) -> None:
        """The spans of `blocks` changed: their runs are computed again when painted."""
        for n in blocks:
            self._runs.pop(n, None)

    def computed_blocks(self) -> list[int]:
        """Numbers of the blocks whose runs are held (the ones painted since a change)."""
        return sorted(self._runs)

    def runs(self, blocks: list[QTextBlock]) -> list[list[Run]]:
        """The runs of each of `blocks` (consecutive ones, as painted)."""
        missing = [b for b in blocks if b.blockNumber() not in self._runs]
        if missing:
            first, last = missing[0].blockNumber(), missing[-1].blockNumber()
            found = self._index.in_blocks(first, last)  # one scan for the whole screen
            for block in missing:
                self._runs[block.blockNumber()] = self._block_runs(
                    block, found.get(block.blockNumber(), ()))
        return [self._runs[b.blockNumber()] for b in blocks]

    def _block_runs(self, block: QTextBlock, placed: list[PlacedSpan] | tuple[()]
                    ) -> list[Run]:
        base = block.position()
        length = block.length() - 1
        pieces: list[tuple[int, int, PlacedSpan]] = []
        for p in placed:
            start = max(p.qt_start - base, 0)
            end = min(p.qt_end - base, length)
            if end > start:
                pieces.append((start, end, p))
        if len(pieces) == 1:
            start, end, p = pieces[0]
            return [(start, end, self.format_for(((p.span.color, p.span.own),)))]
        return [(start, end, self.format_for(layers))
                for start, end, layers in layered_runs(pieces)]

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



class RunLooks:
    """Each format's brush and underline pen, and where underlines sit below the baseline,
    for one font: found once, not in every paint of every block."""

    def __init__(self) -> None:
        self._font: QFont | None = None
        self._metrics = QFontMetricsF(QFont())
        self.offset = 0.0
        # id of a format -> (the format, kept so its id is not reused; brush; pen or None)
        self._looks: dict[int, tuple[QTextCharFormat, QBrush, QPen | None]] = {}

    def use(self, font: QFont) -> None:
        """The font of the block painted next."""
        if font != self._font:
            self._font = QFont(font)
            self._metrics = QFontMetricsF(font)
            self.offset = _underline_offset(self._metrics)
            self._looks.clear()

    def look(self, fmt: QTextCharFormat) -> tuple[QBrush, QPen | None]:
        found = self._looks.get(id(fmt))
        if found is None:
            pen = None
            if fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline:
                pen = _underline_pen(self._metrics, fmt)
            found = self._looks[id(fmt)] = (fmt, fmt.background(), pen)
        return found[1], found[2]


def paint_runs(painter: QPainter, block: QTextBlock, rect: QRectF, runs: list[Run],
               clip: QRectF, looks: RunLooks | None = None) -> list[tuple[QLineF, QPen]]:
    """Fill the backgrounds of `runs` of `block` (at viewport `rect`) inside `clip`;
    returns the underlines, to be drawn over the text once it is drawn. `looks`: the
    formats' brushes and pens found by earlier paints."""
    underlines: list[tuple[QLineF, QPen]] = []
    layout = block.layout()
    top, bottom = clip.top(), clip.bottom()
    if looks is None:
        looks = RunLooks()
    looks.use(layout.font())
    offset = looks.offset
    # Runs are disjoint and in text order: skip by bisection those ending above the area.
    skip = 0
    if layout.lineCount():
        above = layout.lineAt(line_at(layout, top - rect.top())).textStart()
        skip = bisect_right(runs, above, key=lambda run: run[1])
    for start, end, fmt in runs[skip:] if skip else runs:
        first = layout.lineForTextPosition(start).lineNumber()
        if first >= 0 and rect.top() + layout.lineAt(first).y() > bottom:
            break  # runs go in text order: the rest lie below the area painted
        brush, pen = looks.look(fmt)
        for n in range(max(first, 0), layout.lineCount()):
            line = layout.lineAt(n)
            line_start = line.textStart()
            if line_start >= end:
                break
            y = rect.top() + line.y()
            if y > bottom:
                break
            a = max(start, line_start)
            b = min(end, line_start + line.textLength())
            if a >= b or y + line.height() < top:
                continue
            x1 = rect.left() + cursor_x(line, a)
            x2 = rect.left() + cursor_x(line, b)
            painter.fillRect(QRectF(x1, y, x2 - x1, line.height()), brush)
            if pen is not None:
                under = y + line.ascent() + offset
                underlines.append((QLineF(float(int(x1)), under, float(int(x2)), under), pen))
    return underlines


def _underline_offset(metrics: QFontMetricsF) -> float:
    # Placed as Qt places a character format's underline (QPainter's text decoration):
    # below the baseline, the offset rounded up, kept inside the descent.
    offset = ceil(metrics.underlinePos()) + 0.5
    if metrics.underlinePos() <= metrics.descent():
        offset = min(offset, metrics.descent() - 0.5)
    return offset


def _underline_pen(metrics: QFontMetricsF, fmt: QTextCharFormat) -> QPen:
    pen = QPen(fmt.underlineColor(), max(metrics.lineWidth(), 1.0))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setStyle(Qt.PenStyle.DashLine
                 if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
                 else Qt.PenStyle.SolidLine)
    return pen


def draw_underlines(painter: QPainter, underlines: list[tuple[QLineF, QPen]]) -> None:
    for line, pen in underlines:
        painter.setPen(pen)
        painter.drawLine(line)


def layered_runs(pieces: list[tuple[int, int, PlacedSpan]]
                 ) -> list[tuple[int, int, tuple[_Layer, ...]]]:
    """(start, end, layers) of each stretch covered by the same spans, in one sweep.

    A sweep over the sorted boundaries keeps only the spans open at each one, so the cost
    grows with the spans and their nesting depth, never with spans x boundaries. The open
    spans are looked at only at a boundary where one opens or the first of them closes."""
    ordered = sorted(pieces, key=itemgetter(0))
    bounds = sorted({t[0] for t in pieces} | {t[1] for t in pieces})
    runs: list[tuple[int, int, tuple[_Layer, ...]]] = []
    # (stacking, end, layer) of each open span. Outermost (longest) first, so the
    # innermost span's tint lands on top; the id settles ties.
    active: list[tuple[tuple[int, int, str], int, _Layer]] = []
    layers: tuple[_Layer, ...] = ()
    first_end = inf  # the nearest end among the open spans
    k, count = 0, len(ordered)
    for a, b in pairwise(bounds):
        changed = first_end <= a
        if changed:
            active = [t for t in active if t[1] > a]
        while k < count and ordered[k][0] <= a:
            _, end, placed = ordered[k]
            span = placed.span
            active.append(((span.start - span.end, span.start, span.id), end,
                           (span.color, span.own)))
            k += 1
            changed = True
        if changed:
            active.sort(key=itemgetter(0))
            layers = tuple(t[2] for t in active)
            first_end = min(t[1] for t in active) if active else inf
        if layers:
            runs.append((a, b, layers))
    return runs
