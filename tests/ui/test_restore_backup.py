"""File › Restore backup…: the list of backups, the restore, the reload, the errors."""

from __future__ import annotations

from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.widgets.backups_dialog import BackupsDialog

settings, project, window = fx.settings, fx.project, fx.window


def _menu_action(window: MainWindow) -> QAction:
    file_menu = window.menuBar().findChild(QMenu, "fileMenu")
    return next(a for a in file_menu.actions() if a.objectName() == "restoreBackupAction")


def test_restore_backup_lists_restores_and_reloads_the_window(
    window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    project.add_document(fx.ARTICLE_A, "Bridge")
    made = project.back_up()
    project.add_document(fx.ARTICLE_B, "Rain")
    window.document_model.set_documents(window.project.documents())
    assert len(window.document_model.all_documents()) == 2

    action = _menu_action(window)
    action.trigger()
    dialog = window.findChild(BackupsDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == len(project.backups())
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == made.name)
    assert table.item(row, 0).text() == f"{made.made:%Y-%m-%d %H:%M:%S} UTC"
    assert table.item(row, 1).text() == "manual"
    assert table.item(row, 2).text().endswith(("KB", "MB", "bytes"))
    table.selectRow(row)
    old = window.project
    window.undo_stack.push(QUndoCommand("something before the restore"))
    dialog.restore_button.click()

    qtbot.waitUntil(lambda: window.project is not old)
    titles = [d.title for d in window.document_model.all_documents()]
    assert titles == ["Bridge"]
    assert window.undo_stack.count() == 0
    assert "Restored " + made.name in window.status.currentMessage()
    # the state replaced was backed up first, as the command line does
    assert any(b.reason == "before-restore" for b in window.project.backups())


def test_restore_errors_are_shown_in_a_dialog(window: MainWindow, qtbot: QtBot) -> None:
    assert not window.restore_backup("20200101T000000000000Z-manual.db")
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "no backup named" in box.text()


def test_a_project_without_backups_says_so(window: MainWindow) -> None:
    for backup in window.project.backups():
        backup.path.unlink()
    dialog = window.restore_backup_dialog()
    assert dialog is not None and dialog.table.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
