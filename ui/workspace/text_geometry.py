"""Where text sits on screen in a QPlainTextEdit: visible blocks, line pieces, hit tests.

Painting outlines and find matches, and finding the character under the mouse, only ever
look at the blocks on screen, so their cost does not grow with the document.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QTextLine
from PySide6.QtWidgets import QPlainTextEdit


def _cursor_x(line: QTextLine, position: int) -> float:
    # PySide6 binds the int* overload: it returns (x, position) rather than a float.
    result = line.cursorToX(position)
    return float(result[0] if isinstance(result, tuple) else result)  # type: ignore[arg-type]


def visible_blocks(edit: QPlainTextEdit) -> range:
    """Numbers of the blocks (paragraphs) at least partly inside the viewport."""
    block = edit.firstVisibleBlock()
    if not block.isValid():
        return range(0)
    offset = edit.contentOffset()
    bottom = edit.viewport().height()
    first = block.blockNumber()
    last = first
    while block.isValid():
        if edit.blockBoundingGeometry(block).translated(offset).top() > bottom:
            break
        last = block.blockNumber()
        block = block.next()
    return range(first, last + 1)


def range_rects(edit: QPlainTextEdit, qt_start: int, qt_end: int) -> list[QRectF]:
    """Viewport rectangles of the visible line pieces of Qt range [qt_start, qt_end)."""
    rects: list[QRectF] = []
    offset = edit.contentOffset()
    bottom = edit.viewport().height()
    block = edit.firstVisibleBlock()
    while block.isValid():
        geometry = edit.blockBoundingGeometry(block).translated(offset)
        base = block.position()
        if geometry.top() > bottom or base >= qt_end:
            break
        if base + block.length() > qt_start and block.isVisible():
            layout = block.layout()
            lo = max(qt_start - base, 0)
            hi = min(qt_end - base, block.length() - 1)
            # Only the lines the range touches, found by Qt's binary search: a long
            # paragraph has thousands of lines.
            first = layout.lineForTextPosition(lo).lineNumber()
            for i in range(max(first, 0), layout.lineCount()):
                line = layout.lineAt(i)
                if line.textStart() >= hi:
                    break
                a = max(lo, line.textStart())
                b = min(hi, line.textStart() + line.textLength())
                if a < b:
                    x1, x2 = _cursor_x(line, a), _cursor_x(line, b)
                    rects.append(QRectF(geometry.left() + x1, geometry.top() + line.y(),
                                        x2 - x1, line.height()))
        block = block.next()
    return rects


def position_under(edit: QPlainTextEdit, point: QPoint | QPointF) -> int | None:
    """Qt position of the character drawn under viewport `point`, None over blank paper."""
    p = QPointF(point)
    block = edit.cursorForPosition(p.toPoint()).block()
    if not block.isValid():
        return None
    geometry = edit.blockBoundingGeometry(block).translated(edit.contentOffset())
    x, y = p.x() - geometry.left(), p.y() - geometry.top()
    layout = block.layout()
    # Lines stack top to bottom: bisect for the last one starting above y.
    lo, hi = 0, layout.lineCount()
    while lo < hi:
        mid = (lo + hi) // 2
        if layout.lineAt(mid).y() <= y:
            lo = mid + 1
        else:
            hi = mid
    for i in range(max(lo - 1, 0), min(lo, layout.lineCount())):
        line = layout.lineAt(i)
        if line.y() <= y < line.y() + line.height():
            if not line.x() <= x < line.x() + line.naturalTextWidth():
                return None
            pos = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
            if pos >= line.textStart() + line.textLength():
                return None
            return block.position() + pos
    return None
