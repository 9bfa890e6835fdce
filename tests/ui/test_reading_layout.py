"""Paragraph spacing in the reading pane leaves the text and every offset alone, and a
recent project that has disappeared is reported, not re-created empty."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.workspace.document_view import DocumentView, ViewSpan

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window

TEXT = "First paragraph 😀 here.\nSecond one, café.\n\nAfter a blank line.\nLast."


def test_paragraphs_are_spaced_without_changing_offsets(
    document_view: DocumentView, qtbot: QtBot
) -> None:
    view = document_view
    start = TEXT.index("café")
    view.set_document(TEXT, [ViewSpan("a", start, start + 4, "fact", "#009E73", "alice", None)])
    gap = view.document().documentLayout().paragraph_gap()  # type: ignore[attr-defined]
    assert gap > 0
    document = view.document()
    first, second = document.firstBlock(), document.firstBlock().next()
    lines_bottom = view.blockBoundingGeometry(first).top() + first.layout().boundingRect().bottom()
    assert view.blockBoundingGeometry(second).top() - lines_bottom >= gap - 0.5
    # No extra gap beside the blank line: it already separates its neighbours.
    blank = second.next()
    assert view.blockBoundingRect(second).height() == second.layout().boundingRect().height()
    assert view.blockBoundingRect(blank).height() == blank.layout().boundingRect().height()
    assert view.core_text() == TEXT
    view.set_selection_range(start, start + 4)
    assert view.selection_range() == (start, start + 4)
    # Down arrow walks into the next paragraph; a click in a gap is blank paper.
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(0)
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.textCursor().block().blockNumber() == 1
    rect = view.blockBoundingGeometry(first).translated(view.contentOffset())
    in_gap = QPoint(int(rect.left()) + 60, int(rect.bottom() - gap / 2))
    assert view.char_at(in_gap) is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=in_gap)
    assert view.selected_annotation() is None


def test_missing_recent_project_is_reported_and_forgotten(
    open_window: MainWindow, tmp_path: Path
) -> None:
    gone = str(tmp_path / "moved-away.db")
    open_window.settings.add_recent_project(gone)
    assert not open_window.switch_project(gone, must_exist=True)
    assert not Path(gone).exists()
    assert gone not in open_window.settings.recent_projects()
    assert "no longer exists" in open_window.status.currentMessage()
    boxes = [b for b in open_window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "no longer exists" in boxes[0].text()
