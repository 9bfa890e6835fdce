"""A read-only project in the window: a banner says why, editing actions are off, and a
write that gets through anyway is refused with a message, not a crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

import annotator
from tests.core.review_support import database_hash
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import select_phrase, show_window
from ui.main_window import MainWindow
from ui.review.curation_view import CurationView
from ui.settings import Settings

settings = fx.settings


def test_read_only_project_shows_a_banner_and_disables_editing(
    qtbot: QtBot, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as writable:
        doc = writable.add_document(fx.ARTICLE_A, "Bridge")
        writable.add_annotation(doc, 0, 9, "source")
    before = database_hash(path)
    project = annotator.open_project(path, user="alice", read_only=True)
    window = show_window(qtbot, MainWindow(project, settings))
    try:
        banner = window.findChild(QLabel, "readOnlyBanner")
        assert banner is not None and banner.isVisible()
        assert "Read-only: it was opened with --read-only" in banner.text()
        actions = window.window_actions
        for action in (actions.delete, actions.import_documents, actions.edit_note,
                       actions.mark_done, actions.labels, actions.restore_backup,
                       window.exchange.import_action, window.colleague_work.merge_action,
                       *window.label_toolbar.label_actions()):
            assert not action.isEnabled(), action.objectName() or action.text()
        assert window.open_document(doc)
        assert window.annotation_model.rowCount() == 1  # reading works

        select_phrase(window, "said")
        window.editing.apply_label("claim")  # a write that gets past the disabled keys
        qtbot.waitUntil(lambda: "project is read-only" in window.status.currentMessage())
        assert not window.import_files([str(tmp_path / "x.txt")])
        box = window.findChild(QMessageBox, "errorBox")
        assert box is not None and "read-only" in box.text()
        assert window.annotation_model.rowCount() == 1
    finally:
        window.close()
        window.project.close()
    assert database_hash(path) == before


def test_a_writable_project_has_no_banner(window: MainWindow) -> None:
    assert not window.read_only_banner.isVisible()
    assert window.window_actions.import_documents.isEnabled()


window, project = fx.window, fx.project


def test_read_only_review_steps_but_gives_no_verdicts(
    qtbot: QtBot, tmp_path: Path, settings: Settings
) -> None:
    """Review mode in a read-only project walks a colleague's annotations; Accept, Reject
    and Comment are off, as the other editing actions are."""
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as writable:
        doc = writable.add_document(fx.ARTICLE_A, "Bridge")
    with annotator.open_project(path, user="bob") as bob:
        bob.add_annotation(doc, 0, 9, "source")
    before = database_hash(path)
    project = annotator.open_project(path, user="alice", read_only=True)
    window = show_window(qtbot, MainWindow(project, settings))
    try:
        assert window.open_document(doc)
        review = window.review
        assert review.colleague_box.currentText() == "bob"
        review.toggle_action.trigger()
        assert review.active
        assert review.next_action.isEnabled() and review.previous_action.isEnabled()
        for action in (review.accept_action, review.reject_action, review.comment_action):
            assert not action.isEnabled(), action.objectName()
    finally:
        window.close()
        window.project.close()
    assert database_hash(path) == before


def test_read_only_curation_compares_but_settles_nothing(
    qtbot: QtBot, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as alice:
        doc = alice.add_document(fx.ARTICLE_A, "Bridge")
        alice.add_annotation(doc, 0, 9, "fact")
    with annotator.open_project(path, user="bob") as bob:
        bob.add_annotation(doc, 0, 9, "claim")
    before = database_hash(path)
    project = annotator.open_project(path, user="alice", read_only=True)
    window = show_window(qtbot, MainWindow(project, settings))
    try:
        assert window.open_document(doc)
        qtbot.keyClick(window.view, Qt.Key.Key_G,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        curation = window.findChild(CurationView, "curationView")
        assert curation is not None
        qtbot.waitUntil(curation.isVisible)
        qtbot.keyClick(window.view, Qt.Key.Key_Period)
        current = curation.current()
        assert current is not None and current.kind == "label"
        for button in (curation.use_button, curation.edit_button, curation.dismiss_button):
            assert not button.isEnabled(), button.objectName()
    finally:
        window.close()
        window.project.close()
    assert database_hash(path) == before
