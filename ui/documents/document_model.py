"""Qt table model over the project's documents: every row, from the first paint on.

The list of DocumentInfo comes from one service query and is held in memory (100,000
documents take a few MB), so the view knows every row at once: Ctrl+End and the scroll bar
reach the last document. (Handing rows over in batches through fetchMore made Ctrl+End stop
at the rows fetched so far: 49 presses for 10,000 documents.) A view with fixed row heights
only ever asks for the rows on screen, so the row count costs nothing. Single rows are
patched in place (annotation count, status) instead of re-querying.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from annotator.records import DocumentInfo
from ui.widgets.plain_text import tooltip
from ui.widgets.role_span import delegate_places, fill_roles

Index = QModelIndex | QPersistentModelIndex

TITLE, COUNT, STATUS = range(3)
HEADERS = ("Document", "Tags", "Status")
STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done"}
STATUS_COLOR = {"new": "#6b6b6b", "in_progress": "#0072B2", "done": "#009E73"}
_Role = Qt.ItemDataRole
# The roles a painted cell of this model shows (the delegate's other three it never sets).
_SERVED = delegate_places(role.value for role in (
    _Role.FontRole, _Role.TextAlignmentRole, _Role.ForegroundRole, _Role.DisplayRole))


class DocumentListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[DocumentInfo] = []
        self._position: dict[str, int] = {}  # id -> index in _all, for one-row patches
        self._visible: list[DocumentInfo] = []  # after the filter
        self._row: dict[str, int] = {}  # id -> row in _visible
        self._filter = ""
        self._current: str | None = None

    # loading and filtering
    def set_documents(self, documents: Sequence[DocumentInfo]) -> None:
        self.beginResetModel()
        self._all = list(documents)
        self._position = {info.id: i for i, info in enumerate(self._all)}
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text.strip().casefold()
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        # No filter (every start): no text to build and match for each of 10^5 documents.
        if self._filter:
            self._visible = [d for d in self._all if self._matches(d)]
            self._row = {info.id: row for row, info in enumerate(self._visible)}
        else:
            self._visible = list(self._all)
            self._row = dict(self._position)

    def _matches(self, info: DocumentInfo) -> bool:
        words = self._filter.split()
        return all(w in f"{info.number} {info.title} {info.status}".casefold() for w in words)

    def merge_documents(self, documents: Sequence[DocumentInfo]) -> None:
        """Update the rows of documents already listed and append new ones (documents are
        listed in the order they came in), leaving selection and scroll alone."""
        fresh = []
        for info in documents:
            if info.id in self._position:
                self.update_document(info.id, title=info.title, chars=info.chars,
                                     annotations=info.annotations, status=info.status)
            else:
                fresh.append(info)
        if not fresh:
            return
        fresh.sort(key=lambda info: info.number)
        if self._all and fresh[0].number < self._all[-1].number:
            # a restored document goes back to its place in the order
            self.set_documents(sorted([*self._all, *fresh], key=lambda info: info.number))
            return
        for info in fresh:
            self._position[info.id] = len(self._all)
            self._all.append(info)
        shown = [info for info in fresh if self._matches(info)]
        if not shown:
            return
        first = len(self._visible)
        self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
        self._visible.extend(shown)
        for row, info in enumerate(shown, first):
            self._row[info.id] = row
        self.endInsertRows()

    def set_current(self, document_id: str | None) -> None:
        """Show the open document in bold."""
        previous, self._current = self._current, document_id
        if previous == document_id:
            return  # the same row stays bold: nothing to repaint
        for doc_id in (previous, document_id):
            row = self.row_of(doc_id) if doc_id else None
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    # lookups
    def all_documents(self) -> list[DocumentInfo]:
        return list(self._all)

    def visible_documents(self) -> list[DocumentInfo]:
        return list(self._visible)

    def info(self, document_id: str) -> DocumentInfo | None:
        position = self._position.get(document_id)
        return None if position is None else self._all[position]

    def document_at(self, row: int) -> DocumentInfo:
        return self._visible[row]

    def row_of(self, document_id: str) -> int | None:
        """The row of a document, None when the filter hides it."""
        return self._row.get(document_id)

    # single-row updates
    def update_document(self, document_id: str, **changes: Any) -> None:
        i = self._position.get(document_id)
        if i is None:
            return
        before, after = self._all[i], replace(self._all[i], **changes)
        if after == before:
            return
        self._all[i] = after
        row = self._row.get(document_id)
        if row is not None:
            self._visible[row] = after
            # A key press changes the count alone: one cell to repaint, not the row.
            first, last = ((COUNT, COUNT) if after == replace(before, annotations=after.annotations)
                           else (0, len(HEADERS) - 1))
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def adjust_count(self, document_id: str, delta: int) -> None:
        info = self.info(document_id)
        if info is not None:
            self.update_document(document_id, annotations=max(0, info.annotations + delta))

    # QAbstractTableModel
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        info = self._visible[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE:
                return f"{info.number}. {info.title}"
            if column == COUNT:
                return str(info.annotations)
            return STATUS_TEXT.get(info.status, info.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(f"{info.title}\n{info.chars:,} characters · {info.format}")
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return QColor(STATUS_COLOR.get(info.status, "#6b6b6b"))
        if role == Qt.ItemDataRole.FontRole and info.id == self._current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return info.id
        return None

    def multiData(
        self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData
    ) -> None:
        # A key press repaints the count cell: one call into Python, not seven.
        fill_roles(roleDataSpan, _SERVED, lambda role: self.data(index, role))
