"""Edit › Labels…, driven through its methods and widgets; the window follows every change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import select_phrase
from ui.main_window import MainWindow
from ui.widgets.labels_dialog import LabelsDialog

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


def names(project: Project) -> list[str]:
    return [label.name for label in project.labels()]


def test_add_label_appears_in_toolbar_with_key(
    open_window: MainWindow, project: Project, qtbot: QtBot
) -> None:
    dialog = open_window.open_labels_dialog()
    assert dialog.isVisible()
    assert dialog.add_label("quote", key="4")
    assert names(project)[-1] == "quote"
    action = open_window.findChild(QAction, "label:quote")
    assert action is not None and action.shortcut().toString() == "4"
    # A colour from the colour-blind-safe palette, different from the others.
    colors = [label.color for label in project.labels()]
    assert len(set(colors)) == len(colors)
    select_phrase(open_window, "mayor")
    qtbot.keyClick(open_window.view, Qt.Key.Key_4)
    assert [a.label for a in project.annotations()] == ["quote"]


def test_rename_recolour_rekey_reorder(open_window: MainWindow, project: Project) -> None:
    dialog = open_window.open_labels_dialog()
    assert dialog.rename_label("fact", "verified fact")
    assert dialog.set_label_color("verified fact", "#CC79A7")
    assert dialog.set_label_key("verified fact", "9")
    assert dialog.move_label("verified fact", -2)
    assert names(project) == ["verified fact", "claim", "source"]
    [first] = [label for label in project.labels() if label.name == "verified fact"]
    assert (first.color, first.key) == ("#CC79A7", "9")
    toolbar = [a.objectName() for a in open_window.label_toolbar.label_actions()]
    assert toolbar == ["label:verified fact", "label:claim", "label:source"]
    assert open_window.findChild(QAction, "label:fact") is None


def test_duplicate_key_is_shown_inline(open_window: MainWindow, project: Project) -> None:
    dialog = open_window.open_labels_dialog()
    assert not dialog.set_label_key("fact", "1")
    assert "already used" in dialog.error_label.text()
    assert [label.key for label in project.labels()] == ["1", "2", "3"]


def test_form_apply_renames_current_label(open_window: MainWindow, project: Project, qtbot):
    dialog = open_window.open_labels_dialog()
    dialog.label_list.setCurrentRow(1)
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "who said it")
    qtbot.mouseClick(dialog.findChild(type(dialog.color_button), "applyLabel"),
                     Qt.MouseButton.LeftButton)
    assert names(project) == ["claim", "who said it", "fact"]


@pytest.mark.parametrize("answer", [False, True])
def test_remove_label_in_use_asks_with_count(
    open_window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    answer: bool,
) -> None:
    for phrase in ("mayor", "engineer"):
        select_phrase(open_window, phrase)
        qtbot.keyClick(open_window.view, Qt.Key.Key_2)
    asked: list[tuple[str, int]] = []

    def confirm(self: LabelsDialog, name: str, in_use: int) -> bool:
        asked.append((name, in_use))
        return answer

    monkeypatch.setattr(LabelsDialog, "confirm_removal", confirm)
    dialog = open_window.open_labels_dialog()
    assert dialog.remove_label("source") is answer
    assert asked == [("source", 2)]
    if answer:
        assert "source" not in names(project)
        assert project.annotations() == []
        assert open_window.view.spans() == [] and open_window.annotation_model.rowCount() == 0
        assert open_window.findChild(QAction, "label:source") is None
        assert open_window.undo_stack.count() == 0
    else:
        assert "source" in names(project) and len(project.annotations()) == 2


def test_unused_label_is_removed_without_asking(
    open_window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object) -> bool:
        raise AssertionError("must not ask")

    monkeypatch.setattr(LabelsDialog, "confirm_removal", never)
    assert open_window.open_labels_dialog().remove_label("fact")
    assert names(project) == ["claim", "source"]


def test_recolour_updates_open_document(open_window: MainWindow, qtbot: QtBot) -> None:
    select_phrase(open_window, "mayor")
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    open_window.open_labels_dialog().set_label_color("claim", "#0072B2")
    assert open_window.view.spans()[0].color == "#0072B2"
