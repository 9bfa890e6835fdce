"""The main window driven with real key and mouse events."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QToolBar
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import select_phrase
from ui.main_window import MainWindow
from ui.workspace.document_view import DocumentView

CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)
CTRL_SHIFT = CTRL | SHIFT
settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


def test_widgets_have_contract_object_and_accessible_names(open_window: MainWindow) -> None:
    for name, kind in (
        ("documentList", QTableView),
        ("documentView", DocumentView),
        ("annotationTable", QTableView),
        ("labelToolbar", QToolBar),
    ):
        widget = open_window.findChild(kind, name)
        assert widget is not None, name
        assert widget.accessibleName()
    actions = {a.objectName() for a in open_window.label_toolbar.actions()}
    assert {"label:claim", "label:source", "label:fact"} <= actions
    claim = open_window.findChild(QAction, "label:claim")
    assert claim is not None and claim.shortcut().toString() == "1"


def test_label_key_tags_selection_and_commits_it(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot
) -> None:
    view = open_window.view
    select_phrase(open_window, "mayor")
    qtbot.keyClick(view, Qt.Key.Key_1)
    [stored] = project.annotations(document_ids[0])
    assert (stored.label, passage(open_window, stored)) == ("claim", "mayor")
    assert [s.id for s in view.spans()] == [stored.id]
    assert open_window.annotation_model.rowCount() == 1
    assert view.selected_annotation() == stored.id
    info = open_window.document_model.info(document_ids[0])
    assert info is not None and (info.annotations, info.status) == (1, "in_progress")
    assert project.status(document_ids[0]) == "in_progress"
    assert "1 annotation" in open_window.status.counts_label.text()


def passage(window: MainWindow, record: object) -> str:
    return window.view.core_text()[record.start : record.end]


def test_selection_snaps_to_whole_words_unless_toggled_off(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    text = open_window.view.core_text()
    start = text.index("engineer")
    open_window.view.set_selection_range(start + 2, start + 5)
    qtbot.keyClick(open_window.view, Qt.Key.Key_3)
    assert [a.end - a.start for a in project.annotations()] == [len("engineer")]
    open_window.window_actions.word_snapping.trigger()
    assert not open_window.view.word_snapping()
    open_window.view.set_selection_range(start + 2, start + 5)
    qtbot.keyClick(open_window.view, Qt.Key.Key_3)
    assert sorted(a.end - a.start for a in project.annotations()) == [3, len("engineer")]


def test_keyboard_selection_then_key(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL)
    qtbot.keyClick(
        view, Qt.Key.Key_Right, CTRL_SHIFT
    )
    qtbot.keyClick(view, Qt.Key.Key_2)
    [stored] = project.annotations()
    assert (view.core_text()[stored.start : stored.end], stored.label) == ("mayor", "source")


def test_tab_selects_and_label_key_relabels(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    select_phrase(open_window, "mayor")
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_annotation() is None
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    [stored] = project.annotations()
    assert view.selected_annotation() == stored.id
    assert open_window.annotation_table.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert project.annotation(stored.id).label == "source"
    assert view.spans()[0].label == "source"
    assert open_window.annotation_model.record(0).label == "source"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert project.annotation(stored.id).label == "claim"


def test_click_selects_annotation_and_delete_removes_it_with_undo_redo(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    start, _end = select_phrase(open_window, "bridge")
    qtbot.keyClick(view, Qt.Key.Key_3)
    view.select_annotation(None)
    cursor = view.textCursor()
    cursor.setPosition(view.offset_to_position(start + 2))
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    [stored] = project.annotations()
    assert view.selected_annotation() == stored.id
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert project.annotations() == []
    assert view.spans() == [] and open_window.annotation_model.rowCount() == 0
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    [restored] = project.annotations()
    assert restored.id == stored.id and [s.id for s in view.spans()] == [stored.id]
    qtbot.keyClick(
        view, Qt.Key.Key_Z, CTRL_SHIFT
    )
    assert project.annotations() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert project.annotations() == []
    info = open_window.document_model.info(stored.document_id)
    assert info is not None and info.annotations == 0


def test_undo_redo_after_switching_documents(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot
) -> None:
    view = open_window.view
    select_phrase(open_window, "mayor")
    qtbot.keyClick(view, Qt.Key.Key_1)
    [first] = project.annotations(document_ids[0])
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)
    assert open_window.current_document_id() == document_ids[1]
    select_phrase(open_window, "Farmers")
    qtbot.keyClick(open_window.view, Qt.Key.Key_2)
    assert len(project.annotations(document_ids[1])) == 1
    qtbot.keyClick(open_window.view, Qt.Key.Key_Z, CTRL)
    assert open_window.current_document_id() == document_ids[1]
    qtbot.keyClick(open_window.view, Qt.Key.Key_Z, CTRL)
    # The undo of a change in a document that is not open reaches the core and shows it:
    # the window opens that document.
    assert project.annotations() == []
    assert open_window.current_document_id() == document_ids[0]
    assert open_window.view.spans() == []
    info = open_window.document_model.info(document_ids[0])
    assert info is not None and info.annotations == 0
    qtbot.keyClick(open_window.view, Qt.Key.Key_Right, ALT)
    assert open_window.current_document_id() == document_ids[1]
    qtbot.keyClick(open_window.view, Qt.Key.Key_Y, CTRL)
    assert [a.id for a in project.annotations()] == [first.id]
    # Redo, too, opens the document it changed and selects what came back.
    assert open_window.current_document_id() == document_ids[0]
    assert [s.id for s in open_window.view.spans()] == [first.id]
    assert open_window.view.selected_annotation() == first.id


def test_n_edits_note_in_place_and_undo_clears_it(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    select_phrase(open_window, "mayor")
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.keyClick(view, Qt.Key.Key_N)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "who is this? 1 2")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: project.annotations()[0].note is not None)
    [stored] = project.annotations()
    assert stored.note == "who is this? 1 2"  # digits typed in the editor are not label keys
    assert stored.label == "claim"
    assert open_window.view.spans()[0].note == "who is this? 1 2"
    open_window.undo_stack.undo()
    assert project.annotations()[0].note is None


def test_shift_arrows_resize_through_the_undo_stack(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    view = open_window.view
    select_phrase(open_window, "new bridge")
    qtbot.keyClick(view, Qt.Key.Key_3)
    [before] = project.annotations()
    qtbot.keyClick(view, Qt.Key.Key_Right, SHIFT)
    [grown] = project.annotations()
    assert grown.id == before.id and grown.end > before.end
    assert view.core_text()[grown.start : grown.end] == "new bridge will"
    assert open_window.annotation_model.record(0).end == grown.end
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert (project.annotations()[0].start, project.annotations()[0].end) == (
        before.start,
        before.end,
    )


def test_table_row_selects_annotation_in_view(open_window: MainWindow, qtbot: QtBot) -> None:
    for phrase, key in (("mayor", Qt.Key.Key_1), ("engineer", Qt.Key.Key_2)):
        select_phrase(open_window, phrase)
        qtbot.keyClick(open_window.view, key)
    table = open_window.annotation_table
    table.setFocus()
    table.selectRow(0)
    first = open_window.annotation_model.record(0)
    assert first.label == "claim"
    assert open_window.view.selected_annotation() == first.id
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert open_window.view.selected_annotation() == open_window.annotation_model.record(1).id
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert open_window.annotation_model.rowCount() == 1


def test_next_previous_and_mark_done(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot
) -> None:
    view = open_window.view
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)
    assert open_window.current_document_id() == document_ids[1]
    qtbot.keyClick(open_window.view, Qt.Key.Key_Left, ALT)
    assert open_window.current_document_id() == document_ids[0]
    project.set_status(document_ids[1], "done")
    open_window.document_model.update_document(document_ids[1], status="done")
    qtbot.keyClick(open_window.view, Qt.Key.Key_Return, CTRL)
    assert project.status(document_ids[0]) == "done"
    assert open_window.current_document_id() == document_ids[2]  # skips the done one
    model = open_window.document_model
    row = model.row_of(document_ids[0])
    assert row is not None and model.index(row, 2).data() == "done"


def test_enter_in_document_list_opens_document(
    open_window: MainWindow, document_ids: list[str], qtbot: QtBot
) -> None:
    table = open_window.document_list.table
    table.setFocus()
    table.selectRow(2)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert open_window.current_document_id() == document_ids[2]
    box = open_window.document_list.filter_box
    qtbot.keyClicks(box, "rain")
    assert open_window.document_model.rowCount() == 1
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert open_window.current_document_id() == document_ids[1]


def test_double_click_opens_document(
    open_window: MainWindow, document_ids: list[str], qtbot: QtBot
) -> None:
    table = open_window.document_list.table
    rect = table.visualRect(open_window.document_model.index(1, 0))
    # A real double-click starts with a press and release; the view needs that press.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert open_window.current_document_id() == document_ids[1]


def test_ctrl_f_finds_all_matches(open_window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(open_window.view, Qt.Key.Key_F, CTRL)
    assert open_window.find_bar.isVisible()
    find_input = open_window.find_bar.findChild(QLineEdit, "findInput")
    assert find_input is not None and find_input.hasFocus()
    qtbot.keyClicks(find_input, "the")
    assert len(open_window.find_bar.matches()) == open_window.view.core_text().lower().count("the")
    first = open_window.find_bar.current()
    qtbot.keyClick(find_input, Qt.Key.Key_Return)
    assert open_window.find_bar.current() != first


def test_label_key_without_selection_only_explains(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    assert project.annotations() == []
    assert "Select" in open_window.status.currentMessage()


def test_core_refusal_is_a_message_not_a_traceback(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    select_phrase(open_window, "mayor")
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    [stored] = project.annotations()
    # Someone else removes it in another process, before the window has looked (it polls).
    with annotator.open_project(project.location, user="alice") as elsewhere:
        elsewhere.delete_annotation(stored.id)
    qtbot.keyClick(open_window.view, Qt.Key.Key_2)
    assert "no annotation" in open_window.status.currentMessage()
    assert open_window.undo_stack.count() == 1  # the refused relabel left no history
    # Honest save state: the change the user just made did not reach the project.
    assert open_window.status.save_label.text() == "Last change not saved"
    assert "no annotation" in open_window.status.save_label.toolTip()
    select_phrase(open_window, "bridge")
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    assert open_window.status.save_label.text() == "All changes saved"


def test_shortcuts_dialog_lists_standard_keys(open_window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_window.show_shortcuts()
    qtbot.addWidget(dialog)
    entries = dict(dialog.entries())
    assert entries["Undo"].startswith("Ctrl+Z")
    assert "Ctrl+Shift+Z" in entries["Redo"] and "Ctrl+Y" in entries["Redo"]
    assert entries["Find in document…"].startswith("Ctrl+F")
    assert entries["claim"] == "1" and entries["Edit note"] == "N"
    assert "Alt+Right" in entries["Next document"]
    assert "Tab" in entries["Next annotation"]


def test_empty_project_offers_sample_document(
    window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    button = window.document_list.add_sample_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [info] = project.documents()
    assert info.title.startswith("Sample")
    assert window.current_document_id() == info.id
    assert window.document_list.table.isVisible()
    assert "claim" in window.view.core_text() or len(window.view.core_text()) > 1000


def test_screenshot_of_tagged_document(
    open_window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    for phrase, key in (("mayor", Qt.Key.Key_2), ("the new bridge will open in May", Qt.Key.Key_1),
                        ("12 million euros", Qt.Key.Key_3)):
        select_phrase(open_window, phrase)
        qtbot.keyClick(open_window.view, key)
    path = tmp_path / "window.png"
    assert open_window.grab().save(str(path))
    assert path.stat().st_size > 10_000
    image = open_window.grab().toImage()
    assert image.width() >= 800
    # The claim colour appears in the rendered document.
    view_image = open_window.view.viewport().grab().toImage()
    colours = {
        view_image.pixelColor(QPoint(x, y)).name()
        for x in range(0, view_image.width(), 4)
        for y in range(0, min(view_image.height(), 200), 4)
    }
    assert len(colours) > 5


def test_an_open_freezes_its_load_without_a_collection_over_it(
    window: MainWindow, project: Project
) -> None:
    """The records and spans of an open are frozen before the collector is back on: no
    young collection examines the whole load once first."""
    words = " ".join(f"w{i:03d}" for i in range(400))
    document_id = project.add_document(words, "Many tags")
    for i in range(300):  # ~10 objects each: several times the young generation's threshold
        project.add_annotation(document_id, 5 * i, 5 * i + 4, "claim")
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        assert window.open_document(document_id)
    finally:
        gc.callbacks.remove(seen)
    assert collections == []
    assert gc.isenabled()
    assert len(window.view.spans()) == 300
