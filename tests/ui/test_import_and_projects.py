"""Importing by drag and drop and through the worker; switching projects; settings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from annotator import Project
from annotator.records import ImportReport
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import select_phrase, show_window
from ui.exchange.import_worker import import_job
from ui.main_window import MainWindow
from ui.operations.background import Worker
from ui.settings import Settings

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


def write_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"article_{n}.txt"
        path.write_text(f"Article {n}. The minister said the plan costs {n} million.\n", "utf-8")
        paths.append(path)
    return paths


def drop(window: MainWindow, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(50, 50), actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(50, 50), actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return event


def test_drop_files_imports_them_off_the_gui_thread(
    window: MainWindow, project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    paths = write_files(tmp_path / "in", 3)
    with qtbot.waitSignal(window.imports.imported, timeout=20_000) as blocker:
        event = drop(window, paths)
        assert event.isAccepted()
    report = blocker.args[0]
    assert isinstance(report, ImportReport) and report.imported == 3
    assert len(project.documents()) == 3
    qtbot.waitUntil(lambda: window.document_model.rowCount() == 3)
    assert window.current_document_id() == report.document_ids[0]
    assert not window.imports.busy()
    assert "3 imported" in window.status.currentMessage()


def test_drop_of_a_folder_and_duplicates_reports_skips(
    window: MainWindow, project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    write_files(tmp_path / "folder", 2)
    with qtbot.waitSignal(window.imports.imported, timeout=20_000):
        drop(window, [tmp_path / "folder"])
    with qtbot.waitSignal(window.imports.imported, timeout=20_000) as blocker:
        drop(window, [tmp_path / "folder"])
    assert blocker.args[0].skipped == 2 and len(project.documents()) == 2


def test_worker_runs_in_another_thread_and_cancels(
    project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    paths = [str(p) for p in write_files(tmp_path / "many", 5)]
    worker = Worker(import_job(project, paths))
    threads: list[int] = []
    seen: list[tuple[int, int]] = []

    def on_progress(done: int, total: int, _current: str) -> None:
        seen.append((done, total))
        if done == 2:
            worker.cancel()

    worker.progressed.connect(on_progress, Qt.ConnectionType.DirectConnection)
    original = project.import_paths

    def recording(*args: object, **kwargs: object) -> ImportReport:
        threads.append(threading.get_ident())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    project.import_paths = recording  # type: ignore[method-assign]
    with qtbot.waitSignal(worker.finished, timeout=20_000) as blocker:
        thread = threading.Thread(target=worker.run)
        thread.start()
    thread.join()
    report = blocker.args[0]
    assert report.cancelled and report.imported < 5
    assert threads and threads[0] != threading.get_ident()
    assert seen[0] == (0, 5)


def test_dialog_import_cancel_button_stops_remaining_files(
    window: MainWindow, project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    paths = [str(p) for p in write_files(tmp_path / "cancel", 4)]
    gate = threading.Event()
    original = project.import_paths

    def slow(paths_: object, progress: object = None, **kw: object) -> ImportReport:
        def gated(done: int, total: int, current: str) -> bool | None:
            answer = progress(done, total, current)  # type: ignore[operator]
            if done == 0:
                gate.wait(10)  # hold the first file until the test has pressed Cancel
                answer = progress(done, total, current)  # type: ignore[operator]
            return answer  # type: ignore[no-any-return]

        return original(paths_, gated, **kw)  # type: ignore[arg-type]

    project.import_paths = slow  # type: ignore[method-assign]
    assert window.import_files(paths)
    dialog = window.imports.dialog
    assert dialog is not None and dialog.objectName() == "importProgress"
    qtbot.waitUntil(dialog.isVisible)
    cancel_button = dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Cancel"
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.imports.imported, timeout=20_000) as blocker:
        gate.set()
    assert blocker.args[0].cancelled
    assert len(project.documents()) < 4


def test_switch_project_rebuilds_and_clears_undo(
    open_window: MainWindow, project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    select_phrase(open_window, "mayor")
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    assert open_window.undo_stack.count() == 1
    other = tmp_path / "other.db"
    assert open_window.switch_project(str(other))
    assert open_window.project is not project
    assert open_window.undo_stack.count() == 0
    assert open_window.document_model.rowCount() == 0
    assert open_window.current_document_id() is None
    assert open_window.document_list.add_sample_button.isVisibleTo(open_window)
    assert str(other.resolve()) in open_window.settings.recent_projects()[0]
    assert open_window.windowTitle().startswith("other.db")
    open_window.project.close()


def test_switch_to_unusable_project_keeps_current(
    open_window: MainWindow, project: Project, tmp_path: Path
) -> None:
    assert not open_window.switch_project(str(tmp_path))  # a folder, not a project
    assert open_window.project is project
    assert "folder" in open_window.status.currentMessage()


def test_preferences_and_layout_persist(
    project: Project, settings: Settings, qtbot: QtBot, tmp_path: Path
) -> None:
    first = show_window(qtbot, MainWindow(project, settings))
    first.window_actions.word_snapping.setChecked(False)
    first.resize(640, 480)
    first.close()
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    second = show_window(qtbot, MainWindow(project, Settings(store)))
    assert not second.view.word_snapping()
    assert not second.window_actions.word_snapping.isChecked()
    assert (second.width(), second.height()) == (640, 480)
    assert project.location in Settings(store).recent_projects()


def test_apply_preferences_changes_user_and_font(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    from ui.widgets.preferences_dialog import Preferences

    font = open_window.view.font()
    font.setPointSize(17)
    open_window.apply_preferences(Preferences("carol", True, font))
    assert project.user == "carol"
    assert "carol" in open_window.status.user_label.text()
    assert open_window.view.font().pointSize() == 17
    assert open_window.settings.user_name() == "carol"
    select_phrase(open_window, "mayor")
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    assert project.annotations()[0].annotator == "carol"


@pytest.mark.parametrize("count", [450])
def test_document_list_reaches_its_last_document(project: Project, settings: Settings, qtbot,
                                                 count):
    for n in range(count):
        project.add_document(f"Document number {n} says something.", f"Doc {n}")
    window = show_window(qtbot, MainWindow(project, settings))
    model = window.document_model
    table = window.document_list.table
    # Every row is there from the start: one Ctrl+End, and the scroll bar, reach the end.
    assert model.rowCount() == count and not model.canFetchMore(QModelIndex())
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == count - 1
    scroll = table.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    assert table.rowAt(table.viewport().height() - 2) in (count - 1, -1)
    assert table.indexAt(table.viewport().rect().bottomLeft()).row() in (count - 1, -1)
    last = project.documents()[-1]
    window.document_list.select_document(last.id)
    assert model.row_of(last.id) == count - 1
    window.document_list.filter_box.setText("doc 449")  # matches title or number
    assert [model.document_at(r).title for r in range(model.rowCount())] == ["Doc 448", "Doc 449"]
    assert model.row_of(last.id) == 1
    window.document_list.filter_box.clear()
    assert model.rowCount() == count
