"""Each undo command on a bare QUndoStack over a real project."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoCommand, QUndoStack

import annotator
from annotator import Project
from tests.project_files import new_project
from ui.operations.commands import (
    AddAnnotationCommand,
    DeleteAnnotationCommand,
    NoteAnnotationCommand,
    RelabelAnnotationCommand,
    ResizeAnnotationCommand,
)

TEXT = "Officials said the dam is safe. Engineers disagree."


class RecordingSink:
    def __init__(self) -> None:
        self.done: list[tuple[str, str | None, bool]] = []
        self.failures: list[str] = []

    def command_done(self, document_id: str, annotation_id: str | None, replayed: bool) -> None:
        self.done.append((document_id, annotation_id, replayed))

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
    assert sink.done == [(doc, added.id, False)]
    stack.undo()
    assert project.annotations() == [] and sink.done[-1] == (doc, None, True)
    stack.redo()
    [again] = project.annotations()
    assert again.id == added.id and again.label == "source"
    assert sink.done[-1] == (doc, added.id, True)
    assert stack.text(0) == "Tag as source"


def test_delete_undo_restores_same_id_and_fields(
    project: Project, doc: str, stack: QUndoStack
) -> None:
    sink = RecordingSink()
    ann = project.add_annotation(doc, 19, 30, "claim", note="check")
    stack.push(DeleteAnnotationCommand(project, sink, project.annotation(ann)))
    assert project.annotations() == []
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
    assert sink.done[-1] == (doc, ann, False)
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

    def now() -> object:
        return project.annotation(ann)  # each command starts from the state the last left

    factories = [
        lambda: AddAnnotationCommand(project, sink, doc, 0, 9, "source"),
        lambda: RelabelAnnotationCommand(project, sink, now(), "fact"),
        lambda: NoteAnnotationCommand(project, sink, now(), "n"),
        lambda: ResizeAnnotationCommand(project, sink, now(), 19, 25),
        lambda: DeleteAnnotationCommand(project, sink, now()),
    ]
    reserved = {name for name in dir(QUndoCommand) if not name.startswith("_")}
    for make in factories:
        command = make()
        assert not reserved & set(vars(command)), type(command).__name__
        for name in reserved - {"redo", "undo"}:  # the two meant to be overridden
            assert getattr(type(command), name) is getattr(QUndoCommand, name), name
        stack.push(command)
    assert stack.count() == 5 and sink.failures == []


def test_undo_never_overwrites_a_change_made_meanwhile(
    project: Project, doc: str, stack: QUndoStack, tmp_path: Path
) -> None:
    """Another window (or a merge) relabelled the annotation after our relabel: undoing ours
    is refused with a message instead of silently destroying theirs."""
    sink = RecordingSink()
    ann = project.add_annotation(doc, 19, 30, "claim")
    stack.push(RelabelAnnotationCommand(project, sink, project.annotation(ann), "source"))
    with annotator.open_project(project.location, user="bob") as elsewhere:
        elsewhere.update_annotation(ann, label="fact")
    stack.undo()
    assert project.annotation(ann).label == "fact"
    assert sink.failures and "changed meanwhile" in sink.failures[-1]
    assert stack.count() == 0  # the refused command is gone, the stack still works


def test_colleagues_tag_needs_the_reviewer_flag(
    project: Project, doc: str, stack: QUndoStack
) -> None:
    sink = RecordingSink()
    with annotator.open_project(project.location, user="carol") as carol:
        theirs = carol.add_annotation(doc, 0, 9, "claim")
    record = project.annotation(theirs)
    stack.push(DeleteAnnotationCommand(project, sink, record))
    assert "belongs to carol" in sink.failures[-1] and stack.count() == 0
    stack.push(DeleteAnnotationCommand(project, sink, record, as_reviewer=True))
    assert project.annotations() == []
    stack.undo()
    assert project.annotation(theirs).annotator == "carol"
