"""Where text sits on screen in a QPlainTextEdit: visible blocks, line pieces, hit tests.

Painting outlines and find matches, and finding the character under the mouse, only ever
look at the blocks on screen, so their cost does not grow with the document.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextLayout, QTextLine
from PySide6.QtWidgets import QPlainTextEdit


def cursor_x(line: QTextLine, position: int) -> float:
    # PySide6 binds the int* overload: it returns (x, position) rather than a float.
    result = line.cursorToX(position)
    return float(result[0] if isinstance(result, tuple) else result)  # type: ignore[arg-type]


class ShownBlocks:
    """The blocks at least partly inside the viewport, with their viewport rectangles,
    walked once. ``QPlainTextEdit.blockBoundingGeometry`` walks from the top block to the
    one asked for on every call; a paint asks for many ranges, so it walks once here."""

    def __init__(self, edit: QPlainTextEdit) -> None:
        self.blocks: list[QTextBlock] = []
        self.rects: list[QRectF] = []
        self.starts: list[int] = []
        # Each rectangle's top and bottom as plain floats: a band repainted finds its blocks
        # by bisection, without a Qt call per block shown.
        self.tops: list[float] = []
        self.bottoms: list[float] = []
        block = edit.firstVisibleBlock()
        if not block.isValid():
            return
        offset = edit.contentOffset()
        bottom = edit.viewport().height()
        top = edit.blockBoundingGeometry(block).translated(offset).top()
        while block.isValid() and top <= bottom:
            rect = edit.blockBoundingRect(block)
            if block.isVisible():
                # Qt frees a block's shaped text after each draw unless asked to keep it,
                # and a key press asks the block about its lines before and after it is
                # drawn: each time Qt itemized and shaped it again, costing with its
                # length (a display block of one long paragraph runs to ~2,000 characters).
                block.layout().setCacheEnabled(True)
                self.blocks.append(block)
                shown = QRectF(rect.left() + offset.x(), top, rect.width(), rect.height())
                self.rects.append(shown)
                self.starts.append(block.position())
                self.tops.append(shown.top())
                self.bottoms.append(shown.bottom())
            top += rect.height()
            block = block.next()

    def numbers(self) -> range:
        if not self.blocks:
            return range(0)
        return range(self.blocks[0].blockNumber(), self.blocks[-1].blockNumber() + 1)

    def qt_range(self) -> tuple[int, int] | None:
        """The Qt range of the blocks shown (None: nothing is)."""
        if not self.blocks:
            return None
        last = self.blocks[-1]
        return self.starts[0], last.position() + last.length()

    def between(self, top: float, bottom: float) -> range:
        """Indexes of the shown blocks whose rectangles reach between viewport heights `top`
        and `bottom` (blocks stack downwards, so they are consecutive)."""
        first = bisect_left(self.bottoms, top)
        last = bisect_right(self.tops, bottom)
        return range(first, max(first, last))

    def qt_range_between(self, top: float, bottom: float) -> tuple[int, int] | None:
        """The Qt range of the shown lines between viewport heights `top` and `bottom`
        (None: none): what a repaint of that band can touch."""
        found: list[int] = []
        for i in self.between(top, bottom):
            block, rect, base = self.blocks[i], self.rects[i], self.starts[i]
            layout = block.layout()
            count = layout.lineCount()
            if not count:
                continue
            first = line_at(layout, top - rect.top())
            last = line_at(layout, bottom - rect.top())
            line = layout.lineAt(last)
            if not found:
                found.append(base + layout.lineAt(first).textStart())
            found[1:] = [base + line.textStart() + line.textLength() + 1]
        return (found[0], found[1]) if len(found) == 2 else None

    def rect_of(self, block: QTextBlock) -> QRectF | None:
        """The viewport rectangle of a shown block (None: not shown)."""
        i = bisect_right(self.starts, block.position()) - 1
        if i >= 0 and self.starts[i] == block.position():
            return self.rects[i]
        return None

    def range_rects(self, qt_start: int, qt_end: int) -> list[QRectF]:
        """Viewport rectangles of the shown line pieces of Qt range [qt_start, qt_end)."""
        rects: list[QRectF] = []
        first = max(bisect_right(self.starts, qt_start) - 1, 0)
        for i in range(first, len(self.blocks)):
            block, geometry, base = self.blocks[i], self.rects[i], self.starts[i]
            if base >= qt_end:
                break
            if base + block.length() <= qt_start:
                continue
            layout = block.layout()
            lo = max(qt_start - base, 0)
            hi = min(qt_end - base, block.length() - 1)
            # Only the lines the range touches, found by Qt's binary search: a long
            # paragraph has thousands of lines.
            line_number = layout.lineForTextPosition(lo).lineNumber()
            for n in range(max(line_number, 0), layout.lineCount()):
                line = layout.lineAt(n)
                if line.textStart() >= hi:
                    break
                a = max(lo, line.textStart())
                b = min(hi, line.textStart() + line.textLength())
                if a < b:
                    x1, x2 = cursor_x(line, a), cursor_x(line, b)
                    rects.append(QRectF(geometry.left() + x1, geometry.top() + line.y(),
                                        x2 - x1, line.height()))
        return rects


def line_at(layout: QTextLayout, y: float) -> int:
    """The number of the layout's line at height `y` (the first or last one beyond it);
    lines stack top to bottom, so a bisection finds it in a paragraph of thousands."""
    lo, hi = 0, layout.lineCount()
    while lo < hi:
        mid = (lo + hi) // 2
        if layout.lineAt(mid).y() <= y:
            lo = mid + 1
        else:
            hi = mid
    return min(max(lo - 1, 0), layout.lineCount() - 1)


def visible_blocks(edit: QPlainTextEdit) -> range:
    """Numbers of the blocks (paragraphs) at least partly inside the viewport."""
    return ShownBlocks(edit).numbers()


def range_rects(edit: QPlainTextEdit, qt_start: int, qt_end: int) -> list[QRectF]:
    """Viewport rectangles of the visible line pieces of Qt range [qt_start, qt_end)."""
    return ShownBlocks(edit).range_rects(qt_start, qt_end)


def position_under(edit: QPlainTextEdit, point: QPoint | QPointF) -> int | None:
    """Qt position of the character drawn under viewport `point`, None over blank paper."""
    p = QPointF(point)
    block = edit.cursorForPosition(p.toPoint()).block()
    if not block.isValid():
        return None
    geometry = edit.blockBoundingGeometry(block).translated(edit.contentOffset())
    x, y = p.x() - geometry.left(), p.y() - geometry.top()
    layout = block.layout()
    if layout.lineCount():
        line = layout.lineAt(line_at(layout, y))
        if line.y() <= y < line.y() + line.height():
            if not line.x() <= x < line.x() + line.naturalTextWidth():
                return None
            pos = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
            if pos >= line.textStart() + line.textLength():
                return None
            return block.position() + pos
    return None
