"""The annotation table painted from its rows' pictures looks exactly as Qt paints it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from annotator.records import AnnotationRecord
from ui.widgets.annotator_badges import initials_icon
from ui.workspace.annotation_model import LABEL, NOTE, PASSAGE, AnnotationTableModel
from ui.workspace.annotation_table import AnnotationTable

NOW = datetime.now(UTC)
TEXT = "The minister said growth was strong, stronger than anyone expected. " * 40
LABELS = ("claim", "source", "fact")


def _record(n: int, start: int, length: int, annotator: str = "alice") -> AnnotationRecord:
    return AnnotationRecord(f"a{n}", "doc", start, start + length, LABELS[n % 3], annotator,
                            "check this one" if n % 7 == 3 else None, NOW, NOW)


def _table() -> tuple[AnnotationTable, AnnotationTableModel]:
    rows = [_record(n, 9 * n, 3 + n % 5, "bob" if n % 4 == 1 else "alice") for n in range(60)]
    rows[6] = _record(6, 54, 900)  # a passage far too long for its column: elided
    model = AnnotationTableModel()
    model.set_document(TEXT, rows, {"claim": "#E69F00", "source": "#56B4E9"})  # fact: none
    model.set_reviews({"a2": ("accepted", "fine"), "a5": ("rejected", "no\nwrong span"),
                       "a9": ("pending", "ask bob")})
    model.set_annotator_badges({"alice": initials_icon("alice", "#009E73"),
                                "bob": initials_icon("bob", "#CC79A7")})
    table = AnnotationTable(model)
    table.resize(900, 400)
    table.show()
    QApplication.processEvents()
    return table, model


def on_screen(widget: QWidget) -> QImage:
    """What the window shows of a widget (the offscreen platform's backing store)."""
    window = widget.window()
    shown = widget.screen().grabWindow(window.winId()).toImage()
    corner = widget.mapTo(window, widget.rect().topLeft())
    return shown.copy(corner.x(), corner.y(), widget.width(), widget.height())


def _same_as_stock(table: AnnotationTable) -> None:
    """Painted on screen and twice from the pictures (made, then reused), then by
    stock Qt."""
    pictures = table.row_pixmaps
    QApplication.processEvents()
    shown = on_screen(table.viewport())
    made = table.viewport().grab().toImage()
    again = table.viewport().grab().toImage()
    pictures.enabled = False
    stock = table.viewport().grab().toImage()
    pictures.enabled = True
    assert _differing(shown.convertToFormat(stock.format()), stock) == 0
    assert _differing(made, stock) == 0
    assert _differing(again, stock) == 0


def _differing(one: QImage, other: QImage) -> int:
    assert one.size() == other.size()
    if one == other:
        return 0
    return sum(one.pixel(x, y) != other.pixel(x, y)
               for y in range(one.height()) for x in range(one.width()))


def test_pictures_paint_what_qt_paints(qapp: object) -> None:
    table, model = _table()
    _same_as_stock(table)  # stripes, colleague rows, badges, statuses, elided passage
    table.show_annotation("a2")  # a selected row, current label cell, no focus
    _same_as_stock(table)
    # A row inserted above: the rows below move one down and change stripe.
    model.upsert(_record(100, 1, 4))
    QApplication.processEvents()
    _same_as_stock(table)
    table.show_annotation("a100")
    QApplication.processEvents()
    _same_as_stock(table)
    model.remove("a1")
    model.remove("a3")
    QApplication.processEvents()
    _same_as_stock(table)
    # A row's content changes (note, review): its picture is made again.
    model.upsert(model.record(4)._replace(note="changed"))
    model.set_reviews({"a2": ("rejected", "no")})
    QApplication.processEvents()
    _same_as_stock(table)
    table.horizontalHeader().resizeSection(LABEL, 60)
    QApplication.processEvents()
    _same_as_stock(table)
    table.verticalScrollBar().setValue(7)
    QApplication.processEvents()
    _same_as_stock(table)
    table.close()


def test_focus_current_cell_and_partial_selection(qapp: object) -> None:
    table, model = _table()
    table.activateWindow()
    table.setFocus()
    table.setCurrentIndex(model.index(4, NOTE))
    QApplication.processEvents()
    assert table.hasFocus()
    _same_as_stock(table)  # the current cell's focus frame
    table.selectionModel().select(
        model.index(8, PASSAGE), QItemSelectionModel.SelectionFlag.Select)  # one cell only
    QApplication.processEvents()
    _same_as_stock(table)
    model.upsert(_record(101, 2, 5))  # the focused row moves down
    QApplication.processEvents()
    _same_as_stock(table)
    table.clearFocus()
    QApplication.processEvents()
    _same_as_stock(table)
    table.close()


def test_an_insert_remakes_few_pictures(qapp: object) -> None:
    """After a key press's insert and selection, only the rows whose picture changed are
    painted by Qt's cell path: the others come from their pictures."""
    table, model = _table()
    table.viewport().repaint()
    pictures = table.row_pixmaps
    made = pictures.rendered
    table.viewport().repaint()
    assert pictures.rendered == made  # nothing changed: every row from its picture
    for n, start in ((102, 3), (103, 20), (104, 5)):
        model.upsert(_record(n, start, 4))
        table.show_annotation(f"a{n}")
        table.viewport().repaint()
    # Rows change stripe and selection moves: some pictures are new, most are reused.
    shown = table.rowAt(table.viewport().height() - 1) - table.rowAt(0) + 1
    assert pictures.rendered - made < 3 * shown
    before = pictures.rendered
    model.upsert(_record(105, 4, 4))
    table.show_annotation("a105")
    table.viewport().repaint()
    assert pictures.rendered - before <= 3
    table.close()


def test_the_note_editor_and_keyboard_still_work(qapp: object) -> None:
    table, model = _table()
    edited: list[tuple[str, str]] = []
    model.noteEdited.connect(lambda *args: edited.append(args))
    assert table.edit_note("a2")
    QApplication.processEvents()
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    _same_as_stock(table)  # an open editor: Qt paints
    editor.setProperty("text", "new note")  # type: ignore[union-attr]
    from PySide6.QtTest import QTest

    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert edited == [("a2", "new note")]
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Down)
    QApplication.processEvents()
    assert table.currentIndex().row() == model.row_of("a2") + 1  # type: ignore[operator]
    _same_as_stock(table)
    table.close()


def test_disabled_cells_and_a_disabled_table(qapp: object) -> None:
    """One option serves a row's enabled cells: a disabled item between them, and a
    disabled table, still look as Qt paints them."""
    table, model = _table()
    flags = model.flags
    model.flags = lambda index: (  # type: ignore[method-assign]
        flags(index) & ~Qt.ItemFlag.ItemIsEnabled
        if index.column() == PASSAGE and index.row() % 3 == 0 else flags(index))
    table.row_pixmaps.clear()
    table.viewport().update()
    _same_as_stock(table)
    table.setEnabled(False)
    _same_as_stock(table)
    table.setEnabled(True)
    table.horizontalScrollBar().setValue(0)
    table.resize(300, 400)  # columns cut at the right edge
    _same_as_stock(table)
    table.close()


def test_a_model_with_its_own_index(qapp: object) -> None:
    """Cells of a table model keeping QAbstractTableModel.index are made with
    createIndex; any other model is asked for its index()."""
    from PySide6.QtGui import QPaintEvent, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui.workspace.row_pixmaps import RowPixmaps

    class View(QTableView):
        pictures: RowPixmaps

        def paintEvent(self, event: QPaintEvent) -> None:
            if not self.pictures.paint(event):
                super().paintEvent(event)

    model = QStandardItemModel()
    for n in range(30):
        model.appendRow([QStandardItem(f"row {n}"), QStandardItem(TEXT[n:n + 40])])
    view = View()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.pictures = RowPixmaps(view, lambda row: row)
    view.resize(400, 300)
    view.show()
    QApplication.processEvents()
    made = view.viewport().grab().toImage()
    assert view.pictures.rendered > 0
    view.pictures.enabled = False
    assert _differing(made, view.viewport().grab().toImage()) == 0
    view.close()
