"""Keyboard annotation editing for the open document, through the undo stack.

Turns user intents (tag the selection, relabel, delete, edit a note, resize) into commands,
and, as the commands' sink, applies each confirmed change to exactly the rows and spans it
touches: one model row, one view span, one document-list count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator import Project
from annotator.records import AnnotationRecord, DocumentRecord, LabelRecord
from ui.annotation_model import AnnotationTableModel
from ui.annotation_table import AnnotationTable
from ui.commands import (
    AddAnnotationCommand,
    DeleteAnnotationCommand,
    NoteAnnotationCommand,
    RelabelAnnotationCommand,
    ResizeAnnotationCommand,
)
from ui.document_model import DocumentListModel
from ui.document_view import DocumentView, ViewSpan


class AnnotationEditing(QObject):
    """countsChanged fires after every change to the open document's annotations."""

    countsChanged = Signal()
    message = Signal(str)  # a user-facing note or error for the status bar
    documentLoaded = Signal()  # after open(): the view and the table show the document
    # After each change: True once the core has committed it, False (with why) if refused.
    saveStateChanged = Signal(bool, str)

    def __init__(
        self,
        project_source: Callable[[], Project],
        undo_stack: QUndoStack,
        view: DocumentView,
        table: AnnotationTable,
        model: AnnotationTableModel,
        documents: DocumentListModel,
    ) -> None:
        super().__init__(view)
        self._project_source = project_source
        self._stack = undo_stack
        self._view = view
        self._table = table
        self._model = model
        self._documents = documents
        self._colors: dict[str, str] = {}
        # Which of a document's annotations are shown (the layers); None shows all.
        self.record_filter: (
            Callable[[Sequence[AnnotationRecord]], Sequence[AnnotationRecord]] | None
        ) = None
        self.document: DocumentRecord | None = None
        view.annotationActivated.connect(self._view_selected)
        view.annotationSelectionCleared.connect(lambda: self._table.show_annotation(None))
        view.resizeRequested.connect(self.resize)
        table.annotationChosen.connect(self._table_selected)
        model.noteEdited.connect(self.set_note)

    @property
    def project(self) -> Project:
        return self._project_source()

    # document and labels
    def set_labels(self, labels: Sequence[LabelRecord]) -> None:
        self._colors = {label.name: label.color for label in labels}
        self._model.set_colors(self._colors)
        if self.document is not None and any(
            self._colors.get(span.label, span.color) != span.color for span in self._view.spans()
        ):
            # One re-layout beats thousands of single-span updates after a recolour.
            selected = self._view.selected_annotation()
            scroll = self._view.verticalScrollBar().value()
            self._view.set_document(
                self.document.text, [self._span(r) for r in self._model.records()]
            )
            self._view.verticalScrollBar().setValue(scroll)
            self._view.select_annotation(selected, scroll=False)

    def open(self, document: DocumentRecord, records: Sequence[AnnotationRecord]) -> None:
        """Show a document with its annotations (those ``record_filter`` lets through)."""
        self.document = document
        if self.record_filter is not None:
            records = self.record_filter(records)
        self._model.set_document(document.text, records, self._colors)
        self._view.set_document(document.text, [self._span(r) for r in records])
        self.countsChanged.emit()
        self.documentLoaded.emit()

    def close(self) -> None:
        self.document = None
        self._model.clear()
        self._view.clear_document()
        self.countsChanged.emit()

    def _span(self, record: AnnotationRecord) -> ViewSpan:
        return ViewSpan(
            record.id,
            record.start,
            record.end,
            record.label,
            self._colors.get(record.label, "#999999"),
            record.annotator,
            record.note,
            own=record.annotator == self.project.user,
        )

    # selection
    def selected(self) -> AnnotationRecord | None:
        annotation_id = self._view.selected_annotation()
        return self._model.find(annotation_id) if annotation_id else None

    def select(self, annotation_id: str | None) -> None:
        self._view.select_annotation(annotation_id)
        self._table.show_annotation(annotation_id)

    def _view_selected(self, annotation_id: str) -> None:
        self._table.show_annotation(annotation_id)

    def _table_selected(self, annotation_id: str) -> None:
        if self._view.selected_annotation() != annotation_id:
            self._view.select_annotation(annotation_id)

    # user intents
    def apply_label(self, label: str) -> None:
        """A label key: tag the text selection, else relabel the selected annotation."""
        if self.document is None:
            self.message.emit("Open a document first")
            return
        selection = self._view.selection_range()
        if selection is not None:
            caret = self._view.textCursor().selectionEnd()
            command = AddAnnotationCommand(
                self.project, self, self.document.id, selection[0], selection[1], label
            )
            self._stack.push(command)
            if command.annotation_id is not None and not command.isObsolete():
                # The passage was just selected on screen: no need to scroll the view to it.
                self._view.select_annotation(command.annotation_id, scroll=False)
                self._table.show_annotation(command.annotation_id)
                # The caret goes where the selection ended, so the next passage is reached
                # by moving on, not by walking back over the one just tagged.
                cursor = self._view.textCursor()
                cursor.setPosition(caret)
                self._view.setTextCursor(cursor)
            return
        record = self.selected()
        if record is None:
            self.message.emit("Select some text (or an annotation) first")
        elif record.label != label:
            self._stack.push(RelabelAnnotationCommand(self.project, self, record, label))

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None:
            self.message.emit("Select an annotation to delete (click it or press Tab)")
            return
        self._stack.push(DeleteAnnotationCommand(self.project, self, record.id))

    def edit_selected_note(self) -> None:
        record = self.selected()
        if record is None:
            self.message.emit("Select an annotation to add a note (click it or press Tab)")
            return
        self._table.edit_note(record.id)

    def set_note(self, annotation_id: str, note: str) -> None:
        record = self._model.find(annotation_id)
        if record is not None and (record.note or "") != note:
            self._stack.push(NoteAnnotationCommand(self.project, self, record, note or None))

    def resize(self, annotation_id: str, start: int, end: int) -> None:
        record = self._model.find(annotation_id)
        if record is not None and (record.start, record.end) != (start, end):
            self._stack.push(ResizeAnnotationCommand(self.project, self, record, start, end))

    # AnnotationSink: the core has confirmed a change
    def annotation_saved(self, record: AnnotationRecord, previous: AnnotationRecord | None) -> None:
        if previous is None:
            self._count_changed(record.document_id, +1)
        self.saveStateChanged.emit(True, "")
        if self.document is not None and record.document_id == self.document.id:
            self._model.upsert(record)
            self._view.upsert_span(self._span(record))
            if self._view.selected_annotation() == record.id:
                self._table.show_annotation(record.id)
            self.countsChanged.emit()

    def annotation_removed(self, record: AnnotationRecord) -> None:
        self._count_changed(record.document_id, -1)
        self.saveStateChanged.emit(True, "")
        if self.document is not None and record.document_id == self.document.id:
            self._model.remove(record.id)
            self._view.remove_span(record.id)
            self.countsChanged.emit()

    def command_failed(self, message: str) -> None:
        self.message.emit(message)
        self.saveStateChanged.emit(False, message)

    def _count_changed(self, document_id: str, delta: int) -> None:
        info = self._documents.info(document_id)
        if info is None:
            return
        changes: dict[str, object] = {"annotations": max(0, info.annotations + delta)}
        if delta > 0 and info.status == "new":
            changes["status"] = "in_progress"  # the core marks it so on the first annotation
        self._documents.update_document(document_id, **changes)
