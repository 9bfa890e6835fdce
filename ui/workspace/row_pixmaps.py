"""A table view's rows painted from pixmaps of themselves.

A key press inserts one annotation row near the top of the annotation table and selects
it: Qt then repaints the whole viewport, cell by cell (the style option, the model's
flags and data, the style laying out and eliding each cell's text). Nearly every visible
row looks exactly as it did before the press, only one row further down, so with
alternating row colours it looks like one of two pictures of itself. `RowPixmaps` keeps
those pictures: each row rendered once by the view's own (stock) paint into an opaque
pixmap, keyed by what its pixels depend on, and painted from there afterwards.

What a row's picture depends on:
- per row: the row's identity (its model content changes only with `dataChanged`, which
  drops it), its stripe (alternate or not), which of its cells are selected, which is
  current, its height;
- for every row (the "look"; a change drops every picture): the columns' positions and
  widths, the viewport's width, palette, font, style, enabled, active window, focus.
Anything else Qt might paint (an open editor, a drag or rubber band, the mouse over the
viewport, hidden columns moved in between...) makes `paint` decline: the view paints as
stock Qt. The pictures come from `QWidget.render` of the row's rectangle, i.e. from the
stock paint itself, so a picture is the stock row pixel for pixel (a test compares).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QTableView, QWidget

_FORMAT = QImage.Format.Format_ARGB32_Premultiplied
_FOCUS = 0  # where the look holds the view's focus
_NO_STATE = QAbstractItemView.State.NoState
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_ENABLED = QStyle.StateFlag.State_Enabled
_SELECTED = QStyle.StateFlag.State_Selected
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
_ITEM_ENABLED = Qt.ItemFlag.ItemIsEnabled
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow
# Pictures kept per row on screen: both stripes, selected or not, with some to spare.
_PER_VISIBLE_ROW = 4
_AT_LEAST = 64


class RowPixmaps:
    """Paints a QTableView's viewport from per-row pictures; `row_id(row)` names a row's
    content (stable across inserts, moves and removals of other rows)."""

    def __init__(self, view: QTableView, row_id: Callable[[int], Hashable]) -> None:
        self._view = view
        self._row_id = row_id
        self._pictures: dict[Hashable, QImage] = {}
        self._look: tuple[Any, ...] | None = None
        self.enabled = True
        self.rendered = 0  # pictures rendered so far (tests and profiling read it)
        model = view.model()
        model.dataChanged.connect(self._data_changed)
        model.modelReset.connect(self.clear)
        model.layoutChanged.connect(self.clear)
        model.rowsMoved.connect(self.clear)
        model.rowsAboutToBeRemoved.connect(self._rows_removed)

    def clear(self, *_: object) -> None:
        self._pictures.clear()

    def _forget_rows(self, first: int, last: int) -> None:
        if last - first > 64:
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
        focus = look[_FOCUS]
        rect = event.rect()
        first = view.rowAt(rect.top())
        if first < 0:
            return True  # below the last row: only the background, already filled
        last = view.rowAt(rect.bottom())
        if last < 0:
            last = view.model().rowCount() - 1
        selected = self._selected_columns(first, last)
        current = view.currentIndex()
        current_row = current.row() if current.isValid() else -1
        width = viewport.width()
        pictures = self._pictures
        rows: list[tuple[int, QImage | None, int, int]] = []
        used: list[Hashable] = []
        for row in range(first, last + 1):
            y = view.rowViewportPosition(row)
            height = view.rowHeight(row)
            if row == current_row and focus:
                # The focus frame is antialiased where it lies on the device: painted
                # in place, as Qt does, not moved with the row.
                rows.append((y, None, row, height))
                continue
            key = (self._row_id(row), row & 1, selected.get(row),
                   current.column() if row == current_row else -1, height)
            picture = pictures.get(key)
            if picture is None:
                picture = pictures[key] = self._render(row, width, height, selected, -1)
            rows.append((y, picture, row, height))
            used.append(key)
        painter = QPainter(viewport)
        for y, picture, row, height in rows:
            if picture is None:
                painter.fillRect(0, y, width, height, _background(viewport))
                self._paint_cells(painter, row, y, height, selected.get(row), current.column())
            else:
                painter.drawImage(0, y, picture)
        painter.end()
        self._trim(used)
        return True

    def _selected_columns(self, first: int, last: int) -> dict[int, tuple[int, ...]]:
        """Per row in first..last with selected cells: the selected columns' spans
        (left, right, left, right...)."""
        found: dict[int, tuple[int, ...]] = {}
        selection: Any = self._view.selectionModel().selection()  # iterable; the stub says not
        for span in selection:
            top, bottom = max(span.top(), first), min(span.bottom(), last)
            columns = (span.left(), span.right())
            for row in range(top, bottom + 1):
                found[row] = found.get(row, ()) + columns
        return found

    def _render(self, row: int, width: int, height: int,
                selected: dict[int, tuple[int, ...]], current_column: int) -> QImage:
        """The row's picture: as the viewport shows it, at y = 0 of an image in the
        backing store's format."""
        viewport = self._view.viewport()
        ratio = viewport.devicePixelRatioF()
        picture = QImage(QSize(round(width * ratio), round(height * ratio)), _FORMAT)
        picture.setDevicePixelRatio(ratio)
        picture.fill(_background(viewport).color())
        painter = QPainter(picture)
        # What QPainter.begin takes from a widget.
        palette = viewport.palette()
        painter.setPen(palette.color(viewport.foregroundRole()))
        painter.setBrush(palette.brush(viewport.backgroundRole()))
        painter.setFont(viewport.font())
        self._paint_cells(painter, row, 0, height, selected.get(row), current_column)
        painter.end()
        self.rendered += 1
        return picture

    def _paint_cells(self, painter: QPainter, row: int, y: int, height: int,
                     selected: tuple[int, ...] | None, current_column: int) -> None:
        """The row's cells as QTableView.paintEvent paints them (Qt 6, no grid, no
        spans): per cell the style's row panel, then the delegate."""
        view = self._view
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        if view.alternatingRowColors():
            if row & 1:
                option.features |= _ALTERNATE
            else:
                option.features &= ~_ALTERNATE
        enabled = bool(option.state & _ENABLED)
        focus = view.hasFocus() or view.viewport().hasFocus()
        header = view.horizontalHeader()
        model = view.model()
        style = view.style()
        first = max(header.visualIndexAt(0), 0)
        last = header.visualIndexAt(header.width())
        if last < 0:
            last = header.count() - 1
        for column in range(first, last + 1):
            index = model.index(row, column)
            cell = QStyleOptionViewItem(option)
            cell.rect = QRect(view.columnViewportPosition(column), y,
                              view.columnWidth(column), height)
            if selected is not None and _in_spans(column, selected):
                cell.state |= _SELECTED
            if enabled:
                if model.flags(index) & _ITEM_ENABLED:
                    cell.palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
                else:
                    cell.state &= ~_ENABLED
                    cell.palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
            if column == current_column and focus:
                cell.state |= _HAS_FOCUS
            style.drawPrimitive(_ROW_PANEL, cell, painter, view)
            view.itemDelegateForIndex(index).paint(painter, cell, index)

    def _trim(self, used: list[Hashable]) -> None:
        # Oldest first, never one just painted.
        excess = len(self._pictures) - max(_AT_LEAST, _PER_VISIBLE_ROW * len(used))
        if excess > 0:
            keep = set(used)
            for key in [key for key in self._pictures if key not in keep][:excess]:
                del self._pictures[key]


def _background(viewport: QWidget) -> QBrush:
    """What Qt fills an auto-filled widget with before its paint event."""
    return viewport.palette().brush(viewport.backgroundRole())


def _in_spans(column: int, spans: tuple[int, ...]) -> bool:
    return any(spans[i] <= column <= spans[i + 1] for i in range(0, len(spans), 2))
