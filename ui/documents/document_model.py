"""Qt table model over the project's documents, fetched into the view in batches.

The list of DocumentInfo comes from one service query; rows are handed to the view lazily
(canFetchMore/fetchMore) so a project with many thousands of documents opens instantly.
Single rows are patched in place (annotation count, status) instead of re-querying.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from annotator.records import DocumentInfo

Index = QModelIndex | QPersistentModelIndex

TITLE, COUNT, STATUS = range(3)
HEADERS = ("Document", "Tags", "Status")
STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done"}
STATUS_COLOR = {"new": "#6b6b6b", "in_progress": "#0072B2", "done": "#009E73"}
BATCH = 200


class DocumentListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[DocumentInfo] = []
        self._position: dict[str, int] = {}  # id -> index in _all, for one-row patches
        self._visible: list[DocumentInfo] = []  # after the filter
        self._fetched = 0
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
        self._visible = [d for d in self._all if self._matches(d)]
        self._fetched = min(BATCH, len(self._visible))

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
        for info in fresh:
            self._position[info.id] = len(self._all)
            self._all.append(info)
        shown = [info for info in fresh if self._matches(info)]
        if not shown:
            return
        all_fetched = self._fetched == len(self._visible)
        first = len(self._visible)
        self._visible.extend(shown)
        if all_fetched:
            self.beginInsertRows(QModelIndex(), first, len(self._visible) - 1)
            self._fetched = len(self._visible)
            self.endInsertRows()

    def set_current(self, document_id: str | None) -> None:
        """Show the open document in bold."""
        previous, self._current = self._current, document_id
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
        """The row of a document, fetching more rows if it is further down."""
        for row, info in enumerate(self._visible):
            if info.id == document_id:
                if row >= self._fetched:
                    self._fetch_to(row + 1)
                return row
        return None

    # single-row updates
    def update_document(self, document_id: str, **changes: Any) -> None:
        i = self._position.get(document_id)
        if i is None:
            return
        self._all[i] = replace(self._all[i], **changes)
        if not self._filter and self._visible and len(self._visible) == len(self._all):
            row: int | None = i  # unfiltered: visible rows are _all's rows
        else:
            row = next((r for r, d in enumerate(self._visible) if d.id == document_id), None)
        if row is not None:
            self._visible[row] = self._all[i]
            if row < self._fetched:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def adjust_count(self, document_id: str, delta: int) -> None:
        info = self.info(document_id)
        if info is not None:
            self.update_document(document_id, annotations=max(0, info.annotations + delta))

    # lazy fetching
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetched < len(self._visible)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch_to(self._fetched + BATCH)

    def _fetch_to(self, count: int) -> None:
        count = min(count, len(self._visible))
        if count <= self._fetched:
            return
        self.beginInsertRows(QModelIndex(), self._fetched, count - 1)
        self._fetched = count
        self.endInsertRows()

    # QAbstractTableModel
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._fetched

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._fetched:
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
            return f"{info.title}\n{info.chars:,} characters · {info.format}"
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
