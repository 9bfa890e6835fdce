"""Review › Agreement…: the same figures as `annotator agreement`, as tables and charts,
computed off the GUI thread and exported with the core's CSV writer."""

from __future__ import annotations

import csv
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from annotator import Project
from annotator.agreement import report_rows
from tests.ui import test_layers as layer_tests
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.review import agreement_dialog
from ui.review.agreement_dialog import AgreementDialog

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
colleague_ids, review_window = layer_tests.colleague_ids, layer_tests.review_window
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def mark_done(project: Project, document_id: str) -> None:
    for user in ("alice", "bob"):
        project.set_user(user)
        project.set_status(document_id, "done")
    project.set_user("alice")


def open_agreement(qtbot: QtBot, window: MainWindow) -> AgreementDialog:
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL_SHIFT)
    dialog = window.findChild(AgreementDialog, "agreementDialog")
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    return dialog


def test_report_matches_the_core(qtbot: QtBot, review_window: MainWindow, project: Project,
                                 document_ids: list[str]) -> None:
    mark_done(project, document_ids[0])
    dialog = open_agreement(qtbot, review_window)
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        pass
    expected = project.agreement()
    assert dialog.report is not None
    assert dialog.report.to_json() == expected.to_json()
    assert "1</b> document" in dialog.summary.text()
    # One table row per label and pair, overall last; kappa as in the JSON.
    table = dialog.table
    assert table.rowCount() == len(expected.labels) + 1
    overall = table.rowCount() - 1
    assert table.item(overall, 0).text() == "overall"
    kappa = expected.to_json()["overall"]["kappa"]["alice|bob"]
    assert table.item(overall, 2).text() == f"{kappa:.3f}"
    # fact: alice and bob never agree on it -> the chart has a bar per label and pair.
    bars = dialog.chart.bars()
    assert [b.group for b in bars] == [*(lb.name for lb in expected.labels), "overall"]
    assert all(b.series == "alice|bob" for b in bars)
    assert bars[-1].value == pytest.approx(kappa)
    # The confusion heat-map sums to the tokens compared.
    pair = expected.overall.pairs[0]
    heat = dialog.heatmap
    n = heat.rowCount() - 1
    assert heat.value(n, n) == pair.tokens
    assert heat.verticalHeaderItem(0).text() == "alice: O"
    assert heat.horizontalHeaderItem(0).text() == "bob: O"
    assert heat.value(0, 0) == pair.confusion.get("O", {}).get("O", 0)
    dialog.grab()  # paints the charts without error


def test_undefined_figures_show_a_reason(qtbot: QtBot, review_window: MainWindow,
                                         project: Project, document_ids: list[str]) -> None:
    mark_done(project, document_ids[1])  # nobody tagged the rain article
    dialog = open_agreement(qtbot, review_window)
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        pass
    assert dialog.report is not None and dialog.report.documents == 1
    undefined = [(r, c) for r in range(dialog.table.rowCount())
                 for c in range(2, dialog.table.columnCount() - 1)
                 if dialog.table.item(r, c).text() == "—"]
    assert undefined
    r, c = undefined[0]
    assert "Undefined: " in dialog.table.item(r, c).toolTip()


def test_no_done_documents_explains_itself(qtbot: QtBot, review_window: MainWindow) -> None:
    dialog = open_agreement(qtbot, review_window)
    with qtbot.waitSignal(dialog.failed, timeout=10000) as blocker:
        pass
    assert "marked done" in blocker.args[0]
    assert "All documents" in dialog.summary.text()
    assert not dialog.export_button.isEnabled()
    dialog.all_docs.setChecked(True)
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    assert dialog.report is not None and dialog.report.documents == 3


def test_export_csv_uses_the_core_rows(qtbot: QtBot, review_window: MainWindow,
                                       project: Project, document_ids: list[str],
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mark_done(project, document_ids[0])
    dialog = open_agreement(qtbot, review_window)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10000)
    target = tmp_path / "agreement.csv"
    monkeypatch.setattr(agreement_dialog, "choose_csv_path", lambda parent: str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert dialog.report is not None
    assert rows == report_rows(dialog.report)
    assert "Saved agreement.csv" in dialog.summary.text()


def test_fewer_than_two_users_is_refused(qtbot: QtBot, review_window: MainWindow) -> None:
    dialog = review_window.agreement.open()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    dialog.set_users(["alice"])
    assert not dialog.compute()
    assert "at least two" in dialog.summary.text()


def _pairs(dialog: AgreementDialog) -> set[str]:
    return {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}


def test_compare_with_the_suggester_adds_its_rows(
    qtbot: QtBot, review_window: MainWindow, project: Project, document_ids: list[str]
) -> None:
    mark_done(project, document_ids[0])
    dialog = open_agreement(qtbot, review_window)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.task is None, timeout=10000)
    assert _pairs(dialog) == {"alice|bob"}
    check = dialog.findChild(QCheckBox, "withSuggesterCheck")
    assert check is not None and not check.isChecked()
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert check.isChecked()
    assert _pairs(dialog) == {"alice|bob", "alice|suggester", "bob|suggester"}
    expected = project.agreement(["alice", "bob"], with_suggester=True)
    assert dialog.report is not None and dialog.report.to_json() == expected.to_json()
    assert "suggester" in dialog.summary.text()
    # One annotator is enough with the suggester; unticking it asks for two again.
    dialog.set_users(["alice"])
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        assert dialog.compute()
    assert _pairs(dialog) == {"alice|suggester"}
    with qtbot.waitSignal(dialog.failed, timeout=10000):
        check.setChecked(False)
    assert "at least two" in dialog.summary.text()
