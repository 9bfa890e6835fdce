"""Suggestions in the window: dashed proposals, Enter / Backspace / Shift+Enter / ] [,
exports that leave them out until accepted, and "Tag all occurrences"."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window

NONE = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

# Seed-like: speakers, quotes and a date, as in the shared seed articles.
SEED_LIKE = (
    "North Korean leader Kim Jong Un has issued an order calling for war preparations. "
    "The order was delivered to officials on Oct. 23.\n"
    "According to a source in the province, the order appeared aimed at promoting internal "
    "unity by raising the atmosphere of tension.\n"
    "\u201cThe order warned against people spreading rumors,\u201d the source said.\n"
)


def press(qtbot: QtBot, key: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, mods)


def suggested(qtbot: QtBot, window: MainWindow) -> MainWindow:
    document_id = window.project.add_document(SEED_LIKE, "Seed-like")
    assert window.open_document(document_id)
    assert window.proposals.suggest()
    qtbot.waitUntil(lambda: not window.proposals.runner.busy() and bool(window.proposals.shown()))
    window.view.setFocus()
    return window


def mine(store: Project, document_id: str) -> list[tuple[int, int, str]]:
    return sorted((a.start, a.end, a.label) for a in store.annotations(document_id))


def test_a_seed_like_paragraph_shows_dashed_proposals_not_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    labels = {s.label for s in window.proposals.shown()}
    assert {"source", "claim", "fact"} <= labels
    overlay = window.view.overlay()
    assert len(overlay.proposals) == len(window.proposals.shown())
    assert overlay.focused_proposal == 0
    assert mine(window.project, document_id) == []
    assert window.annotation_model.rowCount() == 0


def test_enter_accepts_one_with_its_link_and_backspace_rejects(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    actions: list[str] = []
    window.project.subscribe(lambda changes: actions.append(changes.action))
    # Move to the first claim: ] walks the proposals in text order.
    while window.proposals.focused().label != "claim":  # type: ignore[union-attr]
        press(qtbot, Qt.Key.Key_BracketRight)
    claim = window.proposals.focused()
    assert claim is not None
    assert window.view.overlay().links, "the claim's proposed link is drawn"
    press(qtbot, Qt.Key.Key_Return)
    stored = window.project.annotations(document_id)
    spans = {(a.start, a.end, a.label) for a in stored}
    assert (claim.start, claim.end, "claim") in spans
    assert len(stored) == 2  # the claim and the source its link needs
    relations = window.project.relations(document_id)
    assert [r.type for r in relations] == ["attributed_to"]
    assert window.project.annotation(relations[0].from_id).label == "claim"
    assert f"suggestion: {claim.rule}" in actions  # accepted, it remembers its rule
    # Backspace rejects the focused one: gone from the proposals, nothing written.
    before = len(window.proposals.shown())
    rejected = window.proposals.focused()
    press(qtbot, Qt.Key.Key_Backspace)
    assert len(window.proposals.shown()) == before - 1
    assert rejected not in window.proposals.shown()
    assert len(window.project.annotations(document_id)) == 2
    # Undo takes back the accepted claim, its source and link in one step.
    window.undo_stack.undo()
    assert window.project.annotations(document_id) == []
    assert window.project.relations(document_id) == []
    assert claim in window.proposals.shown()
    window.undo_stack.redo()
    assert len(window.project.annotations(document_id)) == 2
    assert len(window.project.relations(document_id)) == 1


def test_shift_enter_accepts_all_as_one_undo_step_and_exports_only_accepted(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    waiting = len(window.proposals.shown())
    window.project.export("jsonl", tmp_path / "before.jsonl")
    before = [json.loads(line) for line in
              (tmp_path / "before.jsonl").read_text("utf-8").splitlines()]
    assert all(not row.get("label") for row in before if row.get("text") == SEED_LIKE)
    steps = window.undo_stack.count()
    press(qtbot, Qt.Key.Key_Return, SHIFT)
    assert window.undo_stack.count() == steps + 1
    assert len(window.project.annotations(document_id)) == waiting
    assert window.proposals.shown() == []
    assert window.view.overlay().proposals == ()
    window.project.export("jsonl", tmp_path / "after.jsonl")
    after = (tmp_path / "after.jsonl").read_text("utf-8")
    assert "attributed_to" in after or "relations" in after
    assert after.count('"claim"') >= 1
    window.undo_stack.undo()
    assert window.project.annotations(document_id) == []
    assert len(window.proposals.shown()) == waiting


def test_brackets_belong_to_review_mode_while_it_is_on(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    first = window.proposals.focused()
    press(qtbot, Qt.Key.Key_BracketRight)
    second = window.proposals.focused()
    assert second != first
    window.review.active = True
    try:
        press(qtbot, Qt.Key.Key_BracketRight)
        assert window.proposals.focused() == second
    finally:
        window.review.active = False


def test_tag_all_occurrences_proposes_the_other_occurrences(
    qtbot: QtBot, window: MainWindow
) -> None:
    document_id = window.project.add_document(SEED_LIKE, "Seed-like")
    other = window.project.add_document("Later, The order said nothing more.", "Other")
    assert window.open_document(document_id)
    actions: list[str] = []
    window.project.subscribe(lambda changes: actions.append(changes.action))
    first = SEED_LIKE.index("The order")
    window.view.set_selection_range(first, first + len("The order"))
    window.editing.apply_label("source")
    assert window.proposals.tag_all_occurrences() == 1
    shown = window.proposals.shown()
    second = SEED_LIKE.index("The order", first + 1)
    assert [(s.start, s.end, s.label) for s in shown] == [(second, second + 9, "source")]
    window.view.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    stored = window.project.annotations(document_id)
    assert (second, second + 9, "source") in {(a.start, a.end, a.label) for a in stored}
    assert "suggestion: same_passage" in actions
    # In the whole project: the other document's occurrence too.
    window.editing.select(stored[0].id)
    assert window.proposals.tag_all_occurrences(whole_project=True) == 1
    assert window.open_document(other)
    assert [(s.start, s.label) for s in window.proposals.shown()] == [(7, "source")]
