"""Links in the window: L, Tab, Enter; the Relations panel; claims without a source."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window

NONE = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def press(qtbot: QtBot, key: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, mods)


tag = fx.tag_phrase


def tagged(window: MainWindow) -> dict[str, str]:
    """claim "The mayor said…", source "the city engineer", a far source "Critics", a fact."""
    return {
        "claim": tag(window, "the new bridge will open in May", "claim"),
        "near": tag(window, "The mayor", "source"),
        "far": tag(window, "Critics", "source"),
        "fact": tag(window, "the bridge cost 12 million euros", "fact"),
    }


def links(store: Project, document_id: str) -> list[tuple[str, str, str]]:
    return [(r.from_id, r.to_id, r.type) for r in store.relations(document_id)]


def test_l_tab_enter_links_a_claim_to_its_source_with_undo_and_redo(
    qtbot: QtBot, open_window: MainWindow, document_ids: list[str]
) -> None:
    window = open_window
    ids = tagged(window)
    window.editing.select(ids["claim"])
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_L)
    assert window.links.active()
    # Only sources are offered from a claim (attributed_to), nearest first; the fact
    # (supports/contradicts run fact -> claim) is offered as well, in the other direction.
    offered = window.links.candidate_ids()
    assert offered[0] == ids["near"]
    assert set(offered) == {ids["near"], ids["far"], ids["fact"]}
    press(qtbot, Qt.Key.Key_Tab)
    assert window.links.candidate().annotation_id == offered[1]
    press(qtbot, Qt.Key.Key_Tab, SHIFT)
    assert window.links.candidate().annotation_id == ids["near"]
    press(qtbot, Qt.Key.Key_Return)
    assert not window.links.active()
    assert links(window.project, document_ids[0]) == [(ids["claim"], ids["near"], "attributed_to")]
    assert window.relation_model.rowCount() == 1
    window.undo_stack.undo()
    assert links(window.project, document_ids[0]) == []
    assert window.relation_model.rowCount() == 0
    window.undo_stack.redo()
    assert links(window.project, document_ids[0]) == [(ids["claim"], ids["near"], "attributed_to")]
    assert window.relation_model.rowCount() == 1


def test_wrong_labels_are_not_offered_and_two_fitting_types_ask_for_a_key(
    qtbot: QtBot, open_window: MainWindow, document_ids: list[str]
) -> None:
    window = open_window
    ids = tagged(window)
    window.editing.select(ids["near"])
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_L)
    # A source links only to claims (attributed_to, the other way): never to a source or fact.
    assert window.links.candidate_ids() == [ids["claim"]]
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.links.active()
    window.editing.select(ids["fact"])
    press(qtbot, Qt.Key.Key_L)
    assert window.links.candidate_ids() == [ids["claim"]]
    press(qtbot, Qt.Key.Key_Return)  # supports or contradicts: Enter asks which
    assert window.links.active()
    assert "2 contradicts" in window.statusBar().currentMessage()
    press(qtbot, Qt.Key.Key_2)  # not label 2 (source): the link's second type
    assert links(window.project, document_ids[0]) == [(ids["fact"], ids["claim"], "contradicts")]
    assert [r.label for r in window.annotation_model.records()].count("source") == 2


def test_clicking_a_candidate_links_it(
    qtbot: QtBot, open_window: MainWindow, document_ids: list[str]
) -> None:
    window = open_window
    ids = tagged(window)
    window.editing.select(ids["claim"])
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_L)
    far = window.view.placed(ids["far"])
    assert far is not None
    rect = window.view.range_rects(far.qt_start, far.qt_end)[0]
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center().toPoint())
    assert links(window.project, document_ids[0]) == [(ids["claim"], ids["far"], "attributed_to")]


def test_l_in_a_text_field_types_an_l(qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    ids = tagged(window)
    window.editing.select(ids["claim"])
    box = window.document_list.filter_box
    assert isinstance(box, QLineEdit)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_L)
    assert box.text() == "l"
    assert not window.links.active()


def test_relation_table_lists_and_selects_both_ends_and_claims_without_source_are_counted(
    qtbot: QtBot, open_window: MainWindow, document_ids: list[str]
) -> None:
    window = open_window
    ids = tagged(window)
    second_claim = tag(window, "the budget was doubled without a vote", "claim")
    assert window.links.unsourced_count() == 2
    assert window.status.unsourced_label.text() == "2 claims without a source"
    assert len(window.view.overlay().unsourced) == 2
    window.project.add_relation(ids["claim"], ids["near"], "attributed_to")
    window.project.add_relation(second_claim, ids["far"], "attributed_to")
    qtbot.waitUntil(lambda: window.relation_model.rowCount() == 2)
    assert window.links.unsourced_count() == 0
    assert window.status.unsourced_label.isHidden()
    row = next(i for i in range(2) if window.relation_model.relation(i).from_id == second_claim)
    window.relation_table.selectRow(row)
    assert window.view.selected_annotation() == second_claim
    far = window.view.span(ids["far"])
    assert far is not None
    assert window.links.partners() == [(far.start, far.end)]
    assert "Critics" in window.relation_model.index(row, 2).data()
    # Hovering another annotation shows only its links; so does selecting it.
    near = window.view.span(ids["near"])
    assert near is not None
    window.view.annotationHovered.emit(ids["claim"])
    assert window.links.partners() == [(near.start, near.end)]
    window.view.annotationHovered.emit("")
    assert window.links.partners() == [(far.start, far.end)]
    window.editing.select(ids["claim"])
    assert window.links.partners() == [(near.start, near.end)]


def test_relation_types_are_edited_in_the_labels_dialog_and_links_follow(
    qtbot: QtBot, open_window: MainWindow
) -> None:
    window = open_window
    ids = tagged(window)
    dialog = window.open_labels_dialog()
    qtbot.addWidget(dialog)
    editor = dialog.relation_types
    assert "attributed_to: claim \u2192 source" in [
        editor.type_list.item(i).text() for i in range(editor.type_list.count())]
    assert editor.add_type("quotes", ["source"], ["fact"])
    assert not editor.add_type("quotes", ["source"], ["fact"])  # refused, shown inline
    assert "already exists" in editor.error_label.text()
    # The window follows: from the near source, the fact is now a partner too.
    window.editing.select(ids["near"])
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_L)
    assert set(window.links.candidate_ids()) == {ids["claim"], ids["fact"]}
    press(qtbot, Qt.Key.Key_Escape)
    assert editor.update_type("quotes", "cites", ["source"], ["fact"])
    assert [t.name for t in window.project.relation_types()][-1] == "cites"
    assert editor.remove_type("cites")
    assert "cites" not in [t.name for t in window.project.relation_types()]


def test_an_open_picks_the_claims_in_c_and_asks_fits_only_of_changes(
    project: Project, document_ids: list[str]
) -> None:
    """The rebuild at an open takes the candidates the caller picked (by label, in C):
    `fits` is not called once per annotation; it judges the changed ones afterwards."""
    from datetime import UTC, datetime

    from annotator.records import AnnotationRecord
    from ui.workspace.unsourced import UnsourcedClaims

    now = datetime.now(UTC)
    claims = [AnnotationRecord(f"c{i}", document_ids[0], i, i + 1, "claim", "alice", None,
                               now, now) for i in range(5)]
    asked: list[str] = []

    def fits(record: AnnotationRecord) -> bool:
        asked.append(record.id)
        return record.label == "claim"

    unsourced = UnsourcedClaims(lambda _id: None)
    unsourced.rebuild([r.start for r in claims], [r.end for r in claims],
                      [r.id for r in claims], fits, ["c1"])
    assert asked == []
    assert len(unsourced) == 4 and "c1" not in unsourced and "c0" in unsourced
    assert unsourced.update([("c9", claims[0]._replace(id="c9", start=9, end=10))])
    assert asked == ["c9"] and len(unsourced) == 5


def test_link_mode_keys_are_filtered_only_while_a_link_is_being_made(
    qtbot: QtBot, open_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window
    ids = tagged(window)
    filtered: list[QEvent.Type] = []
    links = window.links
    original = links.eventFilter

    def counting(watched: QObject, event: QEvent) -> bool:
        filtered.append(event.type())
        return original(watched, event)

    monkeypatch.setattr(links, "eventFilter", counting)
    window.editing.select(ids["claim"])
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_Right)  # an ordinary key: nothing of link mode looks at it
    assert filtered == []
    window.editing.select(ids["claim"])
    press(qtbot, Qt.Key.Key_L)
    assert window.links.active()
    press(qtbot, Qt.Key.Key_Tab)
    assert QEvent.Type.KeyPress in filtered
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.links.active()
    filtered.clear()
    press(qtbot, Qt.Key.Key_Right)
    assert filtered == []
    # Confirmed: the link is made and the filter is gone too.
    window.editing.select(ids["claim"])
    press(qtbot, Qt.Key.Key_L)
    press(qtbot, Qt.Key.Key_Return)
    assert not window.links.active()
    assert ids["claim"] in [r.from_id for r in window.links.relations]
    filtered.clear()
    press(qtbot, Qt.Key.Key_Right)
    assert filtered == []
