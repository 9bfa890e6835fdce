"""One QUndoCommand per user action on annotations.

Commands hold ids and AnnotationRecord snapshots, never live objects; redo() and undo() call
the core service, then tell a sink what changed so open views update only the affected rows.
A command whose document is not open still applies to the core: the sink decides what to redraw.

Attribute names never shadow QUndoCommand methods (``id`` above all): on PySide6 6.11.3 a
Python attribute hiding the virtual id() crashes the next push.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from annotator import AnnotatorError, Project
from annotator.records import AnnotationRecord


class AnnotationSink(Protocol):
    """Where commands report changes (the main window's editing controller)."""

    def annotation_saved(
        self, record: AnnotationRecord, previous: AnnotationRecord | None
    ) -> None: ...

    def annotation_removed(self, record: AnnotationRecord) -> None: ...

    def command_failed(self, message: str) -> None: ...


class _AnnotationCommand(QUndoCommand):
    """Runs a core call and marks itself obsolete if the core refuses it.

    An obsolete command is dropped by the stack (on push and on undo), so a refused change
    leaves neither the project nor the undo history half-done.
    """

    def __init__(self, project: Project, sink: AnnotationSink, title: str) -> None:
        super().__init__(title)
        self._project = project
        self._sink = sink

    def _guarded(self, action: str) -> None:
        try:
            if action == "redo":
                self._apply()
            else:
                self._revert()
        except AnnotatorError as error:
            self.setObsolete(True)
            self._sink.command_failed(str(error))

    def redo(self) -> None:
        self._guarded("redo")

    def undo(self) -> None:
        self._guarded("undo")

    def _apply(self) -> None:
        raise AssertionError("subclasses define _apply")

    def _revert(self) -> None:
        raise AssertionError("subclasses define _revert")


class AddAnnotationCommand(_AnnotationCommand):
    def __init__(
        self,
        project: Project,
        sink: AnnotationSink,
        document_id: str,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
    ) -> None:
        super().__init__(project, sink, f"Tag as {label}")
        self._document_id = document_id
        self._span = (start, end)
        self._label = label
        self._note = note
        self._snapshot: AnnotationRecord | None = None

    @property
    def annotation_id(self) -> str | None:
        return self._snapshot.id if self._snapshot is not None else None

    def _apply(self) -> None:
        project = self._project
        if self._snapshot is None:
            start, end = self._span
            new_id = project.add_annotation(
                self._document_id, start, end, self._label, note=self._note
            )
            # Built from what was just written instead of read back: a key press stays one
            # round trip. Only the timestamps differ from the stored row, and nothing shown
            # or restored uses them.
            now = datetime.now(UTC)
            record = AnnotationRecord(
                new_id, self._document_id, start, end, self._label, project.user,
                self._note if self._note and self._note.strip() else None, now, now,
            )
        else:
            # Redo after undo brings back the very same annotation id.
            record = project.restore_annotation(self._snapshot)
        self._snapshot = record
        self._sink.annotation_saved(record, None)

    def _revert(self) -> None:
        assert self._snapshot is not None
        record = self._project.delete_annotation(self._snapshot.id)
        self._snapshot = record
        self._sink.annotation_removed(record)


class DeleteAnnotationCommand(_AnnotationCommand):
    def __init__(self, project: Project, sink: AnnotationSink, annotation_id: str) -> None:
        super().__init__(project, sink, "Delete annotation")
        self._annotation_id = annotation_id
        self._snapshot: AnnotationRecord | None = None

    def _apply(self) -> None:
        record = self._project.delete_annotation(self._annotation_id)
        self._snapshot = record
        self.setText(f"Delete {record.label}")
        self._sink.annotation_removed(record)

    def _revert(self) -> None:
        assert self._snapshot is not None
        record = self._project.restore_annotation(self._snapshot)
        self._sink.annotation_saved(record, None)


class _UpdateAnnotationCommand(_AnnotationCommand):
    """Changes some fields of one annotation; undo puts the previous values back."""

    def __init__(
        self,
        project: Project,
        sink: AnnotationSink,
        before: AnnotationRecord,
        title: str,
        changes: dict[str, Any],
    ) -> None:
        super().__init__(project, sink, title)
        self._before = before
        self._changes = changes
        self._after: AnnotationRecord | None = None

    def _update(self, changes: dict[str, Any], previous: AnnotationRecord) -> AnnotationRecord:
        record: AnnotationRecord = self._project.update_annotation(
            self._before.id, **changes
        )
        self._sink.annotation_saved(record, previous)
        return record

    def _apply(self) -> None:
        self._after = self._update(self._changes, self._before)

    def _revert(self) -> None:
        restore = {name: getattr(self._before, name) for name in self._changes}
        assert self._after is not None
        self._update(restore, self._after)


class RelabelAnnotationCommand(_UpdateAnnotationCommand):
    def __init__(
        self,
        project: Project,
        sink: AnnotationSink,
        before: AnnotationRecord,
        label: str,
    ) -> None:
        super().__init__(project, sink, before, f"Relabel as {label}", {"label": label})


class NoteAnnotationCommand(_UpdateAnnotationCommand):
    def __init__(
        self,
        project: Project,
        sink: AnnotationSink,
        before: AnnotationRecord,
        note: str | None,
    ) -> None:
        super().__init__(project, sink, before, "Edit note", {"note": note or None})


class ResizeAnnotationCommand(_UpdateAnnotationCommand):
    def __init__(
        self,
        project: Project,
        sink: AnnotationSink,
        before: AnnotationRecord,
        start: int,
        end: int,
    ) -> None:
        super().__init__(project, sink, before, "Resize annotation", {"start": start, "end": end})
