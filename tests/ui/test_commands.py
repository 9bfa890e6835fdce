"""Each undo command on a bare QUndoStack over a real project."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator import Project
from annotator.records import AnnotationRecord
from tests.project_files import new_project
from ui.commands import (
    AddAnnotationCommand,
    DeleteAnnotationCommand,
    NoteAnnotationCommand,
    RelabelAnnotationCommand,
    ResizeAnnotationCommand,
)

TEXT = "Officials said the dam is safe. Engineers disagree."


class RecordingSink:
    def __init__(self) -> None:
        self.saved: list[tuple[AnnotationRecord, AnnotationRecord | None]] = []
        self.removed: list[AnnotationRecord] = []
        self.failures: list[str] = []

    def annotation_saved(self, record: AnnotationRecord, previous: AnnotationRecord | None) -> None:
        self.saved.append((record, previous))

    def annotation_removed(self, record: AnnotationRecord) -> None:
        self.removed.append(record)

    def command_failed(self, message: str) -> None:
        self.failures.append(message)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with new_project(tmp_path / "p.db", "bob") as opened:
        yield opened


@pytest.fixture
def doc(project: Project) -> str:
    return project.add_document(TEXT, "Dam")


@pytest.fixture
def stack(qapp: object) -> QUndoStack:
    return QUndoStack()


def test_add_undo_redo_keeps_the_same_id(project: Project, doc: str, stack: QUndoStack) -> None:
    sink = RecordingSink()
    command = AddAnnotationCommand(project, sink, doc, 0, 9, "source")
    stack.push(command)
    [added] = project.annotations()
    assert command.annotation_id == added.id and (added.start, added.end) == (0, 9)
    [(reported, previous)] = sink.saved
    assert previous is None
    fields = ("id", "document_id", "start", "end", "label", "annotator", "note", "deleted")
    assert all(getattr(reported, f) == getattr(added, f) for f in fields)
    stack.undo()
    assert project.annotations() == [] and sink.removed[-1].id == added.id
    stack.redo()
    [again] = project.annotations()
    assert again.id == added.id and again.label == "source"
    assert stack.text(0) == "Tag as source"


def test_delete_undo_restores_same_id_and_fields(
    project: Project, doc: str, stack: QUndoStack
) -> None:
    sink = RecordingSink()
    ann = project.add_annotation(doc, 19, 30, "claim", note="check")
    stack.push(DeleteAnnotationCommand(project, sink, ann))
    assert project.annotations() == [] and sink.removed[0].note == "check"
    stack.undo()
    [restored] = project.annotations()
    assert (restored.id, restored.note, restored.label) == (ann, "check", "claim")
    stack.redo()
    assert project.annotations() == []


@pytest.mark.parametrize(
    ("make", "field", "after"),
    [
        (lambda p, s, r: RelabelAnnotationCommand(p, s, r, "fact"), "label", "fact"),
        (lambda p, s, r: NoteAnnotationCommand(p, s, r, "why?"), "note", "why?"),
        (lambda p, s, r: NoteAnnotationCommand(p, s, r, ""), "note", None),
        (lambda p, s, r: ResizeAnnotationCommand(p, s, r, 0, 30), "start", 0),
    ],
)
def test_updates_undo_to_previous_values(
    project: Project, doc: str, stack: QUndoStack, make: object, field: str, after: object
) -> None:
    sink = RecordingSink()
    ann = project.add_annotation(doc, 19, 30, "claim", note="first")
    before = project.annotation(ann)
    stack.push(make(project, sink, before))  # type: ignore[operator]
    assert getattr(project.annotation(ann), field) == after
    assert sink.saved[-1][1] == before
    stack.undo()
    restored = project.annotation(ann)
    assert (restored.label, restored.note, restored.start, restored.end) == (
        "claim",
        "first",
        19,
        30,
    )
    stack.redo()
    assert getattr(project.annotation(ann), field) == after


def test_refused_command_is_dropped_and_reported(
    project: Project, doc: str, stack: QUndoStack
) -> None:
    sink = RecordingSink()
    stack.push(AddAnnotationCommand(project, sink, doc, 0, 9, "no-such-label"))
    assert stack.count() == 0 and project.annotations() == []
    assert sink.failures and "no-such-label" in sink.failures[0]
    stack.push(AddAnnotationCommand(project, sink, doc, 0, 9, "claim"))  # the stack still works
    assert stack.count() == 1


def test_undo_refused_by_core_drops_the_command(
    project: Project, doc: str, stack: QUndoStack
) -> None:
    sink = RecordingSink()
    stack.push(AddAnnotationCommand(project, sink, doc, 0, 9, "claim"))
    [added] = project.annotations()
    project.delete_annotation(added.id)  # changed behind the stack's back
    stack.undo()
    assert sink.failures and stack.count() == 0


def test_commands_do_not_hide_qundocommand_methods(
    project: Project, doc: str, stack: QUndoStack
) -> None:
    """An attribute named like a QUndoCommand method (id!) crashes PySide6 6.11.3 on push."""
    sink = RecordingSink()
    ann = project.add_annotation(doc, 19, 30, "claim")
    before = project.annotation(ann)
    commands = [
        AddAnnotationCommand(project, sink, doc, 0, 9, "source"),
        RelabelAnnotationCommand(project, sink, before, "fact"),
        NoteAnnotationCommand(project, sink, before, "n"),
        ResizeAnnotationCommand(project, sink, before, 19, 25),
        DeleteAnnotationCommand(project, sink, ann),
    ]
    reserved = {name for name in dir(QUndoCommand) if not name.startswith("_")}
    for command in commands:
        assert not reserved & set(vars(command)), type(command).__name__
        for name in reserved - {"redo", "undo"}:  # the two meant to be overridden
            assert getattr(type(command), name) is getattr(QUndoCommand, name), name
        stack.push(command)
    assert stack.count() == 5
