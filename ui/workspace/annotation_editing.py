"""Keyboard annotation editing for the open document, through the undo stack.

Turns user intents (tag the selection, relabel, delete, edit a note, resize, copy to my
layer) into commands, and applies the core's ``Changes`` to the open document: exactly the
rows and spans they name, keeping the selection and the scroll position. A colleague's tag
is never changed without asking: the user copies it to their own layer or changes it as a
reviewer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import Enum

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator import AnnotatorError, Changes, Project
from annotator.records import AnnotationRecord, DocumentRecord, LabelRecord, RelationRecord
from ui.operations.commands import (
    AddAnnotationCommand,
    DeleteAnnotationCommand,
    NoteAnnotationCommand,
    RelabelAnnotationCommand,
    ResizeAnnotationCommand,
)
from ui.widgets.plain_text import action_text, message_box
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.annotation_table import AnnotationTable
from ui.workspace.document_view import DocumentView, ViewSpan
from ui.workspace.span_index import RecordSpans, view_span


class Colleague(Enum):
    """What to do with a colleague's tag the user set out to change."""

    COPY = "copy"  # copy it to my layer and change my copy
    REVIEW = "review"  # change theirs, as a reviewer
    CANCEL = "cancel"


def ask_about_colleague(parent: QWidget, record: AnnotationRecord, action: str) -> Colleague:
    """A question box: copy a colleague's tag to my layer, change theirs, or cancel."""
    box = message_box(QMessageBox.Icon.Question, "A colleague's tag",
                      f"This {record.label} tag is {record.annotator}'s.", parent,
                      QMessageBox.StandardButton.NoButton)
    box.setObjectName("colleagueQuestion")
    box.setInformativeText(
        f"To {action} it, copy it to your own layer first, or change {record.annotator}'s "
        "tag as a reviewer (their version stays in its history).")
    copy = box.addButton("Copy to my layer", QMessageBox.ButtonRole.AcceptRole)
    review = box.addButton(action_text(f"Change {record.annotator}'s"),
                           QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(copy)
    box.exec()
    clicked = box.clickedButton()
    return Colleague.COPY if clicked is copy else (
        Colleague.REVIEW if clicked is review else Colleague.CANCEL)


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
        open_document: Callable[[str], bool],
    ) -> None:
        super().__init__(view)
        self._project_source = project_source
        self._stack = undo_stack
        self._view = view
        self._table = table
        self._model = model
        self._open_document = open_document
        self._colors: dict[str, str] = {}
        # Asked before a colleague's tag is changed; tests put an answer here.
        self.ask_colleague: Callable[[AnnotationRecord, str], Colleague] = (
            lambda record, action: ask_about_colleague(view, record, action))
        # Which of a document's annotations are shown (the layers); None shows all.
        self.record_filter: (
            Callable[[Sequence[AnnotationRecord]], Sequence[AnnotationRecord]] | None
        ) = None
        self.document: DocumentRecord | None = None
        # The relations read with the document, for the links to show (None: not read,
        # they read them themselves).
        self.opened_relations: Sequence[RelationRecord] | None = None
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
                self.document.text, self._spans(self._model.records())
            )
            self._view.verticalScrollBar().setValue(scroll)
            self._view.select_annotation(selected, scroll=False)

    def open(self, document: DocumentRecord, records: Sequence[AnnotationRecord],
             relations: Sequence[RelationRecord] | None = None) -> None:
        """Show a document with its annotations (those ``record_filter`` lets through);
        ``relations``: its live relations, read with them (None: not read)."""
        self.document = document
        self.opened_relations = relations
        if self.record_filter is not None:
            records = self.record_filter(records)
        self._model.set_document(document.text, records, self._colors)
        self._view.set_document(document.text, self._spans(records))
        self.countsChanged.emit()
        self.documentLoaded.emit()

    def reload(self) -> None:
        """Re-read the open document's annotations, keeping scroll and selection."""
        if self.document is None:
            return
        selected = self._view.selected_annotation()
        scroll = self._view.verticalScrollBar().value()
        self.open(self.document, self.project.annotations(self.document.id))
        self._view.verticalScrollBar().setValue(scroll)
        if selected is not None and self._view.span(selected) is not None:
            self._view.select_annotation(selected, scroll=False)
            self._table.show_annotation(selected)

    def close(self) -> None:
        self.document = None
        self._model.clear()
        self._view.clear_document()
        self.countsChanged.emit()

    def _spans(self, records: Iterable[AnnotationRecord]) -> RecordSpans:
        return RecordSpans(records, self._colors, self.project.user)

    def _span(self, record: AnnotationRecord) -> ViewSpan:
        return view_span(record, self._colors, self.project.user)

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
            self._edit(record, "relabel", lambda mine, reviewer: RelabelAnnotationCommand(
                self.project, self, mine, label, reviewer))

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None:
            self.message.emit("Select an annotation to delete (click it or press Tab)")
            return
        if record.annotator != self.project.user:
            answer = self.ask_colleague(record, "delete")
            if answer is not Colleague.REVIEW:
                if answer is Colleague.COPY:
                    self.copy_to_my_layer()
                return
        self._stack.push(DeleteAnnotationCommand(
            self.project, self, record, record.annotator != self.project.user))

    def copy_to_my_layer(self) -> str | None:
        """Copy the selected (colleague's) annotation into the user's own layer."""
        record = self.selected()
        if record is None:
            self.message.emit("Select an annotation to copy (click it or press Tab)")
            return None
        return self._copy(record)

    def edit_selected_note(self) -> None:
        record = self.selected()
        if record is None:
            self.message.emit("Select an annotation to add a note (click it or press Tab)")
            return
        self._table.edit_note(record.id)

    def set_note(self, annotation_id: str, note: str) -> None:
        record = self._model.find(annotation_id)
        if record is not None and (record.note or "") != note:
            self._edit(record, "change the note of", lambda mine, reviewer: NoteAnnotationCommand(
                self.project, self, mine, note or None, reviewer))

    def resize(self, annotation_id: str, start: int, end: int) -> None:
        record = self._model.find(annotation_id)
        if record is not None and (record.start, record.end) != (start, end):
            self._edit(record, "resize", lambda mine, reviewer: ResizeAnnotationCommand(
                self.project, self, mine, start, end, reviewer))

    def _edit(self, record: AnnotationRecord, action: str,
              command: Callable[[AnnotationRecord, bool], object]) -> None:
        """Push ``command(record, as_reviewer)``; for a colleague's tag, ask first (and, to
        copy it, change the user's new copy instead)."""
        reviewer = False
        if record.annotator != self.project.user:
            answer = self.ask_colleague(record, action)
            if answer is Colleague.CANCEL:
                return
            if answer is Colleague.COPY:
                self._stack.beginMacro(f"Copy {record.label} to my layer and {action} it")
                try:
                    copied = self._copy(record)
                    mine = self._model.find(copied) if copied else None
                    if mine is not None:
                        self._stack.push(command(mine, False))  # type: ignore[arg-type]
                finally:
                    self._stack.endMacro()
                return
            reviewer = True
        self._stack.push(command(record, reviewer))  # type: ignore[arg-type]

    def _copy(self, record: AnnotationRecord) -> str | None:
        if record.annotator == self.project.user:
            self.message.emit("This tag is already yours")
            return None
        command = AddAnnotationCommand(self.project, self, record.document_id, record.start,
                                       record.end, record.label, record.note)
        self._stack.push(command)
        if command.annotation_id is None or command.isObsolete():
            return None
        self.select(command.annotation_id)
        return command.annotation_id

    # the core has changed something
    def apply_changes(self, changes: Changes) -> None:
        """Bring the open document's table and text up to date with ``changes``."""
        document = self.document
        if document is None or not changes.touches_document(document.id):
            return
        if changes.reset or changes.labels:
            self.reload()
            return
        ids = changes.annotations_in(document.id)
        if not ids:
            return
        known = {i: changes.records[i] for i in ids if i in changes.records}
        missing = [i for i in ids if i not in known]
        if missing:
            try:
                known.update((r.id, r) for r in self.project.annotations_by_id(missing))
            except AnnotatorError as error:
                self.message.emit(str(error))
                return
        live = [r for r in known.values() if not r.deleted]
        shown = {r.id for r in (self.record_filter(live) if self.record_filter else live)}
        selected = self._view.selected_annotation()
        for annotation_id, record in known.items():
            if annotation_id in shown:
                self._model.upsert(record)
                self._view.upsert_span(self._span(record))
            elif self._model.find(annotation_id) is not None:
                self._model.remove(annotation_id)
                self._view.remove_span(annotation_id)
        if selected is not None and selected in known:
            if selected in shown:
                self._table.show_annotation(selected)
            else:
                self._select_own_after(known[selected].start)
        self.countsChanged.emit()

    def _select_own_after(self, offset: int) -> None:
        """After the selected tag went away: the next of the user's own, never a colleague's
        (a second Delete must not remove someone else's work)."""
        user = self.project.user
        own = [r for r in self._model.records() if r.annotator == user]
        following = [r for r in own if r.start >= offset] or own[-1:]
        self.select(following[0].id if following else None)

    # CommandSink
    def command_failed(self, message: str) -> None:
        self.message.emit(message)
        self.saveStateChanged.emit(False, message)

    def command_done(self, document_id: str, annotation_id: str | None, replayed: bool) -> None:
        """The core committed a command; after an undo or redo, show the user where."""
        self.saveStateChanged.emit(True, "")
        if not replayed:
            return
        if self.document is None or self.document.id != document_id:
            if not self._open_document(document_id):
                return
            self.message.emit("Undo/redo changed a tag in this document")
        if annotation_id is not None and self._view.span(annotation_id) is not None:
            self.select(annotation_id)
