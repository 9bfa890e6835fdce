"""The window is always true: what the command line (another process) changes appears
within a second, without disturbing the user's selection, scroll position or undo stack."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import ARTICLE_A, select_phrase
from ui.main_window import MainWindow
from ui.operations.background import BackgroundRunner
from ui.workspace.annotation_editing import Colleague

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window

WITHIN_MS = 1000  # the contract: an outside change shows within one second


def cli(project: Project, *args: str, user: str = "bob") -> str:
    """The real command line, in another process, on the window's project."""
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", project.location, "--user", user,
         *args],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_cli_changes_appear_in_the_open_window(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
    tmp_path: Path,
) -> None:
    win = open_window
    first = document_ids[0]
    start = ARTICLE_A.index("bridge")
    # An annotation added by a colleague on the command line.
    new_id = cli(project, "annotate", first, str(start), str(start + 6), "fact").strip()
    qtbot.waitUntil(lambda: win.view.span(new_id) is not None, timeout=WITHIN_MS)
    assert win.annotation_model.find(new_id) is not None
    qtbot.waitUntil(lambda: win.document_model.info(first).annotations == 1,  # type: ignore[union-attr]
                    timeout=WITHIN_MS)
    # Bob is a new layer: the layers menu and review mode know him now.
    qtbot.waitUntil(lambda: "bob" in win.layers.names(), timeout=WITHIN_MS)
    assert win.review.colleague_box.findText("bob") >= 0
    # A document imported on the command line joins the list.
    (tmp_path / "new.txt").write_text("A brand new article about the harbour.", "utf-8")
    cli(project, "import", str(tmp_path / "new.txt"))
    qtbot.waitUntil(lambda: len(win.document_model.all_documents()) == 4, timeout=WITHIN_MS)
    # A status set on the command line (as the window's own user) shows in the list.
    cli(project, "status", document_ids[1], "done", user="alice")
    qtbot.waitUntil(lambda: win.document_model.info(document_ids[1]).status == "done",  # type: ignore[union-attr]
                    timeout=WITHIN_MS)
    # A deletion on the command line is a removal in the window.
    with annotator.open_project(project.location, user="bob") as bob:
        bob.delete_annotation(new_id)
    qtbot.waitUntil(lambda: win.view.span(new_id) is None, timeout=WITHIN_MS)


def test_merge_on_the_command_line_appears(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
    tmp_path: Path,
) -> None:
    colleague = tmp_path / "carol.db"
    with annotator.open_project(colleague, user="carol") as carol:
        doc = carol.add_document(ARTICLE_A, "Bridge (carol's copy)")
        made = carol.add_annotation(doc, 4, 9, "source")
        carol.bundle(tmp_path / "carol.zip")
    cli(project, "merge", str(tmp_path / "carol.zip"))
    qtbot.waitUntil(lambda: open_window.view.span(made) is not None, timeout=WITHIN_MS)
    qtbot.waitUntil(lambda: "carol" in open_window.layers.names(),
                    timeout=WITHIN_MS)


def test_outside_changes_leave_selection_scroll_and_undo_alone(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    win = open_window
    long_text = "\n".join(f"Paragraph {n}: the minister said the figures were right."
                          for n in range(400))
    long_doc = project.add_document(long_text, "Long")
    assert win.open_document(long_doc)
    win.resize(900, 600)
    select_phrase(win, "minister", occurrence=200)
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    mine = win.view.selected_annotation()
    assert mine is not None
    bar = win.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    scroll = bar.value()
    undo_count = win.undo_stack.count()
    with annotator.open_project(project.location, user="bob") as bob:
        theirs = bob.add_annotation(long_doc, 0, 9, "claim")
    qtbot.waitUntil(lambda: win.view.span(theirs) is not None, timeout=WITHIN_MS)
    assert win.view.selected_annotation() == mine
    assert bar.value() == scroll
    assert win.undo_stack.count() == undo_count
    # Undo still undoes the user's own tag, not the colleague's.
    win.undo_stack.undo()
    assert [a.id for a in project.annotations(long_doc)] == [theirs]


def test_delete_never_moves_the_selection_to_a_colleagues_tag(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    """Delete used to select the next row, so a second Delete removed bob's claim."""
    win = open_window
    first = document_ids[0]
    with annotator.open_project(project.location, user="bob") as bob:
        theirs = bob.add_annotation(first, ARTICLE_A.index("bridge"),
                                    ARTICLE_A.index("bridge") + 6, "claim")
    win.open_document(first)
    select_phrase(win, "mayor")
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    assert win.view.selected_annotation() is not None
    win.editing.ask_colleague = lambda record, action: pytest.fail(
        f"asked about {record.annotator}'s tag")
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)
    assert win.view.selected_annotation() != theirs
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)  # nothing of ours is left to delete
    assert [a.id for a in project.annotations(first)] == [theirs]


def test_a_colleagues_tag_is_changed_only_after_asking(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    win = open_window
    first = document_ids[0]
    start = ARTICLE_A.index("mayor")
    with annotator.open_project(project.location, user="bob") as bob:
        theirs = bob.add_annotation(first, start, start + 5, "claim")
    win.open_document(first)
    asked: list[tuple[str, str]] = []

    def answer(choice: Colleague):  # type: ignore[no-untyped-def]
        def ask(record, action):  # type: ignore[no-untyped-def]
            asked.append((record.annotator, action))
            return choice
        return ask

    win.editing.select(theirs)
    win.editing.ask_colleague = answer(Colleague.CANCEL)
    qtbot.keyClick(win.view, Qt.Key.Key_3)
    assert asked == [("bob", "relabel")]
    assert project.annotation(theirs).label == "claim"
    # Copy to my layer, then relabel my copy: bob's stays as it was, as one undo step.
    win.editing.select(theirs)
    win.editing.ask_colleague = answer(Colleague.COPY)
    qtbot.keyClick(win.view, Qt.Key.Key_3)
    mine = [a for a in project.annotations(first) if a.annotator == "alice"]
    assert [(a.start, a.end, a.label) for a in mine] == [(start, start + 5, "fact")]
    assert project.annotation(theirs).label == "claim"
    win.undo_stack.undo()
    assert [a.annotator for a in project.annotations(first)] == ["bob"]
    # As a reviewer: bob's tag changes, and his version stays in history.
    win.editing.select(theirs)
    win.editing.ask_colleague = answer(Colleague.REVIEW)
    qtbot.keyClick(win.view, Qt.Key.Key_2)
    assert project.annotation(theirs).label == "source"
    assert project.annotation(theirs).annotator == "bob"


def test_copy_to_my_layer_action(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    first = document_ids[0]
    with annotator.open_project(project.location, user="bob") as bob:
        theirs = bob.add_annotation(first, 4, 9, "source", note="who?")
    open_window.open_document(first)
    open_window.editing.select(theirs)
    open_window.window_actions.copy_to_my_layer.trigger()
    copies = [a for a in project.annotations(first) if a.annotator == "alice"]
    assert [(a.start, a.end, a.label, a.note) for a in copies] == [(4, 9, "source", "who?")]
    assert open_window.view.selected_annotation() == copies[0].id


def test_a_merge_ends_the_undo_history_visibly(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
    tmp_path: Path,
) -> None:
    select_phrase(open_window, "mayor")
    qtbot.keyClick(open_window.view, Qt.Key.Key_1)
    assert open_window.undo_stack.count() == 1
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        doc = bob.add_document(ARTICLE_A, "Bridge")
        bob.add_annotation(doc, 4, 9, "fact")
        bob.bundle(tmp_path / "bob.zip")
    dialog = open_window.colleague_work.open_merge(str(tmp_path / "bob.zip"))
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert open_window.undo_stack.count() == 0
    assert "cannot be undone" in open_window.status.currentMessage()


def test_a_job_that_crashes_does_not_wedge_the_window(qtbot: QtBot, window: MainWindow) -> None:
    runner = BackgroundRunner(window)
    failures: list[str] = []
    runner.failed.connect(lambda message, _problems: failures.append(message))

    def job(_progress: object) -> None:
        raise KeyboardInterrupt("boom")  # a BaseException, not an Exception

    assert runner.start(job, "Testing", "Testing")
    qtbot.waitUntil(lambda: not runner.busy(), timeout=10000)
    assert failures and "unexpected error: KeyboardInterrupt" in failures[0]
    assert gc.isenabled()
    # The runner takes the next job.
    results: list[object] = []
    runner.finished.connect(results.append)
    assert runner.start(lambda _progress: 42)
    qtbot.waitUntil(lambda: results == [42], timeout=10000)
    assert gc.isenabled()
    QApplication.processEvents()


def test_the_follower_costs_no_query_when_nothing_changed(
    window: MainWindow, project: Project,
) -> None:
    """Polling reads PRAGMA data_version only; the log is read when something committed."""
    calls: list[int] = []
    original = project.changes_since

    def counting(seq: int, **kwargs: bool) -> object:
        calls.append(seq)
        return original(seq, **kwargs)

    project.changes_since = counting  # type: ignore[method-assign]
    window.feed.poll()  # the first look after following
    calls.clear()
    began = time.perf_counter()
    for _ in range(50):
        assert window.feed.poll() is None
    assert calls == []
    assert time.perf_counter() - began < 5  # 50 polls, not a measurement: no hang
    json.dumps(calls)


def test_the_feed_does_not_read_back_the_windows_own_key_press(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    """A key press commits through another connection than the feed's probe, so the
    probe sees the log move; the feed must not read the press back (it was applied when
    it committed), yet a colleague's change written next to it must still arrive."""
    win = open_window
    reads: list[int] = []
    original = project.changes_since

    def counting(seq: int, **kwargs: bool) -> object:
        reads.append(seq)
        return original(seq, **kwargs)

    project.changes_since = counting  # type: ignore[method-assign]
    win.feed.poll()
    reads.clear()
    delivered: list[object] = []
    win.feed.changed.connect(delivered.append)
    select_phrase(win, "bridge")
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    mine = win.view.selected_annotation()
    assert mine is not None and len(delivered) == 1          # the press, as it committed
    assert win.feed.poll() is None
    assert reads == [] and len(delivered) == 1
    with annotator.open_project(project.location, user="bob") as bob:
        theirs = bob.add_annotation(document_ids[0], 0, 3, "claim")
    changes = win.feed.poll()
    assert changes is not None and changes.annotations_added == {theirs}
    assert len(reads) == 1 and delivered[-1] is changes
    assert win.view.span(theirs) is not None and win.view.span(mine) is not None


def test_a_key_press_updates_the_document_list_without_recounting(
    open_window: MainWindow, project: Project, document_ids: list[str], qtbot: QtBot,
) -> None:
    """The window's own write names its records and the status it set: the list follows
    it without asking the core to count the document's annotations again."""
    win = open_window
    first = document_ids[0]
    asked: list[object] = []
    original = project.documents

    def counting(ids: object = None) -> object:
        asked.append(ids)
        return original(ids)  # type: ignore[arg-type]

    project.documents = counting  # type: ignore[method-assign]
    select_phrase(win, "mayor")
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    select_phrase(win, "bridge")
    qtbot.keyClick(win.view, Qt.Key.Key_2)
    info = win.document_model.info(first)
    assert info is not None and (info.annotations, info.status) == (2, "in_progress")
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)
    info = win.document_model.info(first)
    assert info is not None and info.annotations == 1
    win.undo_stack.undo()
    info = win.document_model.info(first)
    assert info is not None and info.annotations == 2
    assert asked == []
    # And the list agrees with the core.
    project.documents = original  # type: ignore[method-assign]
    [truth] = [d for d in project.documents() if d.id == first]
    assert (truth.annotations, truth.status) == (info.annotations, info.status)
