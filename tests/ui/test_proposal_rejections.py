"""Rejected proposals stay rejected: suggesting again leaves them out (the rule
``annotator suggest`` follows), a rejection takes the links proposed with it, and a
rejection made in another window on the project removes the proposal here too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import annotator
from annotator import Changes
from annotator.suggest import Suggestion
from tests.ui import window_fixtures as fx
from tests.ui.test_proposals import suggested
from ui.main_window import MainWindow

settings, project, window = fx.settings, fx.project, fx.window

WITHIN_MS = 1000  # as for every other change made elsewhere


def _focus_linked_claim(window: MainWindow) -> Suggestion:
    """Step to a claim the suggester linked to a source."""
    proposals = window.proposals
    suggestions = proposals.suggestions()
    assert suggestions is not None
    linked = {suggestions.annotations[r.source] for r in suggestions.relations}
    for _ in proposals.shown():
        focused = proposals.step(1)
        if focused in linked:
            return focused
    raise AssertionError("no linked claim proposed")


def test_a_rejection_takes_its_link_and_is_not_proposed_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    claim = _focus_linked_claim(window)
    assert window.proposals.links()  # its link is drawn, dashed
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    assert claim not in window.proposals.shown()
    [link] = window.project.link_origins(document_id)
    assert (link.outcome, link.source) == ("rejected", ("claim", claim.start, claim.end))
    # Suggesting again (the window, and the command line's rule) leaves it out.
    before = window.proposals.shown()
    assert window.proposals.suggest()
    qtbot.waitUntil(lambda: not window.proposals.runner.busy())
    assert window.proposals.shown() == before
    assert claim not in window.project.suggest(document_id).annotations
    suggestions = window.proposals.suggestions()
    assert suggestions is not None
    assert all(suggestions.annotations[r.source] != claim for r in suggestions.relations)


def test_a_rejection_in_another_window_removes_the_proposal_here(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    shown = window.proposals.shown()
    focused = window.proposals.step(1)
    assert focused is not None
    gone = next(s for s in shown if s != focused)
    with annotator.open_project(window.project.location, user="alice") as other:
        result = other.suggest(document_id)
        other.reject_suggestions(document_id, result, [result.annotations.index(gone)])
    qtbot.waitUntil(lambda: gone not in window.proposals.shown(), timeout=WITHIN_MS)
    assert len(window.proposals.shown()) == len(shown) - 1
    assert window.proposals.focused() == focused  # the focus stays where it was
    assert len(window.view.overlay().proposals) == len(shown) - 1
    # A colleague's rejection is theirs: nothing changes here.
    heard: list[Changes] = []
    window.feed.changed.connect(heard.append)
    with annotator.open_project(window.project.location, user="bob") as bob:
        result = bob.suggest(document_id)
        bob.reject_suggestions(document_id, result, [result.annotations.index(focused)])
    qtbot.waitUntil(lambda: any(c.suggestion_documents for c in heard), timeout=WITHIN_MS)
    assert focused in window.proposals.shown()


def test_enter_on_a_linked_claim_records_the_links_origin_and_undo_unkeeps_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested(qtbot, window)
    document_id = window.current_document_id()
    assert document_id is not None
    claim = _focus_linked_claim(window)
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    [relation] = window.project.relations(document_id)
    [origin] = window.project.link_origins(document_id)
    assert (origin.outcome, origin.relation_id, origin.kept) == ("accepted", relation.id, True)
    assert origin.source == ("claim", claim.start, claim.end)
    assert origin.confidence is not None and origin.confidence <= claim.confidence
    window.undo_stack.undo()
    assert [o.kept for o in window.project.link_origins(document_id)] == [False]
    window.undo_stack.redo()
    assert [o.kept for o in window.project.link_origins(document_id)] == [True]
