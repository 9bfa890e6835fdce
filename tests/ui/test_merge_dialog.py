"""File › Merge colleague's work… and File › Export bundle…, run off the GUI thread."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.test_layers import span_of
from tests.ui.window_fixtures import ARTICLE_A, ARTICLE_B, show_window
from ui.main_window import MainWindow
from ui.review import merge_dialog
from ui.review.merge_dialog import MergeDialog
from ui.settings import Settings

settings, project, document_ids = fx.settings, fx.project, fx.document_ids


@pytest.fixture
def colleague_bundle(tmp_path: Path) -> Path:
    """Bob's own project: the bridge article (same text) plus a new one, tagged by bob."""
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        bridge = bob.add_document(ARTICLE_A, "Bridge (bob's copy)")
        bob.add_document(ARTICLE_B + " Extra.", "Rain, bob's version")
        bob.add_annotation(bridge, *span_of("Critics claim the budget was doubled"), "claim")
        bob.add_annotation(bridge, *span_of("The mayor said"), "source")
        bob.bundle(tmp_path / "bob.zip")
    return tmp_path / "bob.zip"


@pytest.fixture
def merge_window(qtbot: QtBot, project: Project, settings: Settings,
                 document_ids: list[str]) -> MainWindow:
    window = MainWindow(project, settings)
    show_window(qtbot, window)
    window.document_model.set_documents(project.documents())
    assert window.open_document(document_ids[0])
    return window


def run_merge(qtbot: QtBot, window: MainWindow, source: Path,
              monkeypatch: pytest.MonkeyPatch) -> MergeDialog:
    monkeypatch.setattr(merge_dialog, "choose_merge_source", lambda parent: str(source))
    action = window.findChild(QAction, "mergeAction")
    assert action is not None
    action.trigger()
    dialog = window.colleague_work.merge_dialog
    assert dialog is not None and dialog.objectName() == "mergeDialog"
    assert dialog.isVisible() and not dialog.isModal()
    qtbot.waitUntil(lambda: not dialog.task.busy(), timeout=10000)
    return dialog


def test_merge_a_bundle_shows_the_cli_summary_and_refreshes(
    qtbot: QtBot, merge_window: MainWindow, project: Project, colleague_bundle: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = run_merge(qtbot, merge_window, colleague_bundle, monkeypatch)
    report = dialog.report
    assert report is not None and dialog.error is None
    assert dialog.summary_lines() == report.lines()
    assert (report.documents_added, report.annotations_added) == (1, 2)
    rows = {dialog.summary.topLevelItem(i).text(0): dialog.summary.topLevelItem(i).text(1)
            for i in range(dialog.summary.topLevelItemCount())}
    assert rows["Documents added"] == "1"
    assert rows["Annotations added"] == "2"
    assert rows["Reviews added"] == "0"
    # The window shows the new document, bob's layer and bob's spans at once.
    assert merge_window.document_model.rowCount() == 4
    assert "bob" in merge_window.layers.menu.layer_actions
    assert {s.annotator for s in merge_window.view.spans()} == {"bob"}
    assert all(not s.own for s in merge_window.view.spans())
    assert merge_window.review.colleague_box.currentText() == "bob"
    dialog.close()

    again = run_merge(qtbot, merge_window, colleague_bundle, monkeypatch)
    assert again.report is not None
    assert (again.report.annotations_added, again.report.annotations_unchanged) == (0, 2)
    assert len(project.annotations()) == 2


def test_merge_a_project_file(qtbot: QtBot, merge_window: MainWindow, tmp_path: Path,
                              colleague_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = run_merge(qtbot, merge_window, tmp_path / "bob.db", monkeypatch)
    assert dialog.report is not None and dialog.report.kind == "project"
    assert dialog.report.annotations_added == 2


def test_a_bad_bundle_changes_nothing(qtbot: QtBot, merge_window: MainWindow,
                                      project: Project, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip at all")
    before = project.documents()
    dialog = run_merge(qtbot, merge_window, bad, monkeypatch)
    assert dialog.report is None and dialog.error
    assert "Nothing was merged" in dialog.heading.text()
    assert dialog.details.text() == dialog.error
    assert project.documents() == before


def test_cancelled_chooser_does_nothing(merge_window: MainWindow,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge_dialog, "choose_merge_source", lambda parent: None)
    assert merge_window.colleague_work.open_merge() is None
    assert merge_window.findChild(MergeDialog, "mergeDialog") is None


def test_export_bundle_round_trips(qtbot: QtBot, merge_window: MainWindow, project: Project,
                                   document_ids: list[str], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    project.add_annotation(document_ids[0], *span_of("The mayor said"), "source")
    target = tmp_path / "alice.zip"
    monkeypatch.setattr(merge_dialog, "choose_bundle_path", lambda parent, name: str(target))
    action = merge_window.findChild(QAction, "exportBundleAction")
    assert action is not None
    action.trigger()
    export = merge_window.colleague_work.bundle_export
    assert export is not None
    with qtbot.waitSignal(export.done, timeout=10000) as blocker:
        pass
    assert blocker.args[1] is True and "alice.zip" in blocker.args[0]
    with annotator.open_project(tmp_path / "other.db", user="bob") as other:
        report = other.merge(target)
        assert (report.documents_added, report.annotations_added) == (3, 1)
