"""Opening a document makes records only for what the window shows: the table's rows on
screen, the claims marked on screen, the spans painted (P7: an open's Python work must not
grow with every annotation of the document)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator import Project
from annotator.service import document_annotations
from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.workspace.span_index import RecordSpans

project, settings = fx.project, fx.settings

PARAGRAPH = "The mayor said the bridge is safe, and the engineer agreed with her. " * 4


def test_an_open_makes_records_and_spans_only_for_what_is_on_screen(
        qtbot: QtBot, project: Project, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\n\n".join(f"{i}. {PARAGRAPH}" for i in range(150))
    document = project.add_document(text, "Long")
    found = -1
    while (found := text.find("mayor", found + 1)) >= 0:
        project.add_annotation(document, found, found + 5, "claim")  # ~600, all alice's claims
    total = len(project.annotations(document))
    made: dict[str, int] = {"one": 0, "every": 0, "spans": 0}
    for name in ("one", "every"):
        real = getattr(document_annotations._Made, name)

        def counting(self: Any, *args: Any, _real: Any = real, _name: str = name) -> Any:
            made[_name] += 1
            return _real(self, *args)

        monkeypatch.setattr(document_annotations._Made, name, counting)
    real_span = RecordSpans.make_at

    def counting_span(self: RecordSpans, position: int) -> Any:
        made["spans"] += 1
        return real_span(self, position)

    monkeypatch.setattr(RecordSpans, "make_at", counting_span)

    window = fx.show_window(qtbot, MainWindow(project, settings))
    assert window.open_document(document)
    window.view.viewport().repaint()
    QApplication.processEvents()

    assert total > 500 and window.annotation_model.rowCount() == total
    assert window.links.unsourced_count() == total  # counted from the columns
    # The table's visible rows, the claims and spans on screen: ~30 of ~600 here.
    assert made["every"] == 0
    assert 0 < made["one"] < total // 5
    assert 0 < made["spans"] < total // 5
