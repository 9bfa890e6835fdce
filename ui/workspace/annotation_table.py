"""The table of the current document's annotations (label, passage, annotator, note,
review status and comments), optionally showing one annotator's rows only."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QWidget,
)

from ui.widgets.steady_scroll_bar import SteadyScrollBar
from ui.widgets.style import table_look
from ui.workspace.annotation_model import (
    ANNOTATOR,
    COMMENTS,
    LABEL,
    NOTE,
    PASSAGE,
    STATUS,
    AnnotationTableModel,
)
from ui.workspace.row_pixmaps import RowPixmaps


class AnnotationTable(QTableView):
    """Selecting a row reports the annotation; notes edit in place (N, F2 or double-click)."""

    annotationChosen = Signal(str)

    def __init__(self, model: AnnotationTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationTable")
        self.setAccessibleName("Annotations")
        self.setModel(model)
        self._model = model
        self._syncing = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as keyboard users expect
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setAlternatingRowColors(True)
        # A key press adds a row: the bars repaint from a picture, or not at all.
        self.setVerticalScrollBar(SteadyScrollBar(Qt.Orientation.Vertical, self))
        self.setHorizontalScrollBar(SteadyScrollBar(Qt.Orientation.Horizontal, self))
        table_look(self)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        # Fixed row heights keep scrolling cheap with thousands of rows.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PASSAGE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ANNOTATOR, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(LABEL, 110)
        header.resizeSection(ANNOTATOR, 100)
        header.resizeSection(NOTE, 220)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COMMENTS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(STATUS, 90)
        header.resizeSection(COMMENTS, 200)
        # The header highlights no section, yet sharing the rows' selection model it
        # repainted itself whole whenever a row was selected (each key press selects the
        # new row): it gets a selection model of its own, which nothing selects.
        header.setSelectionModel(QItemSelectionModel(model, header))
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        # Removing the current row moves Qt's current index to a neighbour; that is not
        # the user choosing another annotation, so it must not reach the document view.
        model.rowsAboutToBeRemoved.connect(lambda *_: self._set_syncing(True))
        model.rowsRemoved.connect(lambda *_: self._set_syncing(False))
        self._annotator_filter: str | None = None
        self._focus_after_edit: QWidget | None = None
        model.modelReset.connect(self._apply_filter)
        # Only the new rows need a look: a key press must not walk thousands of rows.
        model.rowsInserted.connect(self._filter_inserted)
        # A key press inserts a row and Qt repaints every visible row: from pictures.
        self.row_pixmaps = RowPixmaps(self, lambda row: model.record(row).id)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.row_pixmaps.paint(event):
            super().paintEvent(event)

    def set_annotator_filter(self, annotator: str | None) -> None:
        """Show only that annotator's rows (None: everybody's)."""
        self._annotator_filter = annotator
        self._apply_filter()

    def annotator_filter(self) -> str | None:
        return self._annotator_filter

    def visible_rows(self) -> list[int]:
        return [r for r in range(self._model.rowCount()) if not self.isRowHidden(r)]

    def _filter_inserted(self, _parent: Any, first: int, last: int) -> None:
        wanted = self._annotator_filter
        if wanted is not None:
            for row in range(first, last + 1):
                self.setRowHidden(row, self._model.record(row).annotator != wanted)

    def _apply_filter(self) -> None:
        # Hiding rows keeps model rows == view rows, which selection syncing relies on.
        wanted = self._annotator_filter
        if wanted is None and not self.verticalHeader().hiddenSectionCount():
            return  # nothing to hide, nothing hidden: no call per row on opening
        for row in range(self._model.rowCount()):
            hide = wanted is not None and self._model.record(row).annotator != wanted
            if hide != self.isRowHidden(row):
                self.setRowHidden(row, hide)

    def _set_syncing(self, on: bool) -> None:
        self._syncing = on

    def _row_changed(self, current: Any, _previous: Any) -> None:
        if self._syncing or not current.isValid():
            return
        self.annotationChosen.emit(self._model.record(current.row()).id)

    def show_annotation(self, annotation_id: str | None) -> None:
        """Select the row of an annotation chosen elsewhere, without echoing it back."""
        self._syncing = True
        try:
            row = None if annotation_id is None else self._model.row_of(annotation_id)
            if row is None:
                self.clearSelection()
                return
            index = self._model.index(row, LABEL)
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
        finally:
            self._syncing = False

    def edit_note(self, annotation_id: str) -> bool:
        """Open the in-place note editor on an annotation's row."""
        row = self._model.row_of(annotation_id)
        if row is None:
            return False
        index = self._model.index(row, NOTE)
        origin = QApplication.focusWidget()
        self.scrollTo(index)
        self.setCurrentIndex(index)
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit(index)
        editing = self.state() == QAbstractItemView.State.EditingState
        # Enter or Escape in the editor hands the keyboard back to where N was pressed.
        self._focus_after_edit = origin if editing and origin is not self else None
        return editing

    def closeEditor(
        self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        super().closeEditor(editor, hint)
        origin, self._focus_after_edit = self._focus_after_edit, None
        if origin is not None and origin.isVisible():
            origin.setFocus(Qt.FocusReason.OtherFocusReason)
