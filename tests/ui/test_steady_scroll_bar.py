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
    """On screen (painted from its picture, or not repainted) as QScrollBar paints it
    now; and so is its picture."""
    QApplication.processEvents()
    picture = bar.grab().toImage()
    bar.pictures = False
    fresh = bar.grab().toImage()
    bar.pictures = True
    return on_screen(bar).convertToFormat(fresh.format()) == fresh == picture


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


def test_both_bars_of_a_narrow_table_paint_as_qt_paints_them(qapp: object) -> None:
    """Both bars shown: each insert lays the table out, which repaints both (from their
    pictures)."""
    model = AnnotationTableModel()
    model.set_document(TEXT, [_record(n, n % 500, 4) for n in range(500)], {})
    table = AnnotationTable(model)
    table.resize(400, 200)  # narrower than the columns: a horizontal bar too
    table.show()
    bars = [table.verticalScrollBar(), table.horizontalScrollBar()]
    assert all(isinstance(bar, SteadyScrollBar) and bar.isVisible() for bar in bars)
    for n in range(600, 610):
        model.upsert(_record(n, (n * 7) % 60, 5))
        table.show_annotation(f"a{n}")
        assert all(_shows_what_it_would_paint(bar) for bar in bars)  # type: ignore[arg-type]
    table.horizontalScrollBar().setValue(1)
    table.setEnabled(False)
    assert all(_shows_what_it_would_paint(bar) for bar in bars)  # type: ignore[arg-type]
    table.setEnabled(True)
    table.resize(380, 260)
    assert all(_shows_what_it_would_paint(bar) for bar in bars)  # type: ignore[arg-type]
    table.close()
