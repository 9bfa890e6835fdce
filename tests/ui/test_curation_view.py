"""The curation view: disagreements listed per document, stepped with . and , and settled
into gold by picking a version, editing one, or dismissing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import test_layers as layer_tests
from tests.ui import window_fixtures as fx
from tests.ui.test_layers import span_of
from ui.main_window import MainWindow
from ui.review.curation_view import CurationView

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
colleague_ids, review_window = layer_tests.colleague_ids, layer_tests.review_window
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_curation(qtbot: QtBot, window: MainWindow) -> CurationView:
    qtbot.keyClick(window.view, Qt.Key.Key_G, CTRL_SHIFT)
    view = window.findChild(CurationView, "curationView")
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    return view


def test_lists_each_kind_of_disagreement(qtbot: QtBot, review_window: MainWindow) -> None:
    curation = open_curation(qtbot, review_window)
    found = curation.disagreements()
    assert [d.kind for d in found] == ["label", "missing"]
    assert "2" in curation.count_label.text()
    # The agreed "The mayor said" (same span, same label) is not listed.
    assert span_of("The mayor said")[0] not in {d.start for d in found}
    top = curation.tree.topLevelItem(0)
    assert top is not None and "Bridge" in top.text(0)
    assert top.child(0).text(1) == "Label differs"


def test_keys_step_and_show_the_place(qtbot: QtBot, review_window: MainWindow) -> None:
    curation = open_curation(qtbot, review_window)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Period)
    first = curation.current()
    assert first is not None and first.kind == "label"
    assert review_window.view.selection_range() == span_of("the bridge cost 12 million euros")
    versions = [curation.versions.topLevelItem(i).text(0)
                for i in range(curation.versions.topLevelItemCount())]
    assert versions == ["alice", "bob"]
    assert "fact" in curation.versions.topLevelItem(0).text(1)
    assert "claim" in curation.versions.topLevelItem(1).text(1)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Period)
    assert curation.current() is not None and curation.current().kind == "missing"
    bob_only = curation.versions.topLevelItem(0)
    assert bob_only.text(0) == "alice" and "nothing here" in bob_only.text(1)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Comma)
    assert curation.current() == first


def test_use_a_version_puts_it_into_gold(qtbot: QtBot, review_window: MainWindow,
                                         project: Project, document_ids: list[str]) -> None:
    curation = open_curation(qtbot, review_window)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Period)
    curation.versions.setFocus()
    qtbot.keyClick(curation.versions, Qt.Key.Key_Down)
    assert curation.selected_user() == "bob"
    qtbot.mouseClick(curation.use_button, Qt.MouseButton.LeftButton)
    [gold] = project.gold_annotations(document_ids[0])
    assert (gold.start, gold.end, gold.label) == (*span_of("the bridge cost 12 million euros"),
                                                  "claim")
    assert [d.kind for d in curation.disagreements()] == ["missing"]
    assert curation.current() is not None and curation.current().kind == "missing"
    # Gold is shown as its own layer in the document.
    assert gold.id in {s.id for s in review_window.view.spans()}
    assert review_window.layers.is_visible("gold")


def test_dismiss_and_show_settled(qtbot: QtBot, review_window: MainWindow,
                                  project: Project, document_ids: list[str]) -> None:
    curation = open_curation(qtbot, review_window)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Period)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Period)
    qtbot.mouseClick(curation.dismiss_button, Qt.MouseButton.LeftButton)
    assert [d.kind for d in curation.disagreements()] == ["label"]
    assert project.gold_annotations() == []
    settled = project.disagreements(document_ids[0], include_resolved=True)
    assert {d.kind: d.resolution for d in settled} == {"label": None, "missing": "dismissed"}
    curation.show_resolved.setChecked(True)
    assert [d.kind for d in curation.disagreements()] == ["label", "missing"]


def test_edit_a_span_before_it_goes_to_gold(qtbot: QtBot, review_window: MainWindow,
                                            project: Project) -> None:
    curation = open_curation(qtbot, review_window)
    qtbot.keyClick(review_window.view, Qt.Key.Key_Period)
    qtbot.mouseClick(curation.edit_button, Qt.MouseButton.LeftButton)
    editor = curation.editor
    assert editor.isVisible()
    start, end = span_of("the bridge cost 12 million euros")
    assert (editor.start_box.value(), editor.end_box.value()) == (start, end)
    start4 = start + len("the ")
    editor.start_box.setValue(start4)
    editor.label_box.setCurrentText("fact")
    assert "bridge cost" in editor.preview.text()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    [gold] = project.gold_annotations()
    assert (gold.start, gold.end, gold.label) == (start4, end, "fact")


def test_listed_under_its_own_dock(review_window: MainWindow) -> None:
    dock = review_window.curation.dock
    assert dock.objectName() == "curationDock"
    assert dock.widget() is review_window.curation.view
    assert not dock.isVisible()
