"""A table view's rows painted from pictures of themselves.

A key press inserts one annotation row near the top of the annotation table and selects
it: Qt then repaints the whole viewport, cell by cell (the style option, the model's
flags and data through Python, the style laying out and eliding each cell's text).
Nearly every visible row looks exactly as it did before, only one row further down, so
with alternating row colours it looks like one of two pictures of itself. `RowPixmaps`
keeps those pictures: each row drawn once into an image by the calls
QTableView.paintEvent makes for it, and drawn from the image afterwards.

A picture depends on the row's identity (its model content changes only with
`dataChanged`, which drops it), its stripe and its height; and, for every row (the
"look": a change drops them all), on the columns' positions and widths, the viewport's
width, palette, font, style, enabled, active window and focus. Selected rows and the
focused current row change with each press: Qt paints those in place. Anything else Qt
might paint (an open editor, a drag, hidden or moved sections, the grid, the mouse over
the viewport) makes `paint` decline: the view paints as stock Qt. Tests compare the
screen and grab() with the stock paint, pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette, QRegion
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QTableView

_FORMAT = QImage.Format.Format_ARGB32_Premultiplied
_FOCUS = 0  # where the look holds the view's focus
_NO_STATE = QAbstractItemView.State.NoState
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_ENABLED = QStyle.StateFlag.State_Enabled
_ITEM_ENABLED = Qt.ItemFlag.ItemIsEnabled
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow
# What the pictures may take, in bytes: about 250 rows of a 700-pixel table, so that a
# table that jumps between the rows of a page of text finds most of them made (both
# stripes); at least both stripes of four screenfuls.
_BUDGET = 16 << 20
_SCREENFULS = 8


class RowPixmaps:
    """Paints a QTableView's viewport from per-row pictures; `row_id(row)` names a row's
    content (stable across inserts, moves and removals of other rows)."""

    def __init__(self, view: QTableView, row_id: Callable[[int], Hashable]) -> None:
        self._view = view
        self._row_id = row_id
        self._pictures: dict[Hashable, QImage] = {}
        self._look: tuple[Any, ...] | None = None
        self._columns: list[tuple[int, int, int]] = []  # what _shown_columns found
        self.enabled = True
        self.rendered = 0  # pictures rendered so far (tests and profiling read it)
        model = view.model()
        # A table model keeping QAbstractTableModel.index makes a cell's index with
        # createIndex; index() would first ask rowCount and columnCount (Python) per cell.
        table_index = type(model).index is QAbstractTableModel.index
        self._index = model.createIndex if table_index else model.index
        model.dataChanged.connect(self._data_changed)
        model.modelReset.connect(self.clear)
        model.layoutChanged.connect(self.clear)
        model.rowsMoved.connect(self.clear)
        model.rowsAboutToBeRemoved.connect(self._rows_removed)

    def clear(self, *_: object) -> None:
        self._pictures.clear()

    def _forget_rows(self, first: int, last: int) -> None:
        if first < 0 or last - first > 64:
            self.clear()
            return
        ids = {self._row_id(row) for row in range(first, last + 1)}
        for key in [key for key in self._pictures if key[0] in ids]:  # type: ignore[index]
            del self._pictures[key]

    def _data_changed(self, top_left: Any, bottom_right: Any, *_: object) -> None:
        self._forget_rows(top_left.row(), bottom_right.row())

    def _rows_removed(self, _parent: Any, first: int, last: int) -> None:
        # An undone removal may bring the same id back with other content.
        self._forget_rows(first, last)

    def _look_now(self) -> tuple[Any, ...]:
        view = self._view
        viewport = view.viewport()
        header = view.horizontalHeader()
        columns = tuple((header.sectionViewportPosition(c), header.sectionSize(c))
                        for c in range(header.count()))
        return (view.hasFocus() or viewport.hasFocus(),  # _FOCUS
                columns, viewport.width(), viewport.devicePixelRatioF(),
                view.palette().cacheKey(), viewport.palette().cacheKey(), view.font().key(),
                id(view.style()), view.isEnabled(), view.isActiveWindow(), view.layoutDirection(),
                view.textElideMode(), view.wordWrap(), view.showGrid(), view.iconSize(),
                view.alternatingRowColors(), view.itemDelegate())

    def paint(self, event: QPaintEvent) -> bool:
        """Paint the rows in the event's rectangle; False when the view must paint them
        itself (something is on screen these pictures do not hold)."""
        view = self._view
        viewport = view.viewport()
        vertical, horizontal = view.verticalHeader(), view.horizontalHeader()
        if (not self.enabled or view.state() != _NO_STATE or viewport.underMouse()
                or view.showGrid() or vertical.hiddenSectionCount()
                or horizontal.hiddenSectionCount() or vertical.sectionsMoved()
                or horizontal.sectionsMoved() or not horizontal.count()):
            return False
        look = self._look_now()
        if look != self._look:
            self._pictures.clear()
            self._look = look
            self._columns = self._shown_columns()
        focus = look[_FOCUS]
        rect = event.rect()
        first = view.rowAt(rect.top())
        if first < 0:
            return True  # below the last row: only the background, already filled
        last = view.rowAt(rect.bottom())
        if last < 0:
            last = view.model().rowCount() - 1
        live = self._selected_rows(first, last)
        current = view.currentIndex()
        if focus and current.isValid():
            live.add(current.row())
        width = viewport.width()
        pictures = self._pictures
        shown: list[tuple[int, QImage]] = []
        in_place = QRegion()
        used: list[Hashable] = []
        for row in range(first, last + 1):
            y = view.rowViewportPosition(row)
            height = view.rowHeight(row)
            if row in live:
                in_place += QRect(0, y, width, height)
                continue
            key = (self._row_id(row), row & 1, height)
            picture = pictures.get(key)
            if picture is None:
                picture = pictures[key] = self._render(row, width, height)
            shown.append((y, picture))
            used.append(key)
        painter = QPainter(viewport)
        for y, picture in shown:
            painter.drawImage(0, y, picture)
        painter.end()
        if not in_place.isEmpty():
            # Selected rows and the focused one change with each press: Qt paints them
            # (and the focus frame, antialiased by where it lies on the device).
            QTableView.paintEvent(view, QPaintEvent(in_place & event.region()))
        self._trim(used)
        return True

    def _selected_rows(self, first: int, last: int) -> set[int]:
        """The rows in first..last with a selected cell."""
        found: set[int] = set()
        selection: Any = self._view.selectionModel().selection()  # iterable; the stub says not
        for span in selection:
            found.update(range(max(span.top(), first), min(span.bottom(), last) + 1))
        return found

    def _render(self, row: int, width: int, height: int) -> QImage:
        """The row's picture (neither selected nor focused): as the viewport shows it, at
        y = 0 of an image in the backing store's format."""
        viewport = self._view.viewport()
        ratio = viewport.devicePixelRatioF()
        picture = QImage(QSize(round(width * ratio), round(height * ratio)), _FORMAT)
        picture.setDevicePixelRatio(ratio)
        picture.fill(viewport.palette().color(viewport.backgroundRole()))
        painter = QPainter(picture)
        # What QPainter.begin takes from a widget.
        palette = viewport.palette()
        painter.setPen(palette.color(viewport.foregroundRole()))
        painter.setBrush(palette.brush(viewport.backgroundRole()))
        painter.setFont(viewport.font())
        self._paint_cells(painter, row, height)
        painter.end()
        self.rendered += 1
        return picture

    def _paint_cells(self, painter: QPainter, row: int, height: int) -> None:
        """The row's cells at y = 0 as QTableView.paintEvent paints an unselected row
        without focus (Qt 6, no grid, no spans): per cell the style's row panel, then
        the delegate. One option serves every enabled cell (the delegate copies what it
        is given); a disabled item gets its own."""
        view = self._view
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        if view.alternatingRowColors():
            if row & 1:
                option.features |= _ALTERNATE
            else:
                option.features &= ~_ALTERNATE
        enabled = bool(option.state & _ENABLED)
        if enabled:
            option.palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
        model = view.model()
        style = view.style()
        make_index = self._index
        for column, x, width in self._columns:
            index = make_index(row, column)
            option.rect = QRect(x, 0, width, height)
            cell = option
            if enabled and not model.flags(index) & _ITEM_ENABLED:
                cell = QStyleOptionViewItem(option)
                cell.state &= ~_ENABLED
                cell.palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
            style.drawPrimitive(_ROW_PANEL, cell, painter, view)
            view.itemDelegateForIndex(index).paint(painter, cell, index)

    def _shown_columns(self) -> list[tuple[int, int, int]]:
        """The columns the viewport shows, left to right: (column, x, width)."""
        view = self._view
        header = view.horizontalHeader()
        first = max(header.visualIndexAt(0), 0)
        last = header.visualIndexAt(header.width())
        if last < 0:
            last = header.count() - 1
        return [(column, view.columnViewportPosition(column), view.columnWidth(column))
                for column in range(first, last + 1)]

    def _trim(self, used: list[Hashable]) -> None:
        # Oldest first, never one just painted.
        if not used:
            return
        size = self._pictures[used[0]].sizeInBytes()
        excess = len(self._pictures) - max(_BUDGET // size, _SCREENFULS * len(used))
        if excess > 0:
            keep = set(used)
            for key in [key for key in self._pictures if key not in keep][:excess]:
                del self._pictures[key]

