"""A label key costs what it changes: no model reset, no read back, no rebuild of what the
whole document shows (timings live in ``python -m benchmarks``; here the work is counted)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.workspace.unsourced import UnsourcedClaims

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


def tag(window: MainWindow, phrase: str, label: str) -> str:
    start, end = fx.select_phrase(window, phrase)
    window.editing.apply_label(label)  # what the label key calls
    found = [r.id for r in window.annotation_model.records()
             if (r.start, r.end, r.label) == (start, end, label)]
    assert found, f"{phrase} was not tagged"
    return found[0]


def test_a_label_key_changes_one_row_one_span_and_one_claim(
        qtbot: QtBot, open_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    claim = tag(window, "the new bridge will open in May", "claim")
    source = tag(window, "the city engineer", "source")
    tag(window, "the budget was doubled", "claim")
    window.project.add_relation(claim, source, "attributed_to")
    qtbot.waitUntil(lambda: window.relation_model.rowCount() == 1)
    QApplication.processEvents()
    assert window.links.unsourced_count() == 1

    counts: Counter[str] = Counter()

    def counting(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return call(*args, **kwargs)
        return counted

    store = window.project
    for name in ("annotation", "annotations", "annotations_by_id", "documents", "relations",
                 "document"):
        monkeypatch.setattr(store, name, counting(name, getattr(store, name)))
    monkeypatch.setattr(UnsourcedClaims, "rebuild",
                        counting("unsourced rebuilt", UnsourcedClaims.rebuild))
    for name, model in (("annotation table reset", window.annotation_model),
                        ("relation table reset", window.relation_model),
                        ("document list reset", window.document_model)):
        model.modelAboutToBeReset.connect(lambda name=name: counts.update([name]))
    window.view.document().documentLayout().updateBlock.connect(
        lambda _block: counts.update(["block laid out again"]))
    rows = window.annotation_model.rowCount()

    new = tag(window, "Critics claim", "claim")
    QApplication.processEvents()

    assert counts == Counter(), "a key press re-read or rebuilt what it did not change"
    assert window.annotation_model.rowCount() == rows + 1
    assert window.view.span(new) is not None and window.view.selected_annotation() == new
    assert window.links.unsourced_count() == 2
    assert window.status.unsourced_label.text() == "2 claims without a source"
    assert len(window.view.overlay().unsourced) == 2
    # Undo takes the claim away again, through the same incremental path.
    window.undo_stack.undo()
    assert window.links.unsourced_count() == 1
    assert window.view.span(new) is None
