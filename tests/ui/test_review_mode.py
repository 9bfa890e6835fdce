"""Review mode driven by keys: ] and [ step, A accepts, R rejects, C comments."""

from __future__ import annotations

import os
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator import Project
from annotator.records import ReviewRecord
from tests.ui import test_layers as layer_tests
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.review.review_mode import ReviewCache
from ui.settings import Settings
from ui.workspace.annotation_model import COMMENTS, STATUS, AnnotationTableModel

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
colleague_ids, review_window = layer_tests.colleague_ids, layer_tests.review_window


def start_review(qtbot: QtBot, window: MainWindow) -> None:
    review = window.review
    assert review.colleague_box.currentText() == "bob"
    toolbar_action = window.findChild(type(review.toggle_action), "reviewModeAction")
    assert toolbar_action is review.toggle_action
    assert review.toggle_action in review.toolbar.actions()
    review.toggle_action.trigger()
    assert review.active


def cell(window: MainWindow, annotation_id: str, column: int) -> str:
    model = window.annotation_model
    row = model.row_of(annotation_id)
    assert row is not None
    return str(model.data(model.index(row, column)))


def test_keys_do_nothing_outside_review_mode(qtbot: QtBot, review_window: MainWindow,
                                             project: Project) -> None:
    assert not review_window.review.accept_action.isEnabled()
    qtbot.keyClick(review_window.view, Qt.Key.Key_A)
    qtbot.keyClick(review_window.view, Qt.Key.Key_BracketRight)
    assert project.reviews() == []


def test_step_accept_reject_with_keys(qtbot: QtBot, review_window: MainWindow,
                                      project: Project,
                                      colleague_ids: dict[str, str]) -> None:
    start_review(qtbot, review_window)
    review = review_window.review
    view = review_window.view
    queue = [r.id for r in review.queue()]
    assert queue == [colleague_ids["bob_mayor"], colleague_ids["bob_cost"],
                     colleague_ids["bob_critics"]]
    assert view.selected_annotation() == colleague_ids["bob_mayor"]
    qtbot.keyClick(view, Qt.Key.Key_BracketRight)
    assert view.selected_annotation() == colleague_ids["bob_cost"]
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft)
    assert view.selected_annotation() == colleague_ids["bob_mayor"]

    qtbot.keyClick(view, Qt.Key.Key_A)
    [accepted] = project.reviews(colleague_ids["bob_mayor"])
    assert (accepted.reviewer, accepted.verdict) == ("alice", "accepted")
    assert accepted.created is not None
    assert cell(review_window, colleague_ids["bob_mayor"], STATUS) == "Accepted"
    # Acting moves on to the next one still unreviewed.
    assert view.selected_annotation() == colleague_ids["bob_cost"]
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert project.reviews(colleague_ids["bob_cost"])[-1].verdict == "rejected"
    assert cell(review_window, colleague_ids["bob_cost"], STATUS) == "Rejected"
    assert view.selected_annotation() == colleague_ids["bob_critics"]
    assert "2 reviewed" in review.progress_label.text()
    assert "1 left" in review.progress_label.text()
    assert [r.id for r in project.review_queue("bob")] == [colleague_ids["bob_critics"]]
    assert not project.gold_annotations()


def test_comment_editor_is_non_modal_and_saves(qtbot: QtBot, review_window: MainWindow,
                                               project: Project,
                                               colleague_ids: dict[str, str]) -> None:
    start_review(qtbot, review_window)
    review = review_window.review
    qtbot.keyClick(review_window.view, Qt.Key.Key_C)
    editor = review.comment_editor
    assert editor.isVisible() and not editor.isModal()
    assert editor.objectName() == "commentEditor"
    assert editor.annotation_id() == colleague_ids["bob_mayor"]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    qtbot.keyClicks(editor.text, "Speaker, not a source")
    qtbot.keyClick(editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible()
    [comment] = project.reviews(colleague_ids["bob_mayor"])
    assert (comment.verdict, comment.comment) == ("comment", "Speaker, not a source")
    assert cell(review_window, colleague_ids["bob_mayor"], COMMENTS) == (
        "alice (commented): Speaker, not a source")
    # A comment alone leaves it in the queue.
    assert colleague_ids["bob_mayor"] in [r.id for r in project.review_queue("bob")]


def test_accepting_copies_to_gold_when_preferred(qtbot: QtBot, review_window: MainWindow,
                                                 project: Project,
                                                 settings: Settings,
                                                 colleague_ids: dict[str, str]) -> None:
    review = review_window.review
    assert not review.to_gold_action.isChecked()
    review.to_gold_action.trigger()
    assert settings.accept_copies_to_gold()
    start_review(qtbot, review_window)
    qtbot.keyClick(review_window.view, Qt.Key.Key_A)
    [gold] = project.gold_annotations()
    bob = project.annotation(colleague_ids["bob_mayor"])
    assert (gold.start, gold.end, gold.label) == (bob.start, bob.end, bob.label)
    # The gold layer shows up in the view and the layers menu.
    assert gold.id in {s.id for s in review_window.view.spans()}
    assert "gold" in review_window.layers.menu.layer_actions


def test_review_mode_off_without_colleagues(qtbot: QtBot, project: Project,
                                            settings: Settings,
                                            document_ids: list[str]) -> None:
    from tests.ui.window_fixtures import show_window

    window = MainWindow(project, settings)
    show_window(qtbot, window)
    review = window.review
    review.toggle_action.trigger()
    assert not review.active and not review.toggle_action.isChecked()
    assert "Merge" in window.status.currentMessage()


def test_own_annotations_are_not_reviewed(qtbot: QtBot, review_window: MainWindow,
                                          project: Project,
                                          colleague_ids: dict[str, str]) -> None:
    start_review(qtbot, review_window)
    review_window.editing.select(colleague_ids["alice_cost"])
    qtbot.keyClick(review_window.view, Qt.Key.Key_A)
    assert project.reviews() == []
    assert "your own" in review_window.status.currentMessage()


def test_switching_user_rebuilds_layers_and_colleagues(review_window: MainWindow,
                                                       project: Project) -> None:
    from ui.widgets.preferences_dialog import Preferences

    review = review_window.review
    review.toggle_action.trigger()
    review_window.apply_preferences(
        Preferences("bob", review_window.view.word_snapping(), review_window.view.font()))
    assert project.user == "bob"
    assert not review.active
    assert [review.colleague_box.itemText(i) for i in range(review.colleague_box.count())] == [
        "alice"]
    actions = review_window.layers.menu.layer_actions
    assert actions["bob"].text() == "bob (you)"


def test_table_rows_only_for_reviewed_and_a_new_set_replaces_the_old() -> None:
    cache = ReviewCache()
    when = datetime(2024, 5, 1, tzinfo=UTC)
    cache.load([ReviewRecord("r1", "a", "bob", "rejected", "too long", when)])
    rows = cache.table_rows(["a", "b", "c"])
    assert rows == {"a": ("rejected", "bob (rejected): too long")}
    model = AnnotationTableModel()
    model.set_reviews(rows)
    assert model.review("a")[0] == "rejected" and model.review("b") == ("pending", "")
    cache.load([])  # the review is gone: the next set must not keep it
    model.set_reviews(cache.table_rows(["a", "b"]))
    assert model.review("a") == ("pending", "")
