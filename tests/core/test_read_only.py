"""Read-only projects: asked for, or a file or folder that cannot be written; reads work,
every write is refused with one message, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import annotator
from annotator import AnnotatorError, Project
from tests.core.review_support import database_hash
from tests.unwritable import unwritable

TEXT = "Officials said the dam is safe. Critics disagree."


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A closed project with a document, two annotators' annotations and a label."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "p.db"
    with annotator.open_project(path, user="alice") as project:
        doc = project.add_document(TEXT, "Dam")
        project.add_annotation(doc, 0, 9, "source")
        project.set_status(doc, "done")
        project.set_user("bob")
        project.add_annotation(doc, 0, 9, "source")
        project.set_status(doc, "done")
    for side in ("-wal", "-shm"):
        assert not Path(f"{path}{side}").exists()
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


WRITES: dict[str, Callable[[Project, str], object]] = {
    "add_document": lambda p, _d: p.add_document("Another text.", "B"),
    "add_annotation": lambda p, d: p.add_annotation(d, 10, 14, "claim"),
    "set_status": lambda p, d: p.set_status(d, "in_progress"),
    "add_label": lambda p, _d: p.add_label("opinion", "#123456", None),
    "import_paths": lambda p, _d: p.import_paths([]),
    "restore_backup": lambda p, _d: p.restore_backup("x"),
}


def _check_read_only(project: Project, expected: str, path: Path) -> None:
    assert project.read_only and expected in (project.read_only_reason or "")
    [document] = project.documents()
    assert sorted(a.annotator for a in project.annotations(document.id)) == ["alice", "bob"]
    assert project.agreement().documents == 1
    for name, write in WRITES.items():
        if name == "import_paths":
            continue  # nothing to import: no write is attempted
        with pytest.raises(AnnotatorError, match=r"^project is read-only: ") as refused:
            write(project, document.id)
        assert expected in str(refused.value), name


def test_asked_read_only_reads_and_refuses_every_write(saved: Path, tmp_path: Path) -> None:
    before = database_hash(saved)
    with annotator.open_project(saved, user="carol", read_only=True) as project:
        _check_read_only(project, "it was opened with --read-only", saved)
        result = project.export("jsonl", tmp_path / "out.jsonl")
        assert result.documents == 1
    assert database_hash(saved) == before
    assert not (saved.parent / "p.db.backups").exists()  # no backup on open either


def test_a_file_that_cannot_be_written_opens_read_only(saved: Path) -> None:
    before = saved.read_bytes()
    with unwritable(saved), annotator.open_project(saved, user="carol") as project:
        _check_read_only(project, f"{saved} cannot be written", saved)
    assert saved.read_bytes() == before
    assert not (saved.parent / "p.db.backups").exists()


def test_a_folder_that_cannot_be_written_opens_read_only(saved: Path) -> None:
    before = _files(saved.parent)
    with unwritable(saved.parent), annotator.open_project(saved, user="carol") as project:
        _check_read_only(project, f"its folder {saved.parent} cannot be written", saved)
    # immutable: not even a lock file or an index beside the project
    assert _files(saved.parent) == before


def test_read_only_refuses_what_would_create_or_migrate(tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match=r"project is read-only: .* no project at"):
        annotator.open_project(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_a_read_only_project_with_changes_in_its_log_is_refused_clearly(saved: Path) -> None:
    # a log that holds changes but no index, in a folder that cannot take one
    with annotator.open_project(saved, user="alice") as project:
        project.engine.dispose()
    wal = Path(f"{saved}-wal")
    wal.write_bytes(b"\0" * 64)
    with unwritable(saved.parent), pytest.raises(AnnotatorError, match="write-ahead log"):
        annotator.open_project(saved, user="carol")
