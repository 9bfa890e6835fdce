"""A label key costs what it changes: no model reset, no read back, no rebuild of what the
whole document shows (timings live in ``python -m benchmarks``; here the work is counted)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QPaintEvent, QPalette, QRegion
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui import window_fixtures as fx
from ui.documents.document_model import COUNT
from ui.main_window import MainWindow
from ui.widgets.style import TABLE_COLORS
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.unsourced import UnsourcedClaims

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


tag = fx.tag_phrase


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


def test_a_label_key_asks_the_annotation_table_for_its_visible_rows_only(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    words = [f"word{i}" for i in range(3_000)]
    document = window.project.add_document(" ".join(words), "Long")
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(0, 1_200, 2)]
    for start in starts:  # 600 annotations: many more rows than the table shows
        window.project.add_annotation_record(document, start, start + 5, "claim")
    window.document_model.set_documents(window.project.documents())
    assert window.open_document(document)
    table, model = window.annotation_table, window.annotation_model
    QApplication.processEvents()
    assert model.rowCount() == 600

    counts: Counter[str] = Counter()
    data, multi_data = AnnotationTableModel.data, AnnotationTableModel.multiData
    make_cells = AnnotationTableModel._make_cells

    def counted_data(*args: Any) -> Any:
        counts["data"] += 1
        return data(model, *args)

    def counted_multi_data(*args: Any) -> None:
        counts["multiData"] += 1
        multi_data(model, *args)

    def counted_cells(self: AnnotationTableModel, *args: Any) -> Any:
        counts["cells"] += 1
        return make_cells(self, *args)

    monkeypatch.setattr(model, "data", counted_data)  # Qt calls the instance's
    monkeypatch.setattr(model, "multiData", counted_multi_data)
    monkeypatch.setattr(AnnotationTableModel, "_make_cells", counted_cells)
    for signal in ("modelAboutToBeReset", "layoutAboutToBeChanged", "layoutChanged"):
        getattr(model, signal).connect(lambda *_, s=signal: counts.update([s]))
    # The rows go in the middle of the text order, as most key presses do; the first
    # press scrolls the table there, the second is counted.
    for word in (601, 603):
        start = sum(len(w) + 1 for w in words[:word])
        window.view.set_selection_range(start, start + len(words[word]))
        QApplication.processEvents()
        counts.clear()
        window.editing.apply_label("claim")
        QApplication.processEvents()

    assert model.rowCount() == 602
    shown = table.viewport().height() // table.verticalHeader().defaultSectionSize() + 2
    # Qt's item delegate asks a painted cell for seven roles in one multiData call.
    assert 0 < counts["multiData"] <= model.columnCount() * shown, counts
    assert counts["data"] == 0, counts
    # The new row, and the one it pushes into view; rows already shown keep theirs.
    assert counts["cells"] <= 2, counts
    assert not counts.keys() & {"modelAboutToBeReset", "layoutAboutToBeChanged",
                                "layoutChanged"}, counts


class PaintLog(QObject):
    """The region each watched widget was asked to repaint."""

    def __init__(self, widgets: dict[str, QWidget]) -> None:
        super().__init__()
        self.names = {id(widget): name for name, widget in widgets.items()}
        self.painted: dict[str, QRegion] = {}
        for widget in widgets.values():
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        name = self.names.get(id(watched))
        if name is not None and isinstance(event, QPaintEvent):
            self.painted[name] = self.painted.get(name, QRegion()) + event.region()
        return False


def test_a_label_key_repaints_what_changed_and_nothing_beneath(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    # Two claims already: the press below changes the status bar's texts, not their sizes.
    tag(window, "the new bridge will open in May", "claim")
    tag(window, "the budget was doubled", "claim")
    QApplication.processEvents()
    status = window.status
    log = PaintLog({
        "window": window, "annotations dock": window.annotations_dock,
        "documents dock": window.documents_dock, "table": window.annotation_table.viewport(),
        "table header": window.annotation_table.horizontalHeader().viewport(),
        "document list": window.document_list.table.viewport(), "status bar": status,
        "user label": status.user_label, "save label": status.save_label,
        "counts label": status.counts_label, "layers button": window.layers.button,
    })
    counts_before = status.counts_label.text()

    new = tag(window, "the city engineer", "claim")
    qtbot.waitUntil(lambda: "counts label" in log.painted and "table" in log.painted)
    QApplication.processEvents()

    # The tables' viewports are opaque (their colours are a palette, not a style-sheet
    # rule), so a row repainted does not repaint the docks and the window beneath it.
    assert not log.painted.keys() & {"annotations dock", "documents dock"}, log.painted
    beneath = log.painted.get("window", QRegion())
    for viewport in (window.annotation_table.viewport(), window.document_list.table.viewport()):
        under = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
        assert not beneath.intersects(under), list(beneath)
    # The document list repaints its one changed cell: the count.
    documents = window.document_list.table
    row = window.document_model.row_of(window.current_document_id() or "")
    assert row is not None
    count_cell = documents.visualRect(window.document_model.index(row, COUNT))
    assert log.painted["document list"].boundingRect() == count_cell
    assert window.document_model.data(window.document_model.index(row, COUNT)) == "3"
    # The status bar repaints the labels whose text changed, not itself whole.
    assert status.counts_label.text() != counts_before
    assert not log.painted.keys() & {"user label", "save label", "layers button"}, log.painted
    assert log.painted.get("status bar", QRegion()).boundingRect().width() < status.width() / 2
    # The header highlights no section: a new row selected leaves it alone.
    assert "table header" not in log.painted
    # The new row is the current one, selected, and on screen.
    table = window.annotation_table
    new_row = window.annotation_model.row_of(new)
    assert table.currentIndex().row() == new_row
    assert [i.row() for i in table.selectionModel().selectedRows()] == [new_row]
    assert table.viewport().rect().contains(table.visualRect(table.currentIndex()).center())


def test_the_status_bar_still_lays_out_a_label_that_grows(open_window: MainWindow) -> None:
    status = open_window.status
    QApplication.processEvents()
    before = status.counts_label.width()
    status.counts_label.setText(status.counts_label.text() + "  ·  " + "many more words " * 4)
    QApplication.processEvents()
    assert status.counts_label.width() > before + 100
    assert status.counts_label.geometry().right() < status.user_label.geometry().left()


def test_the_tables_take_their_colours_from_a_palette(open_window: MainWindow) -> None:
    for table in (open_window.annotation_table, open_window.document_list.table):
        palette = table.palette()
        for role, color in TABLE_COLORS.items():
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                assert palette.color(group, role).name() == color
        assert table.frameWidth() == 0
        assert table.viewport().autoFillBackground(), "an opaque viewport"


def test_the_annotation_table_scrolled_by_a_row_repaints_a_few_rows(
        qtbot: QtBot, window: MainWindow) -> None:
    words = [f"word{i}" for i in range(400)]
    document = window.project.add_document(" ".join(words), "Long")
    for i in range(0, 400, 2):
        start = sum(len(w) + 1 for w in words[:i])
        window.project.add_annotation_record(document, start, start + len(words[i]), "claim")
    window.document_model.set_documents(window.project.documents())
    assert window.open_document(document)
    table, model = window.annotation_table, window.annotation_model
    table.show_annotation(model.record(40).id)
    QApplication.processEvents()
    log = PaintLog({"table": table.viewport()})
    last = table.rowAt(table.viewport().height() - 1)

    table.show_annotation(model.record(last + 1).id)  # just below the last row shown
    qtbot.waitUntil(lambda: "table" in log.painted)
    QApplication.processEvents()

    # Opaque, the viewport is scrolled by moving its pixels: the row scrolled in and the
    # selection's old and new rows are painted, not the screenful.
    row_height = table.verticalHeader().defaultSectionSize()
    painted = log.painted["table"].boundingRect().height()
    assert painted <= 3 * row_height + 4
    assert painted < table.viewport().height() - row_height
    assert table.currentIndex().row() == last + 1


def test_the_table_scroll_bars_are_opaque_and_look_the_same(
        qtbot: QtBot, window: MainWindow) -> None:
    """With more rows than it shows, a key press moves the table's scroll bar (range and
    value): the bars repaint themselves, not the table, the dock and the window beneath."""
    words = [f"word{i}" for i in range(2_000)]
    document = window.project.add_document(" ".join(words), "Long")
    for start in [sum(len(w) + 1 for w in words[:i]) for i in range(0, 600, 2)]:
        window.project.add_annotation_record(document, start, start + 5, "claim")
    window.document_model.set_documents(window.project.documents())
    assert window.open_document(document)
    table = window.annotation_table
    bars = (table.horizontalScrollBar(), table.verticalScrollBar())
    qtbot.waitUntil(lambda: table.verticalScrollBar().isVisible())
    QApplication.processEvents()
    log = PaintLog({"window": window, "annotations dock": window.annotations_dock,
                    "table": table, "vertical bar": bars[1]})
    start = sum(len(w) + 1 for w in words[:601])
    window.view.set_selection_range(start, start + len(words[601]))
    window.editing.apply_label("claim")
    qtbot.waitUntil(lambda: "vertical bar" in log.painted)
    QApplication.processEvents()
    assert "annotations dock" not in log.painted and "table" not in log.painted, log.painted
    under = QRect(bars[1].mapTo(window, QPoint(0, 0)), bars[1].size())
    assert not log.painted.get("window", QRegion()).intersects(under)
    # Filled first, then painted whole by the style: the same pixels as before.
    QApplication.processEvents()
    opaque = window.grab().toImage()
    for bar in bars:
        bar.setAutoFillBackground(False)
        bar.parentWidget().setAutoFillBackground(False)
    assert window.grab().toImage() == opaque
