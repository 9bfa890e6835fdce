"""Suggestions in the window, what happens to them: rejections recorded, a partly refused
accept-all undoable as one step, proposals kept across reopening, a run cancelled; and a
colleague's link removed only after asking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from annotator.records import RelationRecord
from tests.ui import window_fixtures as fx
from tests.ui.test_proposals import SEED_LIKE, suggested
from ui.main_window import MainWindow

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window

SHIFT = Qt.KeyboardModifier.ShiftModifier


def press(qtbot: QtBot, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, mods)


def test_backspace_records_the_rejection_and_enter_the_rule_and_confidence(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    rejected = window.proposals.focused()
    assert rejected is not None
    press(qtbot, Qt.Key.Key_Backspace)
    accepted = window.proposals.focused()
    assert accepted is not None and accepted != rejected
    press(qtbot, Qt.Key.Key_Return)
    origins = window.project.suggestion_origins(document_id)
    no = next(o for o in origins if o.outcome == "rejected")
    assert (no.rule, no.label, no.start, no.end, no.confidence, no.annotator) == (
        rejected.rule, rejected.label, rejected.start, rejected.end, rejected.confidence,
        "alice")
    yes = {(o.rule, o.label, o.start, o.end, o.confidence) for o in origins
           if o.outcome == "accepted"}
    assert (accepted.rule, accepted.label, accepted.start, accepted.end,
            accepted.confidence) in yes


def test_a_partly_refused_accept_all_is_one_undo_step_and_says_so(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    waiting = len(window.proposals.shown())
    # Links can no longer be written: the annotations go in, the first link is refused.
    window.project.remove_relation_type("attributed_to")
    messages: list[str] = []
    window.editing.message.connect(messages.append)
    steps = window.undo_stack.count()
    press(qtbot, Qt.Key.Key_Return, SHIFT)
    assert len(window.project.annotations(document_id)) == waiting
    assert window.project.relations(document_id) == []
    assert window.undo_stack.count() == steps + 1
    assert any(m.startswith(f"Accepted {waiting} of {waiting} suggestions and 0 link(s), "
                            "then stopped: ") for m in messages), messages
    window.undo_stack.undo()
    assert window.project.annotations(document_id) == []
    assert len(window.proposals.shown()) == waiting


def test_proposals_stay_when_another_document_is_opened_and_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    press(qtbot, Qt.Key.Key_Backspace)
    before = window.proposals.shown()
    other = window.project.add_document("Nothing was said here.", "Other")
    assert window.open_document(other)
    assert window.proposals.shown() == [] and window.view.overlay().proposals == ()
    assert window.open_document(document_id)
    assert window.proposals.shown() == before  # the rejected one stays rejected
    assert len(window.view.overlay().proposals) == len(before)


def test_stop_suggesting_drops_the_run(qtbot: QtBot, window: MainWindow) -> None:
    document_id = window.project.add_document(SEED_LIKE * 200, "Long")
    assert window.open_document(document_id)
    stop = window.proposals.stop_action
    assert not stop.isEnabled()
    messages: list[str] = []
    window.editing.message.connect(messages.append)
    assert window.proposals.suggest()
    assert stop.isEnabled()
    stop.trigger()
    assert not stop.isEnabled() and messages[-1] == "Suggestions cancelled"
    qtbot.waitUntil(lambda: not window.proposals.runner.busy())
    assert window.proposals.shown() == [] and window.proposals.suggestions() is None
    # A new run works as before.
    assert window.proposals.suggest()
    qtbot.waitUntil(lambda: not window.proposals.runner.busy())
    assert window.proposals.shown()


def test_removing_a_colleagues_link_asks_first(
    qtbot: QtBot, open_window: MainWindow, project: Project, document_ids: list[str]
) -> None:
    first = document_ids[0]
    text = fx.ARTICLE_A
    with annotator.open_project(project.location, user="bob") as bob:
        claim = bob.add_annotation(first, text.index("the new"), text.index(" in May"), "claim")
        source = bob.add_annotation(first, 0, 9, "source")
        theirs = bob.add_relation(claim, source, "attributed_to")
    assert open_window.open_document(first)
    links = open_window.links
    qtbot.waitUntil(lambda: open_window.relation_model.rowCount() == 1)
    asked: list[RelationRecord] = []

    def answer(choice: bool):  # type: ignore[no-untyped-def]
        def ask(record: RelationRecord) -> bool:
            asked.append(record)
            return choice
        return ask

    links.ask_remove_theirs = answer(False)
    links.choose_relation(theirs)
    open_window.links.unlink_action.trigger()
    assert [r.id for r in asked] == [theirs]
    assert [r.id for r in project.relations(first)] == [theirs]
    links.ask_remove_theirs = answer(True)
    links.choose_relation(theirs)
    links.unlink_action.trigger()
    assert project.relations(first) == []
    open_window.undo_stack.undo()
    assert [r.id for r in project.relations(first)] == [theirs]
    # One's own link goes without a question.
    mine = project.add_relation(claim, source, "attributed_to")
    qtbot.waitUntil(lambda: open_window.relation_model.rowCount() == 2)
    asked.clear()
    links.choose_relation(mine)
    links.unlink_action.trigger()
    assert asked == [] and [r.id for r in project.relations(first)] == [theirs]
