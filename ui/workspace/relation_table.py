"""The Relations panel: the open document's links, one row each; choosing a row selects
both of its ends in the text.

The model is a thin adapter over the relation records and the annotation table's records
(for each end's label and passage); it is refilled from the window's one refresh point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.records import AnnotationRecord, RelationRecord

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Type", "From", "To", "By")
PASSAGE_CHARS = 48


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PASSAGE_CHARS else text[: PASSAGE_CHARS - 1] + "\u2026"


class RelationTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RelationRecord] = []
        self._ends: Callable[[str], AnnotationRecord | None] = lambda _: None
        self._passage: Callable[[AnnotationRecord], str] = lambda _: ""

    def set_relations(self, relations: Sequence[RelationRecord],
                      ends: Callable[[str], AnnotationRecord | None],
                      passage: Callable[[AnnotationRecord], str]) -> None:
        self._ends, self._passage = ends, passage
        if not relations and not self._rows:
            return  # nothing shown before or after: no reset, no repaint (most opens)
        self.beginResetModel()
        self._rows = list(relations)
        self.endResetModel()

    def relations(self) -> list[RelationRecord]:
        return list(self._rows)

    def relation(self, row: int) -> RelationRecord:
        return self._rows[row]

    def row_of(self, relation_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == relation_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def _end_text(self, annotation_id: str) -> str:
        record = self._ends(annotation_id)
        if record is None:
            return "(hidden layer)"
        return f"{record.label}: \u201c{_short(self._passage(record))}\u201d"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        relation = self._rows[index.row()]
        column = index.column()
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            text = relation.type.replace("_", " ")
        elif column in (1, 2):
            text = self._end_text(relation.from_id if column == 1 else relation.to_id)
        else:
            text = relation.annotator
        # A cell shows plain text; a tooltip would take "<b>" in a passage for markup.
        return text if role == Qt.ItemDataRole.DisplayRole else f"<p>{escape(text)}</p>"


class RelationTable(QTableView):
    """relationChosen(relation id) when the user picks a row."""

    relationChosen = Signal(str)

    def __init__(self, model: RelationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationTable")
        self.setAccessibleName("Relations")
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.relationChosen.emit(self._model.relation(current.row()).id)

    def show_relation(self, relation_id: str | None) -> None:
        """Select a relation's row without emitting relationChosen."""
        row = self._model.row_of(relation_id) if relation_id else None
        blocked = self.selectionModel().blockSignals(True)
        try:
            if row is None:
                self.clearSelection()
                self.setCurrentIndex(QModelIndex())
            else:
                self.selectRow(row)
                self.scrollTo(self._model.index(row, 0))
        finally:
            self.selectionModel().blockSignals(blocked)
        self.viewport().update()
