"""Qt table model over the current document's annotations, kept in text order.

Changes arrive one annotation at a time (upsert/remove), so a new tag inserts one row
instead of rebuilding the model: the table stays fast with thousands of annotations.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import compress, count, islice
from operator import attrgetter, eq, gt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon

from annotator.records import (
    AnnotationRecord,
    RecordColumns,
    in_text_order,
    record_columns,
    record_index,
)
from ui.widgets.plain_text import tooltip
from ui.widgets.role_span import delegate_places, fill_roles
from ui.workspace.shared_index import SharedIndex

Index = QModelIndex | QPersistentModelIndex

LABEL, PASSAGE, ANNOTATOR, NOTE, STATUS, COMMENTS = range(6)
HEADERS = ("Label", "Passage", "Annotator", "Note", "Review", "Comments")
STATUS_COLORS = {"accepted": "#1a7f37", "rejected": "#cf222e"}
PASSAGE_CHARS = 160

_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_EDIT = Qt.ItemDataRole.EditRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_USER = Qt.ItemDataRole.UserRole.value
_ROLES = frozenset((_DISPLAY, _EDIT, _DECORATION, _FOREGROUND, _TOOLTIP, _USER))
# Roles answered from a row's cached cells (what painting asks); the others are made per call.
_CELL_ROLES = frozenset((_DISPLAY, _EDIT, _DECORATION, _FOREGROUND))
_MADE_ROLES = _ROLES - _CELL_ROLES
_NO_COLOR = "#999999"
# The roles a painted cell shows (the delegate's other four this model never serves).
_DELEGATE_PAINTED = delegate_places((_FOREGROUND, _DECORATION, _DISPLAY))
# What QAbstractTableModel.flags gives a valid index (selectable, enabled, no children).
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_CELL_FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
               | Qt.ItemFlag.ItemNeverHasChildren)
_NOTE_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsEditable


def _order(record: AnnotationRecord) -> tuple[int, int, str]:
    return (record.start, record.end, record.id)


# _order and the starts for whole lists, in C (the bulk load).
_ORDER = attrgetter("start", "end", "id")
_START = attrgetter("start")


def _in_text_order(rows: Sequence[AnnotationRecord]) -> bool:
    """Whether `rows` are in text order (start, end, id), asked in C of the starts: only
    neighbours that start together are compared whole (no key tuple per row, ~0.8 against
    ~1.3 ms per 10^4)."""
    starts = list(map(_START, rows))
    if any(map(gt, starts, islice(starts, 1, None))):
        return False
    ties = compress(count(), map(eq, starts, islice(starts, 1, None)))
    return not any(_order(rows[i]) > _order(rows[i + 1]) for i in ties)


class AnnotationTableModel(QAbstractTableModel):
    noteEdited = Signal(str, str)  # annotation id, new note ("" clears it)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        # In text order: rows are found by bisection on (start, end, id). Until the first
        # change `_rows` is None and the rows are `_source`, the records the document was
        # opened with: an open makes no record and no object per row (a read's
        # DocumentAnnotations makes each record as it is first asked for). After it, a row
        # (and an id's entry) is its record or, until read, its position in `_source`.
        self._source: Sequence[AnnotationRecord] = ()
        self._rows: list[AnnotationRecord | int] | None = None
        # By id: the opened records' shared index, with the changes since on top.
        self._by_id: SharedIndex[AnnotationRecord | int] = SharedIndex({})
        self._colors: dict[str, str] = {}
        self._label_counts: Counter[str] = Counter()
        # Review state by annotation id: (status, comments one per line), only for
        # annotations with a review; annotator badges (initials) by name.
        self._reviews: dict[str, tuple[str, str]] = {}
        self._badges: dict[str, QIcon] = {}
        self._swatches: dict[str, QColor] = {}  # a label's colour, made once, not per paint
        # What each cell of a row paints (role -> value), made when the row is first
        # painted and kept until the row, a colour, a badge or a review changes: painting
        # asks again for every visible cell on every repaint.
        self._cells: dict[str, tuple[dict[int, Any], ...]] = {}

    # loading
    def set_document(
        self, text: str, records: Sequence[AnnotationRecord], colors: Mapping[str, str]
    ) -> None:
        self.beginResetModel()
        self._text = text
        # map/zip/islice run in C: no Python frame per row (10,000 of them at an open).
        if not in_text_order(records):  # a read's records are; a list is the caller's
            records = list(records)
            if not _in_text_order(records):
                records.sort(key=_ORDER)
        _ids, _starts, _ends, labels = record_columns(records)  # the read's, if it has them
        self._source, self._rows = records, None
        self._by_id = SharedIndex(record_index(records))
        self._set_colors(colors)
        self._label_counts = Counter(labels)
        self.endResetModel()

    def clear(self) -> None:
        self.set_document("", [], self._colors)

    def set_colors(self, colors: Mapping[str, str]) -> None:
        self._set_colors(colors)
        if self._count():
            self.dataChanged.emit(self.index(0, LABEL), self.index(self._count() - 1, LABEL))

    def _set_colors(self, colors: Mapping[str, str]) -> None:
        self._colors = dict(colors)
        self._swatches = {}
        self._cells = {}

    def set_reviews(self, reviews: Mapping[str, tuple[str, str]]) -> None:
        """Review status and comments by annotation id (missing: pending, no comments);
        replaces what was set before."""
        self._reviews = dict(reviews)
        self._cells = {}
        if self._count():
            self.dataChanged.emit(
                self.index(0, STATUS), self.index(self._count() - 1, COMMENTS)
            )

    def review(self, annotation_id: str) -> tuple[str, str]:
        return self._reviews.get(annotation_id, ("pending", ""))

    def set_annotator_badges(self, badges: Mapping[str, QIcon]) -> None:
        self._badges = dict(badges)
        self._cells = {}
        if self._count():
            self.dataChanged.emit(
                self.index(0, ANNOTATOR), self.index(self._count() - 1, ANNOTATOR)
            )

    # incremental changes
    def upsert(self, record: AnnotationRecord) -> int:
        """Add or replace one annotation; returns its row."""
        old = self.find(record.id)
        self._cells.pop(record.id, None)
        if old is not None:
            return self._replace(old, record)
        row = self._row_of(record)
        self.beginInsertRows(QModelIndex(), row, row)
        self._own_rows().insert(row, record)
        self._by_id[record.id] = record
        self._label_counts[record.label] += 1
        self.endInsertRows()
        return row

    def _replace(self, old: AnnotationRecord, record: AnnotationRecord) -> int:
        row = self._row_of(old)
        rows = self._own_rows()
        del rows[row]
        target = self._row_of(record)
        if target != row:
            # A move (not remove + insert) keeps the row current and selected in views.
            rows.insert(row, old)
            destination = target + 1 if target > row else target
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
            del rows[row]
            rows.insert(target, record)
            self._commit_replace(old, record)
            self.endMoveRows()
        else:
            rows.insert(row, record)
            self._commit_replace(old, record)
        self.dataChanged.emit(self.index(target, 0), self.index(target, len(HEADERS) - 1))
        return target

    def _commit_replace(self, old: AnnotationRecord, record: AnnotationRecord) -> None:
        self._by_id[record.id] = record
        self._label_counts[old.label] -= 1
        self._label_counts[record.label] += 1

    def remove(self, annotation_id: str) -> None:
        old = self.find(annotation_id)
        if old is not None:
            self._remove_row(self._row_of(old))

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        record = self.record(row)
        del self._own_rows()[row]
        del self._by_id[record.id]
        self._cells.pop(record.id, None)
        self._label_counts[record.label] -= 1
        self.endRemoveRows()

    # lookups
    def record(self, row: int) -> AnnotationRecord:
        rows = self._rows
        if rows is None:
            return self._source[row]
        record = rows[row]
        if isinstance(record, int):
            record = rows[row] = self._source[record]
        return record

    def _count(self) -> int:
        return len(self._source) if self._rows is None else len(self._rows)

    def _own_rows(self) -> list[AnnotationRecord | int]:
        """The rows, to change: until the first change, the opened records' positions."""
        if self._rows is None:
            self._rows = list(range(len(self._source)))
        return self._rows

    def find(self, annotation_id: str) -> AnnotationRecord | None:
        found = self._by_id.get(annotation_id)
        return self._source[found] if isinstance(found, int) else found

    def row_of(self, annotation_id: str) -> int | None:
        record = self.find(annotation_id)
        return None if record is None else self._row_of(record)

    def _row_of(self, record: AnnotationRecord) -> int:
        """Where `record` is, or goes, among the rows (by its text order)."""
        rows = self._source if self._rows is None else self._rows
        return bisect_left(rows, _order(record), key=self._order_of)

    def _order_of(self, row: AnnotationRecord | int) -> tuple[int, int, str]:
        return _order(self._source[row] if isinstance(row, int) else row)

    def records(self) -> list[AnnotationRecord]:
        source = list(self._source)  # a read's records made at once (in C), if need be
        if self._rows is None:
            return source
        return [source[row] if isinstance(row, int) else row for row in self._rows]

    def columns(self) -> RecordColumns:
        """The ids, starts, ends and labels of the rows, in their order: the opened
        records' own columns while the rows are theirs (no record made for them)."""
        return record_columns(self._source if self._rows is None else self.records())

    def label_counts(self) -> dict[str, int]:
        return {label: n for label, n in self._label_counts.items() if n > 0}

    def passage(self, record: AnnotationRecord) -> str:
        passage = " ".join(self._text[record.start : record.end].split())
        if len(passage) > PASSAGE_CHARS:
            passage = passage[: PASSAGE_CHARS - 1] + "…"
        return passage

    # QAbstractTableModel
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Leave early and compare ints: views ask for many roles this model does not serve.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if role in _CELL_ROLES:
            return self._row_cells(row)[index.column()].get(role)
        record = self.record(row)
        if role == _TOOLTIP:
            column = index.column()
            if column == COMMENTS:
                return tooltip(self.review(record.id)[1]) or None
            if column == PASSAGE:
                return tooltip(self._text[record.start : record.end])
            if column == NOTE:
                return tooltip(record.note or "Press N or double-click to add a note")
            return None
        return record.id  # UserRole

    def multiData(
        self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData
    ) -> None:
        # One call into Python per painted cell (ui.widgets.role_span), answered from the
        # row's cached cells; the roles made per call only when asked outside the delegate.
        if not index.isValid():
            return
        cell = self._row_cells(index.row())[index.column()]

        def value_of(role: int) -> Any:
            value = cell.get(role)
            if value is None and role in _MADE_ROLES:
                value = self.data(index, role)
            return value

        fill_roles(roleDataSpan, _DELEGATE_PAINTED, value_of)

    def _row_cells(self, row: int) -> tuple[dict[int, Any], ...]:
        record = self.record(row)
        cells = self._cells.get(record.id)
        if cells is None:
            cells = self._cells[record.id] = self._make_cells(record)
        return cells

    def _make_cells(self, record: AnnotationRecord) -> tuple[dict[int, Any], ...]:
        """What each cell of a row paints (HEADERS' order): its text (display and edit),
        the label's colour and the annotator's badge as decorations, the review's colour."""
        status, comments = self.review(record.id)
        shown = (record.label, self.passage(record), record.annotator, record.note or "",
                 status.capitalize(), " · ".join(comments.splitlines()))
        cells: tuple[dict[int, Any], ...] = tuple(
            {_DISPLAY: text, _EDIT: text} for text in shown)
        swatch = self._swatches.get(record.label)
        if swatch is None:
            swatch = self._swatches[record.label] = QColor(
                self._colors.get(record.label, _NO_COLOR))
        cells[LABEL][_DECORATION] = swatch
        badge = self._badges.get(record.annotator)
        if badge is not None:
            cells[ANNOTATOR][_DECORATION] = badge
        color = STATUS_COLORS.get(status)
        if color:
            cells[STATUS][_FOREGROUND] = QColor(color)
        return cells

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked for every painted cell: constants, no call back into Qt's own flags().
        if not index.isValid():
            return _NO_FLAGS
        return _NOTE_FLAGS if index.column() == NOTE else _CELL_FLAGS

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != NOTE:
            return False
        record = self.record(index.row())
        note = str(value or "").strip()
        if note != (record.note or ""):
            # The change goes through the undo stack; the row updates when the core confirms it.
            self.noteEdited.emit(record.id, note)
        return True
