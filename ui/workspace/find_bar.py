"""Find-in-document bar: every match shown in the view, Enter / Shift+Enter walk them."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from ui.workspace.document_view import DocumentView

MAX_MATCHES = 100_000  # beyond this the count stops being useful and painting slows


def find_all(text: str, needle: str, *, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Non-overlapping matches of `needle` in `text` as core (start, end) offsets."""
    if not needle:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(re.escape(needle), flags)
    matches = []
    for m in pattern.finditer(text):
        matches.append((m.start(), m.end()))
        if len(matches) >= MAX_MATCHES:
            break
    return matches


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, view: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAccessibleName("Find in document")
        self._view = view
        self._matches: list[tuple[int, int]] = []
        self._current: int | None = None

        self._input = QLineEdit(self)
        self._input.setObjectName("findInput")
        self._input.setAccessibleName("Find text")
        self._input.setPlaceholderText("Find in document")
        self._input.setClearButtonEnabled(True)
        self._case = QCheckBox("Match case", self)
        self._case.setObjectName("findCase")
        self._case.setAccessibleName("Match case")
        self._count = QLabel(self)
        self._count.setObjectName("findCount")
        self._count.setAccessibleName("Match count")
        self._count.setMinimumWidth(self._count.fontMetrics().horizontalAdvance("0000 of 0000"))
        self._previous = self._button("findPrevious", "↑", "Previous match (Shift+Enter)")
        self._next = self._button("findNext", "↓", "Next match (Enter)")
        self._close = self._button("findClose", "✕", "Close (Escape)")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self._input, 1)
        layout.addWidget(self._count)
        layout.addWidget(self._case)
        layout.addWidget(self._previous)
        layout.addWidget(self._next)
        layout.addWidget(self._close)

        self._input.textChanged.connect(self.refresh)
        self._case.toggled.connect(self.refresh)
        self._previous.clicked.connect(self.previous_match)
        self._next.clicked.connect(self.next_match)
        self._close.clicked.connect(self.close_bar)
        self._input.installEventFilter(self)
        self.refresh()

    def _button(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        return button

    def line_edit(self) -> QLineEdit:
        return self._input

    def matches(self) -> list[tuple[int, int]]:
        return list(self._matches)

    def current(self) -> int | None:
        return self._current

    def count_text(self) -> str:
        return self._count.text()

    def open_bar(self, text: str | None = None) -> None:
        """Show the bar and focus its input, seeded with `text` (e.g. the selection)."""
        if text:
            self._input.setText(text)
        self.show()
        self._input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._input.selectAll()
        self.refresh()

    def close_bar(self) -> None:
        self._matches, self._current = [], None
        self._view.set_find_matches([], None)
        self.hide()
        self._view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def refresh(self) -> None:
        """Search again (text, case or document changed) and show every match."""
        needle = self._input.text()
        self._matches = find_all(self._view.core_text(), needle,
                                 case_sensitive=self._case.isChecked())
        self._current = self._first_after_cursor() if self._matches else None
        self._show()

    def _first_after_cursor(self) -> int:
        cursor = self._view.textCursor()
        here = self._view.position_to_offset(cursor.selectionStart())
        return next((i for i, (s, _) in enumerate(self._matches) if s >= here), 0)

    def next_match(self) -> None:
        self._step(1)

    def previous_match(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        if not self._matches:
            return
        current = -1 if self._current is None and step > 0 else (self._current or 0)
        self._current = (current + step) % len(self._matches)
        self._show()

    def _show(self) -> None:
        self._view.set_find_matches(self._matches, self._current)
        found = bool(self._matches)
        self._previous.setEnabled(found)
        self._next.setEnabled(found)
        if not self._input.text():
            self._count.setText("")
        elif not found:
            self._count.setText("No matches")
        else:
            more = "+" if len(self._matches) >= MAX_MATCHES else ""
            self._count.setText(f"{(self._current or 0) + 1} of {len(self._matches)}{more}")
        self._input.setProperty("noMatches", bool(self._input.text()) and not found)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        if (watched is self._input and event.type() == QEvent.Type.ShortcutOverride
                and isinstance(event, QKeyEvent) and event.key() in keys):
            # Claim these keys before any window shortcut (e.g. an Escape action) does.
            event.accept()
            return True
        if watched is self._input and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previous_match()
                else:
                    self.next_match()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
