"""Rename (F2) and delete a document from the list, undoably; a document deleted or renamed
elsewhere is followed live."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from annotator.records import DocumentInfo
from tests.ui import window_fixtures as fx
from ui.documents.document_actions import delete_question
from ui.main_window import MainWindow
from ui.operations.document_commands import DeleteDocumentCommand, RenameDocumentCommand

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window

WITHIN_MS = 1000


def _titles(win: MainWindow) -> list[str]:
    return [d.title for d in win.document_model.all_documents()]


def test_f2_renames_the_selected_document_and_undo_renames_back(
    open_window: MainWindow, document_ids: list[str], qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = open_window
    asked: list[str] = []

    def ask_title(current: str) -> str:
        asked.append(current)
        return "Bridge, revised"

    monkeypatch.setattr(win.document_actions, "ask_title", ask_title)
    win.document_list.select_document(document_ids[0])
    win.document_list.table.setFocus()
    qtbot.waitUntil(win.document_list.table.hasFocus)
    qtbot.keyClick(win.document_list.table, Qt.Key.Key_F2)
    assert asked == ["Bridge"]
    assert win.project.document(document_ids[0]).title == "Bridge, revised"
    assert _titles(win)[0] == "Bridge, revised"
    assert win.editing.document is not None
    assert win.editing.document.title == "Bridge, revised"
    win.undo_stack.undo()
    assert _titles(win)[0] == "Bridge"
    assert win.editing.document.title == "Bridge"


def test_delete_asks_naming_the_title_and_count_and_undo_restores(
    open_window: MainWindow, document_ids: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = open_window
    first = document_ids[0]
    made = [win.project.add_annotation(first, 4, 9, "source"),
            win.project.add_annotation(first, 10, 14, "claim")]
    questions: list[DocumentInfo] = []

    def confirm(info: DocumentInfo) -> bool:
        questions.append(info)
        return True

    monkeypatch.setattr(win.document_actions, "confirm_delete", confirm)
    win.document_list.select_document(first)
    win.document_actions.delete_action.trigger()

    [info] = questions
    assert (info.title, info.annotations) == ("Bridge", 2)
    assert "“Bridge”" in delete_question(info) and "2 annotation(s)" in delete_question(info)
    assert _titles(win) == ["Rain", "Museum"]
    # the open document was the deleted one: the next is shown
    assert win.current_document_id() == document_ids[1]
    assert win.status.currentMessage().startswith("Deleted “Bridge” and hid its 2 annotation(s)")

    win.undo_stack.undo()
    assert _titles(win) == ["Bridge", "Rain", "Museum"]
    assert sorted(a.id for a in win.project.annotations(first)) == sorted(made)
    assert win.current_document_id() == first  # undo shows what it brought back
    assert all(win.view.span(a) is not None for a in made)
    win.undo_stack.redo()
    assert _titles(win) == ["Rain", "Museum"]


def test_declining_the_question_deletes_nothing(
    open_window: MainWindow, document_ids: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = open_window
    monkeypatch.setattr(win.document_actions, "confirm_delete", lambda info: False)
    win.document_list.select_document(document_ids[1])
    win.document_actions.delete_action.trigger()
    assert len(win.project.documents()) == 3 and win.undo_stack.count() == 0


def test_a_document_deleted_elsewhere_disappears_and_the_view_moves_on(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    win = open_window
    with annotator.open_project(project.location, user="bob") as bob:
        bob.rename_document(document_ids[0], "Bridge (bob)")
        qtbot.waitUntil(lambda: _titles(win)[0] == "Bridge (bob)", timeout=WITHIN_MS)
        assert win.editing.document is not None
        assert win.editing.document.title == "Bridge (bob)"
        bob.delete_document(document_ids[0])
    qtbot.waitUntil(lambda: _titles(win) == ["Rain", "Museum"], timeout=WITHIN_MS)
    assert win.current_document_id() == document_ids[1]
    assert "was deleted" in win.status.currentMessage()
    # a restore elsewhere puts it back in its place
    with annotator.open_project(project.location, user="bob") as bob:
        bob.restore_document(document_ids[0])
    qtbot.waitUntil(lambda: _titles(win) == ["Bridge (bob)", "Rain", "Museum"],
                    timeout=WITHIN_MS)


def test_commands_on_a_bare_stack(project: Project, document_ids: list[str]) -> None:
    failures: list[str] = []
    stack = QUndoStack()
    stack.push(RenameDocumentCommand(project, failures.append, document_ids[2], "Museum",
                                     "Museum reopened"))
    stack.push(DeleteDocumentCommand(project, failures.append, document_ids[2],
                                     "Museum reopened"))
    assert [d.title for d in project.documents()] == ["Bridge", "Rain"]
    stack.undo()
    stack.undo()
    assert [d.title for d in project.documents()] == ["Bridge", "Rain", "Museum"]
    # deleted meanwhile by someone else: the command is refused and becomes obsolete
    project.delete_document(document_ids[1])
    stack.push(DeleteDocumentCommand(project, failures.append, document_ids[1], "Rain"))
    assert failures == ["the document 'Rain' is already deleted"]
    assert stack.count() == 0  # the refused command was dropped (with the undone ones)


def test_a_backup_restored_elsewhere_reloads_the_window(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    win = open_window
    first = document_ids[0]
    with annotator.open_project(project.location, user="bob") as bob:
        backup = bob.back_up()
        made = bob.add_annotation(first, 4, 9, "source")
        qtbot.waitUntil(lambda: win.view.span(made) is not None, timeout=WITHIN_MS)
        bob.delete_document(document_ids[2])
        qtbot.waitUntil(lambda: _titles(win) == ["Bridge", "Rain"], timeout=WITHIN_MS)
        bob.restore_backup(backup.name)
    # the restored project has the third document and not bob's annotation
    qtbot.waitUntil(lambda: _titles(win) == ["Bridge", "Rain", "Museum"], timeout=WITHIN_MS)
    qtbot.waitUntil(lambda: win.view.span(made) is None, timeout=WITHIN_MS)
    assert win.annotation_model.find(made) is None
    assert win.current_document_id() == first
