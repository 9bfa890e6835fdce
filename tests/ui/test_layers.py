"""Layers: one per annotator plus gold, togglable from View › Layers and the status bar;
colleagues drawn distinctly, initials in tooltips and the table, an annotator filter."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import ARTICLE_A, show_window
from ui.main_window import MainWindow
from ui.review.layers import LayerState, initials
from ui.settings import Settings
from ui.workspace.annotation_model import ANNOTATOR, COMMENTS, STATUS

settings, project, document_ids = fx.settings, fx.project, fx.document_ids


def span_of(phrase: str) -> tuple[int, int]:
    start = ARTICLE_A.index(phrase)
    return start, start + len(phrase)


def add_colleague_work(project: Project, document_id: str) -> dict[str, str]:
    """alice and bob annotate the bridge article, partly alike; returns ids by name."""
    ids = {}
    project.set_user("alice")
    ids["alice_mayor"] = project.add_annotation(document_id, *span_of("The mayor said"),
                                                "source")
    ids["alice_cost"] = project.add_annotation(
        document_id, *span_of("the bridge cost 12 million euros"), "fact")
    project.set_user("bob")
    ids["bob_mayor"] = project.add_annotation(document_id, *span_of("The mayor said"), "source")
    ids["bob_cost"] = project.add_annotation(
        document_id, *span_of("the bridge cost 12 million euros"), "claim")
    ids["bob_critics"] = project.add_annotation(
        document_id, *span_of("Critics claim the budget was doubled"), "claim")
    project.set_user("alice")
    return ids


@pytest.fixture
def colleague_ids(project: Project, document_ids: list[str]) -> dict[str, str]:
    return add_colleague_work(project, document_ids[0])


@pytest.fixture
def review_window(qtbot: QtBot, project: Project, settings: Settings,
                  document_ids: list[str], colleague_ids: dict[str, str]) -> MainWindow:
    window = MainWindow(project, settings)
    show_window(qtbot, window)
    window.document_model.set_documents(project.documents())
    assert window.open_document(document_ids[0])
    return window


def test_initials() -> None:
    assert initials("Alice Smith") == "AS"
    assert initials("bob") == "BO"
    assert initials("j.doe") == "JD"
    assert initials("maryJane") == "MJ"
    assert initials("gold") == "GD"
    assert initials("x") == "X"


def test_layer_state_filters_records(project: Project, document_ids: list[str],
                                     colleague_ids: dict[str, str]) -> None:
    state = LayerState()
    records = project.annotations(document_ids[0])
    state.set_visible("bob", False)
    assert {r.annotator for r in state.filter(records)} == {"alice"}
    state.set_visible("bob", True)
    assert len(state.filter(records)) == len(records) == 5


def test_view_menu_has_one_checkable_action_per_layer(review_window: MainWindow) -> None:
    menu = review_window.layers.menu
    assert list(menu.layer_actions) == ["alice", "bob", "gold"]
    assert all(a.isCheckable() and a.isChecked() for a in menu.layer_actions.values())
    assert menu.layer_actions["alice"].text() == "alice (you)"
    view_menu = next(a.menu() for a in review_window.menuBar().actions()
                     if a.text().replace("&", "") == "View")
    assert menu.menuAction() in view_menu.actions()


def test_colleague_spans_are_drawn_as_colleagues(review_window: MainWindow,
                                                 colleague_ids: dict[str, str]) -> None:
    spans = {s.id: s for s in review_window.view.spans()}
    assert spans[colleague_ids["bob_cost"]].own is False
    assert spans[colleague_ids["alice_cost"]].own is True


def test_hiding_a_layer_removes_its_spans_and_rows(review_window: MainWindow,
                                                   colleague_ids: dict[str, str]) -> None:
    layers = review_window.layers
    assert layers.button.text() == "Layers 3/3"
    layers.menu.layer_actions["bob"].trigger()
    annotators = {s.annotator for s in review_window.view.spans()}
    assert annotators == {"alice"}
    assert {r.annotator for r in review_window.annotation_model.records()} == {"alice"}
    assert layers.button.text() == "Layers 2/3"
    assert "Hidden: bob" in layers.button.toolTip()
    # Opening another document and coming back keeps the layer hidden.
    review_window.step_document(1)
    review_window.step_document(-1)
    assert {s.annotator for s in review_window.view.spans()} == {"alice"}
    layers.menu.show_all_action.trigger()
    assert colleague_ids["bob_critics"] in {s.id for s in review_window.view.spans()}
    assert layers.button.text() == "Layers 3/3"


def test_status_bar_button_opens_the_layers_menu(review_window: MainWindow) -> None:
    layers = review_window.layers
    assert layers.button.menu() is layers.menu
    assert layers.button.parent() is review_window.status
    assert layers.button.isVisible()


def test_annotator_filter_above_the_table(qtbot: QtBot, review_window: MainWindow) -> None:
    combo = review_window.findChild(type(review_window.layers.annotator_filter),
                                    "annotatorFilter")
    assert combo is not None and combo.isVisible()
    table = review_window.annotation_table
    assert len(table.visible_rows()) == 5
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # "All annotators" -> alice
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # -> bob
    assert combo.current_annotator() == "bob"
    model = review_window.annotation_model
    shown = [model.record(r).annotator for r in table.visible_rows()]
    assert shown == ["bob", "bob", "bob"]
    # New rows respect the filter too.
    review_window.view.set_selection_range(*span_of("new bridge"))
    qtbot.keyClick(review_window.view, Qt.Key.Key_1)
    assert len(model.records()) == 6
    assert [model.record(r).annotator for r in table.visible_rows()] == ["bob"] * 3
    combo.choose(None)
    assert len(table.visible_rows()) == 6


def test_table_shows_initials_badge_and_review_columns(review_window: MainWindow,
                                                       colleague_ids: dict[str, str]) -> None:
    model = review_window.annotation_model
    row = model.row_of(colleague_ids["bob_cost"])
    assert row is not None
    assert model.data(model.index(row, ANNOTATOR)) == "bob"
    assert not model.data(model.index(row, ANNOTATOR), Qt.ItemDataRole.DecorationRole).isNull()
    assert model.data(model.index(row, STATUS)) == "Pending"
    assert model.data(model.index(row, COMMENTS)) == ""
    assert model.headerData(STATUS, Qt.Orientation.Horizontal) == "Review"


def test_tooltip_names_annotator_with_initials(review_window: MainWindow,
                                               colleague_ids: dict[str, str]) -> None:
    view = review_window.view
    spans = [s for s in view.spans() if s.id == colleague_ids["bob_critics"]]
    html = review_window.layers.tooltips.html(spans)
    assert html is not None
    assert "<b>BO</b>" in html and "bob" in html and "colleague" in html
    own = [s for s in view.spans() if s.id == colleague_ids["alice_cost"]]
    assert "(you)" in (review_window.layers.tooltips.html(own) or "")


def test_shortcuts_dialog_lists_review_keys(review_window: MainWindow) -> None:
    dialog = review_window.show_shortcuts()
    entries = dict(dialog.entries())
    assert entries["Next to review"] == "]"
    assert entries["Accept"] == "A"
    assert entries["Next disagreement"] == "."
    dialog.close()
