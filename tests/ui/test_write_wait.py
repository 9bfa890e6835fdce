"""The window says what a save waits for (another process's merge) and saves once it ends."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pytestqt.qtbot import QtBot

import annotator
from tests.reliability.test_writers_wait import _release, held_merge
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import show_window
from ui.main_window import MainWindow
from ui.settings import Settings

settings = fx.settings
__all__ = ["held_merge", "settings"]


def test_status_bar_shows_what_a_save_waits_for(
    qtbot: QtBot, settings: Settings, held_merge: tuple[Path, subprocess.Popen[str]]
) -> None:
    path, merger = held_merge
    project = annotator.open_project(path, user="carol", create=False)
    window = show_window(qtbot, MainWindow(project, settings))
    shown: list[str] = []
    notice = window.project.waiting
    assert notice is not None

    def waiting(message: str) -> None:
        notice(message)
        shown.append(window.status.currentMessage())
        _release(merger)

    window.project.waiting = waiting
    try:
        dam = project.documents()[0].id
        assert window.open_document(dam)
        window.mark_done_and_next()  # the save waits behind the merge, then succeeds
        assert shown and shown[0].startswith("waiting for merge colleague.zip by alice")
        assert project.status(dam) == "done"
    finally:
        window.close()
        window.project.close()
