"""An analyst annotates the two seed articles from the keyboard, quits midway, reopens, and
finds every tag as they left it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

import annotator
from tests.ui.window_fixtures import SEEDS, show_window
from ui.main_window import MainWindow
from ui.settings import Settings

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpora/seeds is absent")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
LABEL_KEYS = {"claim": Qt.Key.Key_1, "source": Qt.Key.Key_2, "fact": Qt.Key.Key_3}


NONE = Qt.KeyboardModifier.NoModifier


def key(qtbot: QtBot, window: MainWindow, k: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, k, mods)


def keyboard_select(qtbot: QtBot, window: MainWindow, phrase: str) -> None:
    """Move the caret with the arrow keys onto `phrase` and extend the selection over it."""
    view = window.view
    assert view.hasFocus()
    key(qtbot, window, Qt.Key.Key_Escape)  # leave any selected annotation alone
    start = view.offset_to_position(view.core_text().index(phrase))
    end = start + len(phrase)  # the seeds are BMP-only, so Qt and core offsets agree here
    key(qtbot, window, Qt.Key.Key_Home, CTRL)
    while view.textCursor().position() < start:
        before = view.textCursor().position()
        key(qtbot, window, Qt.Key.Key_Right, CTRL)
        if view.textCursor().position() > start or view.textCursor().position() == before:
            break
    while view.textCursor().position() > start:
        key(qtbot, window, Qt.Key.Key_Left)
    while view.textCursor().position() < start:
        key(qtbot, window, Qt.Key.Key_Right)
    while view.textCursor().position() < end:
        key(qtbot, window, Qt.Key.Key_Right, SHIFT)


def tag(qtbot: QtBot, window: MainWindow, phrase: str, label: str) -> None:
    keyboard_select(qtbot, window, phrase)
    key(qtbot, window, LABEL_KEYS[label])
    assert window.view.selected_annotation() is not None


def state(project: annotator.Project) -> list[tuple[str, int, int, str, str | None]]:
    return [(a.id, a.start, a.end, a.label, a.note) for a in project.annotations()]


def settings_at(path: Path) -> Settings:
    return Settings(QSettings(str(path), QSettings.Format.IniFormat))


def test_seed_articles_from_keyboard_survive_quit_and_reopen(tmp_path: Path, qtbot: QtBot) -> None:
    location = tmp_path / "analyst.db"
    store = tmp_path / "settings.ini"
    project = annotator.open_project(location, user="analyst")
    window = show_window(qtbot, MainWindow(project, settings_at(store)))
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.import_files([str(SEEDS)])
    first, second = project.documents()

    # Open the first article from the list with the keyboard.
    window.document_list.table.setFocus()
    window.document_list.table.selectRow(0)
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.current_document_id() == first.id

    tag(qtbot, window, "Kim Jong Un", "source")
    tag(qtbot, window, "has issued an order calling for full war preparations", "claim")
    tag(qtbot, window, "North Pyongan province", "fact")
    tag(qtbot, window, "According to a source in the province", "source")
    # Relabel: from the top, Tab to the claim, press 3 (fact), then back with Ctrl+Z.
    key(qtbot, window, Qt.Key.Key_Escape)
    key(qtbot, window, Qt.Key.Key_Home, CTRL)
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_2)  # already source: nothing changes
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_3)  # the claim becomes a fact …
    assert {a.label for a in project.annotations(first.id)} == {"source", "fact"}
    key(qtbot, window, Qt.Key.Key_Z, CTRL)  # … and back
    # Grow the province fact by a word, and write a note on it.
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_Right, SHIFT)
    key(qtbot, window, Qt.Key.Key_N)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "date given: Oct. 23")
    key(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(a.note for a in project.annotations()))
    window.view.setFocus()
    # Tag one by mistake and delete it.
    tag(qtbot, window, "internal unity", "fact")
    key(qtbot, window, Qt.Key.Key_Delete)
    assert len(project.annotations(first.id)) == 4

    # Done with the first; Ctrl+Return opens the second.
    key(qtbot, window, Qt.Key.Key_Return, CTRL)
    assert window.current_document_id() == second.id
    tag(qtbot, window, "Kim Jong-un", "source")
    tag(qtbot, window, "has told his military chiefs to be ready for World War III", "claim")
    tag(qtbot, window, "Radio Free Asia", "source")

    expected = state(project)
    assert [label for *_, label, _ in expected] == [
        "source", "claim", "fact", "source", "source", "claim", "source",
    ]
    labels = {a.label for a in project.annotations(first.id)}
    assert labels == {"source", "claim", "fact"}
    province = next(a for a in project.annotations(first.id) if a.label == "fact")
    assert window.view.core_text() != ""
    assert project.document(first.id).text[province.start : province.end] == (
        "North Pyongan province on"
    )
    assert province.note == "date given: Oct. 23"

    # Quit in the middle of the second article, as a user would.
    window.close()
    project.close()

    reopened = annotator.open_project(location, user="analyst")
    again = show_window(qtbot, MainWindow(reopened, settings_at(store)))
    assert state(reopened) == expected
    assert reopened.status(first.id) == "done"
    assert reopened.status(second.id) == "in_progress"
    counts = {d.id: d.annotations for d in again.document_model.all_documents()}
    assert counts == {first.id: 4, second.id: 3}
    again.document_list.table.setFocus()
    again.document_list.table.selectRow(1)
    key(qtbot, again, Qt.Key.Key_Return)
    assert [(s.id, s.start, s.end, s.label) for s in again.view.spans()] == [
        (i, s, e, label) for i, s, e, label, _ in expected[4:]
    ]
    assert again.annotation_model.rowCount() == 3
    key(qtbot, again, Qt.Key.Key_Left, ALT)
    assert again.current_document_id() == first.id
    assert [s.note for s in again.view.spans() if s.label == "fact"] == ["date given: Oct. 23"]
    again.close()
    reopened.close()
