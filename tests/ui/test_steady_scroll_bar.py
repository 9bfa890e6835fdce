"""The annotation table's scroll bar skips only the repaints that would paint the same."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from tests.ui.test_table_pictures import TEXT, _record, on_screen
from ui.widgets.steady_scroll_bar import SteadyScrollBar
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.annotation_table import AnnotationTable


def _shows_what_it_would_paint(bar: SteadyScrollBar) -> bool:
    QApplication.processEvents()
    fresh = bar.grab().toImage()
    return on_screen(bar).convertToFormat(fresh.format()) == fresh


def test_the_bar_on_screen_is_always_the_bar_painted_now(qapp: object) -> None:
    model = AnnotationTableModel()
    model.set_document(TEXT, [_record(n, n % 2000, 4) for n in range(2000)], {})
    table = AnnotationTable(model)
    table.resize(700, 300)
    table.show()
    bar = table.verticalScrollBar()
    assert isinstance(bar, SteadyScrollBar)
    assert _shows_what_it_would_paint(bar)
    # Key presses: a row inserted near the top and shown (range + 1, value may move).
    for n in range(3000, 3040):
        model.upsert(_record(n, (n * 7) % 60, 5))
        table.show_annotation(f"a{n}")
        assert _shows_what_it_would_paint(bar)
    assert bar.skipped > 20  # most presses did not move the handle by a pixel
    # Changes that do move it, or reach an end, still repaint.
    for value in (bar.maximum(), bar.maximum() - 1, 0, 1, bar.maximum() // 2):
        bar.setValue(value)
        assert _shows_what_it_would_paint(bar)
    for n in range(2000):  # the range shrinks until the handle grows
        model.remove(f"a{n}")
        if n % 97 == 0:
            assert _shows_what_it_would_paint(bar)
    assert _shows_what_it_would_paint(bar)
    table.close()
