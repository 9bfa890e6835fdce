"""Space between paragraphs in the reading pane, without touching the text.

QPlainTextDocumentLayout ignores block margins and line height, and blank lines would shift
every offset, so the gap is added to the height the layout reports for a paragraph: painting,
hit testing and caret placement all ask QPlainTextEdit.blockBoundingRect, which asks this.
Only visible blocks are ever measured, so the cost does not grow with the document.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout


class ParagraphLayout(QPlainTextDocumentLayout):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._gap = 0.0
        self._soft: frozenset[int] = frozenset()

    def set_paragraph_gap(self, gap: float) -> None:
        self._gap = max(0.0, gap)

    def set_soft_starts(self, positions: frozenset[int]) -> None:
        """Qt positions of blocks that continue the paragraph before them (no gap there)."""
        self._soft = positions

    def paragraph_gap(self) -> float:
        return self._gap

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        following = block.next()
        # A blank line already separates paragraphs; no gap is added next to one.
        if (self._gap and following.isValid() and block.length() > 1
                and following.length() > 1 and not rect.isNull()
                and following.position() not in self._soft):
            rect.setHeight(rect.height() + self._gap)
        return rect
