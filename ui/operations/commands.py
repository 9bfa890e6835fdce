"""One QUndoCommand per user action on annotations and their links.

Commands hold ids and AnnotationRecord snapshots, never live objects, and only call the core:
what a call changed reaches every view through the core's published ``Changes`` (the
window's one refresh point), not through the command. Each revert names the state it
expects (``expect``), so an undo never silently overwrites what someone else changed
meanwhile: the core refuses, the command becomes obsolete, and the user is told. Every
version an edit replaces is in the annotation's history anyway.

Undo and redo after the first run tell the sink which annotation they touched, so the window
can show it, opening its document when it is not the one on screen.

Attribute names never shadow QUndoCommand methods (``id`` above all): on PySide6 6.11.3 a
Python attribute hiding the virtual id() crashes the next push.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from annotator import AnnotatorError, Project
from annotator.records import AnnotationRecord, RelationRecord
from annotator.suggest import Suggestions, apply_suggestions


class CommandSink(Protocol):
    """What commands report to (the window's editing controller)."""

    def command_failed(self, message: str) -> None: ...

    def command_done(self, document_id: str, annotation_id: str | None, replayed: bool) -> None:
        """The core committed it; ``replayed`` (an undo, or a redo after one): show where."""


class _AnnotationCommand(QUndoCommand):
    """Runs a core call and marks itself obsolete if the core refuses it.

    An obsolete command is dropped by the stack (on push and on undo), so a refused change
    leaves neither the project nor the undo history half-done.
    """

    def __init__(self, project: Project, sink: CommandSink, title: str, document_id: str,
                 as_reviewer: bool = False) -> None:
        super().__init__(title)
        self._project = project
        self._sink = sink
        self._document_id = document_id
        self._as_reviewer = as_reviewer
        self._runs = 0
        # What part of a command the core refused while the rest was done (and stays one
        # undo step): reported after the part that was done.
        self._refused_part: str | None = None

    def _guarded(self, action: str) -> None:
        try:
            shown = self._apply() if action == "redo" else self._revert()
        except AnnotatorError as error:
            self.setObsolete(True)
            self._sink.command_failed(str(error))
            return
        self._runs += 1
        # Not the first run: the user may be looking at another document by now.
        self._sink.command_done(self._document_id, shown, self._runs > 1)
        if self._refused_part is not None:
            refused, self._refused_part = self._refused_part, None
            self._sink.command_failed(refused)

    def redo(self) -> None:
        self._guarded("redo")

    def undo(self) -> None:
        self._guarded("undo")

    def _apply(self) -> str | None:
        """Do the change; returns the annotation to show (None: none is live)."""
        raise AssertionError("subclasses define _apply")

    def _revert(self) -> str | None:
        raise AssertionError("subclasses define _revert")


class AddAnnotationCommand(_AnnotationCommand):
    def __init__(
        self,
        project: Project,
        sink: CommandSink,
        document_id: str,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
    ) -> None:
        super().__init__(project, sink, f"Tag as {label}", document_id)
        self._span = (start, end)
        self._label = label
        self._note = note
        self._snapshot: AnnotationRecord | None = None

    @property
    def annotation_id(self) -> str | None:
        return self._snapshot.id if self._snapshot is not None else None

    def _apply(self) -> str | None:
        project = self._project
        if self._snapshot is None:
            start, end = self._span
            # The write hands back the record it stored: no second read per key press.
            self._snapshot = project.add_annotation_record(
                self._document_id, start, end, self._label, note=self._note
            )
        else:
            # Redo after undo brings back the very same annotation id.
            self._snapshot = project.restore_annotation(self._snapshot)
        return self._snapshot.id

    def _revert(self) -> str | None:
        assert self._snapshot is not None
        self._snapshot = self._project.delete_annotation(self._snapshot.id,
                                                         expect=self._snapshot)
        return None


class DeleteAnnotationCommand(_AnnotationCommand):
    def __init__(self, project: Project, sink: CommandSink, record: AnnotationRecord,
                 as_reviewer: bool = False) -> None:
        super().__init__(project, sink, f"Delete {record.label}", record.document_id,
                         as_reviewer)
        self._seen = record
        self._snapshot: AnnotationRecord | None = None

    def _apply(self) -> str | None:
        expected = self._seen if self._snapshot is None else self._snapshot
        self._snapshot = self._project.delete_annotation(
            self._seen.id, as_reviewer=self._as_reviewer, expect=expected)
        return None

    def _revert(self) -> str | None:
        assert self._snapshot is not None
        self._snapshot = self._project.restore_annotation(self._snapshot,
                                                          as_reviewer=self._as_reviewer)
        return self._snapshot.id


class _UpdateAnnotationCommand(_AnnotationCommand):
    """Changes some fields of one annotation; undo puts the previous values back."""

    def __init__(
        self,
        project: Project,
        sink: CommandSink,
        before: AnnotationRecord,
        title: str,
        changes: dict[str, Any],
        as_reviewer: bool = False,
    ) -> None:
        super().__init__(project, sink, title, before.document_id, as_reviewer)
        self._before = before
        self._changes = changes
        self._after: AnnotationRecord | None = None

    def _apply(self) -> str | None:
        self._after = self._project.update_annotation(
            self._before.id, **self._changes, as_reviewer=self._as_reviewer,
            expect=self._before,
        )
        return self._after.id

    def _revert(self) -> str | None:
        assert self._after is not None
        restore = {name: getattr(self._before, name) for name in self._changes}
        self._before = self._project.update_annotation(
            self._before.id, **restore, as_reviewer=self._as_reviewer, expect=self._after,
        )
        return self._before.id


class RelabelAnnotationCommand(_UpdateAnnotationCommand):
    def __init__(self, project: Project, sink: CommandSink, before: AnnotationRecord,
                 label: str, as_reviewer: bool = False) -> None:
        super().__init__(project, sink, before, f"Relabel as {label}", {"label": label},
                         as_reviewer)


class NoteAnnotationCommand(_UpdateAnnotationCommand):
    def __init__(self, project: Project, sink: CommandSink, before: AnnotationRecord,
                 note: str | None, as_reviewer: bool = False) -> None:
        super().__init__(project, sink, before, "Edit note", {"note": note or None},
                         as_reviewer)


class ResizeAnnotationCommand(_UpdateAnnotationCommand):
    def __init__(self, project: Project, sink: CommandSink, before: AnnotationRecord,
                 start: int, end: int, as_reviewer: bool = False) -> None:
        super().__init__(project, sink, before, "Resize annotation",
                         {"start": start, "end": end}, as_reviewer)


class AddRelationCommand(_AnnotationCommand):
    """Link two annotations; undo tombstones the link, redo brings back the same id."""

    def __init__(self, project: Project, sink: CommandSink, document_id: str, from_id: str,
                 to_id: str, kind: str) -> None:
        super().__init__(project, sink, f"Link ({kind.replace('_', ' ')})", document_id)
        self._ends = (from_id, to_id)
        self._kind = kind
        self._snapshot: RelationRecord | None = None

    @property
    def relation_id(self) -> str | None:
        return self._snapshot.id if self._snapshot is not None else None

    def _apply(self) -> str | None:
        if self._snapshot is None:
            new_id = self._project.add_relation(*self._ends, self._kind)
            self._snapshot = self._project.relation(new_id)
        else:
            self._snapshot = self._project.restore_relation(self._snapshot)
        return self._ends[0]

    def _revert(self) -> str | None:
        assert self._snapshot is not None
        self._snapshot = self._project.delete_relation(self._snapshot.id)
        return self._ends[0]


class DeleteRelationCommand(_AnnotationCommand):
    def __init__(self, project: Project, sink: CommandSink, record: RelationRecord,
                 as_reviewer: bool = False) -> None:
        super().__init__(project, sink, f"Unlink ({record.type.replace('_', ' ')})",
                         record.document_id, as_reviewer)
        self._snapshot = record

    def _apply(self) -> str | None:
        self._snapshot = self._project.delete_relation(self._snapshot.id,
                                                       as_reviewer=self._as_reviewer)
        return self._snapshot.from_id

    def _revert(self) -> str | None:
        self._snapshot = self._project.restore_relation(self._snapshot,
                                                        as_reviewer=self._as_reviewer)
        return self._snapshot.from_id


class AcceptSuggestionsCommand(_AnnotationCommand):
    """Accept proposals as the user's annotations (each remembering its rule) and their
    links, in one step; undo removes what it added, redo brings back the same ids."""

    def __init__(self, project: Project, sink: CommandSink, document_id: str,
                 suggestions: Suggestions, title: str) -> None:
        super().__init__(project, sink, title, document_id)
        self._suggestions = suggestions
        self._added: list[AnnotationRecord] = []
        self._links: list[RelationRecord] = []

    @property
    def added_ids(self) -> list[str]:
        return [record.id for record in self._added]

    def _apply(self) -> str | None:
        project = self._project
        if not self._added and not self._links:
            existing = {(r.from_id, r.to_id, r.type)
                        for r in project.relations(self._document_id, annotator=project.user)}
            report = apply_suggestions(project, self._document_id, self._suggestions,
                                       project.add_relation, existing)
            self._added = project.annotations_by_id([i for _, i in report.added])
            ids = {(r.from_id, r.to_id, r.type): r for r in project.relations(
                self._document_id, annotator=project.user)}
            self._links = [ids[link] for link in report.links_added if link in ids]
            if report.failure is not None:
                if not self._added and not self._links:
                    raise AnnotatorError(report.failure)
                # What was added stays, as this one undo step; the rest is reported.
                self._refused_part = (
                    f"Accepted {len(self._added)} of {len(self._suggestions.annotations)} "
                    f"suggestions and {len(self._links)} link(s), then stopped: "
                    f"{report.failure}")
            shown = report.added or report.existing
            return shown[0][1] if shown else None
        self._added = [project.restore_annotation(record) for record in self._added]
        self._links = [project.restore_relation(record) for record in self._links]
        return self._added[0].id if self._added else None

    def _revert(self) -> str | None:
        project = self._project
        # Links first, by hand: those between annotations that stay would outlive the undo.
        self._links = [project.delete_relation(r.id) for r in reversed(self._links)][::-1]
        self._added = [project.delete_annotation(r.id, expect=r)
                       for r in reversed(self._added)][::-1]
        return None
