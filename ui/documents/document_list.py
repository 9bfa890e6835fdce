"""The document list pane: a filter box, the documents table, and an empty state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.documents.document_model import (
    COUNT,
    HEADERS,
    STATUS,
    STATUS_TEXT,
    TITLE,
    DocumentListModel,
)
from ui.widgets.style import table_look


class DocumentList(QWidget):
    """Enter or double-click opens a document; the empty state offers the sample document."""

    documentActivated = Signal(str)
    addSampleRequested = Signal()
    importRequested = Signal()

    def __init__(self, model: DocumentListModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPane")
        self._model = model

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("documentFilter")
        self.filter_box.setAccessibleName("Filter documents")
        self.filter_box.setPlaceholderText("Filter documents…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(model.set_filter)
        self.filter_box.installEventFilter(self)

        self.table = QTableView(self)
        self.table.setObjectName("documentList")
        self.table.setAccessibleName("Documents")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, as keyboard users expect
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        table_look(self.table)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not ResizeToContents: that asks the model for every row
        # (tens of thousands of data() calls for a large project at start-up and again on
        # each change), and the widest possible text is known anyway.
        metrics = self.table.fontMetrics()
        padding = 2 * metrics.horizontalAdvance("M")
        widths = {COUNT: [HEADERS[COUNT], "0000000"],
                  STATUS: [HEADERS[STATUS], *STATUS_TEXT.values()]}
        for column, texts in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(map(metrics.horizontalAdvance, texts)) + padding)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)

        self.empty_state = self._build_empty_state()
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty_state)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.filter_box)
        layout.addWidget(self._stack, 1)

        model.modelReset.connect(self._update_empty_state)
        model.rowsInserted.connect(self._update_empty_state)
        self._update_empty_state()

    def _build_empty_state(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("documentListEmpty")
        text = QLabel(
            "<p><b>No documents yet.</b></p>"
            "<p>Drag text, HTML, Word or PDF files onto this window, "
            "or use <i>File › Import documents…</i></p>"
            "<p>New to Annotator? Try it on a short sample article.</p>",
            page,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setObjectName("emptyStateText")
        self.add_sample_button = QPushButton("Add sample document", page)
        self.add_sample_button.setObjectName("addSampleButton")
        self.add_sample_button.setAccessibleName("Add sample document")
        self.add_sample_button.clicked.connect(self.addSampleRequested)
        import_button = QPushButton("Import documents…", page)
        import_button.setObjectName("emptyImportButton")
        import_button.clicked.connect(self.importRequested)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addSpacing(8)
        layout.addWidget(self.add_sample_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _update_empty_state(self, *_args: object) -> None:
        empty = not self._model.all_documents()
        self._stack.setCurrentWidget(self.empty_state if empty else self.table)
        self.filter_box.setEnabled(not empty)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.documentActivated.emit(self._model.document_at(index.row()).id)

    def select_document(self, document_id: str) -> None:
        row = self._model.row_of(document_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self._model.index(row, TITLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                if watched is self.table:
                    self._open_index(self.table.currentIndex())
                    return True
                if watched is self.filter_box and self._model.rowCount() > 0:
                    index = self.table.currentIndex()
                    self._open_index(index if index.isValid() else self._model.index(0, 0))
                    return True
            if watched is self.filter_box and key == Qt.Key.Key_Down:
                self.table.setFocus()
                if not self.table.currentIndex().isValid() and self._model.rowCount():
                    self.table.selectRow(0)
                return True
        return super().eventFilter(watched, event)
