"""Keyboard-only use of the window: reaching every pane, selecting text after tagging,
notes that hand the keyboard back, and an honest save state. Any exception that escapes a
Qt slot fails the test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow

NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


@pytest.fixture(autouse=True)
def no_uncaught_exceptions() -> Iterator[list[BaseException]]:
    caught: list[BaseException] = []
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        caught.append(error)

    sys.excepthook = hook
    yield caught
    sys.excepthook = previous
    assert caught == []


def press(qtbot: QtBot, key: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, mods)


def spans(store: Project) -> list[tuple[int, int, str]]:
    return [(a.start, a.end, a.label) for a in store.annotations()]


def test_after_tagging_shift_arrows_select_new_text_not_resize(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    view.setFocus()
    press(qtbot, Qt.Key.Key_Home, CTRL)
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)  # "The "
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)  # "mayor "
    press(qtbot, Qt.Key.Key_1)
    assert spans(project) == [(0, 9, "claim")]
    assert view.textCursor().position() == 10  # the caret waits where the selection ended
    press(qtbot, Qt.Key.Key_Right, CTRL)  # move on: the annotation is left behind
    assert view.selected_annotation() is None
    press(qtbot, Qt.Key.Key_Right, SHIFT)
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)
    assert spans(project) == [(0, 9, "claim")]  # no resize
    assert view.textCursor().hasSelection()
    press(qtbot, Qt.Key.Key_2)
    assert [label for *_, label in spans(project)] == ["claim", "source"]


def test_shift_arrow_right_after_tagging_or_tab_still_resizes(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    view.setFocus()
    press(qtbot, Qt.Key.Key_Home, CTRL)
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_Right, SHIFT)
    assert spans(project) == [(0, 9, "claim")]  # "The mayor"
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Home, CTRL)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Left, SHIFT)
    assert spans(project) == [(0, 3, "claim")]


def test_f6_and_tab_reach_every_pane(open_window: MainWindow, qtbot: QtBot) -> None:
    win = open_window
    win.view.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is win.annotation_table
    press(qtbot, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is win.document_list.table
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert win.current_document_id() == win.project.documents()[1].id
    assert QApplication.focusWidget() is win.view
    press(qtbot, Qt.Key.Key_F6, SHIFT)
    assert QApplication.focusWidget() is win.document_list.table
    # Tab leaves a table instead of walking its cells.
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not win.document_list.table
    press(qtbot, Qt.Key.Key_L, CTRL)
    assert QApplication.focusWidget() is win.document_list.filter_box
    qtbot.keyClicks(win.document_list.filter_box, "museum 1")
    assert win.document_list.filter_box.text() == "museum 1"  # the 1 is text, not a label
    win.document_list.filter_box.clear()
    qtbot.keyClicks(win.document_list.filter_box, "Muse")
    press(qtbot, Qt.Key.Key_Return)
    assert win.editing.document is not None and win.editing.document.title == "Museum"
    assert QApplication.focusWidget() is win.view


def test_note_editor_hands_the_keyboard_back_to_the_text(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    view.setFocus()
    press(qtbot, Qt.Key.Key_Home, CTRL)
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)
    press(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_N)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "see 2 and 3")
    press(qtbot, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: [a.note for a in project.annotations()] == ["see 2 and 3"])
    assert [a.label for a in project.annotations()] == ["fact"]  # 2 and 3 were text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_N)
    qtbot.keyClicks(QApplication.focusWidget(), " never mind")
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    assert [a.note for a in project.annotations()] == ["see 2 and 3"]


def test_save_state_follows_the_core(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    win = open_window
    win.view.setFocus()
    press(qtbot, Qt.Key.Key_Home, CTRL)
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)
    press(qtbot, Qt.Key.Key_1)
    assert win.status.save_label.text() == "All changes saved"
    assert "saved at" in win.status.save_label.toolTip()
    assert "alice" in win.status.user_label.text()
    assert win.status.counts_label.text().startswith("1 annotation")
    [stored] = project.annotations()
    with annotator.open_project(project.location, user="alice") as elsewhere:
        elsewhere.delete_annotation(stored.id)  # another process, before the window polls
    press(qtbot, Qt.Key.Key_Delete)
    assert win.status.save_label.text() == "Last change not saved"
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Right, CTRL | SHIFT)
    press(qtbot, Qt.Key.Key_2)
    assert win.status.save_label.text() == "All changes saved"


def test_shortcuts_dialog_has_one_heading_per_menu(open_window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_window.show_shortcuts()
    qtbot.addWidget(dialog)
    headings = dialog.headings()
    assert len(headings) == len(set(headings))
    entries = dict(dialog.entries())
    assert entries["Export…"] == "Ctrl+Shift+E" and entries["Next pane"] == "F6"


def test_dropping_a_binary_file_explains_instead_of_failing(
    open_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    blob = tmp_path / "scan.bin"
    blob.write_bytes(bytes(range(256)) * 20)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(blob))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, NONE)
    with qtbot.waitSignal(open_window.imports.imported, timeout=10_000):
        open_window.dropEvent(drop)
    assert open_window.status.currentMessage() == "Import: 0 imported, 1 failed"
    boxes = [b for b in open_window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "scan.bin" in boxes[0].text()
    assert len(open_window.project.documents()) == 3
