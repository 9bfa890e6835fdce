"""Another application's database is refused and left byte-identical; ours is known positively."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import annotator
from annotator.backups import list_backups
from annotator.identity import APPLICATION_ID


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder with its digest: side files (-wal, -shm) count too."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
    }


def _make(path: Path, script: str, *, wal: bool = False) -> None:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.executescript(script)
    connection.commit()
    connection.close()


FOREIGN = {
    "other tables": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
    "INSERT INTO notes (body) VALUES ('mine');",
    "empty alembic_version": "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);",
    "alembic 0001 of another app": (
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
        "INSERT INTO alembic_version VALUES ('0001');"
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
    ),
    "our 0004 tables plus one of theirs": "",  # filled in by the test (a real old project)
    "another application_id": "PRAGMA application_id = 1234;",
    "a user_version, no tables": "PRAGMA user_version = 7;",
}


@pytest.mark.parametrize("case", sorted(FOREIGN))
@pytest.mark.parametrize("wal", [False, True])
def test_foreign_sqlite_file_is_refused_and_byte_identical(
    tmp_path: Path, case: str, wal: bool
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "app.sqlite"
    if case == "our 0004 tables plus one of theirs":
        _old_project(path)
        _make(path, "CREATE TABLE extra (id INTEGER);")
    else:
        _make(path, FOREIGN[case], wal=wal)
    if wal and case == "our 0004 tables plus one of theirs":
        pytest.skip("the same file as without WAL")
    before = _snapshot(folder)
    with pytest.raises(annotator.AnnotatorError, match=r"not an Annotator project.*nothing was"):
        annotator.open_project(path, user="alice")
    assert _snapshot(folder) == before


def test_foreign_file_in_use_by_its_application_is_not_written(tmp_path: Path) -> None:
    """Their application holds the file open in WAL mode (a -wal and -shm beside it)."""
    path = tmp_path / "busy.sqlite"
    theirs = sqlite3.connect(path)
    theirs.execute("PRAGMA journal_mode = WAL")
    theirs.execute("PRAGMA wal_autocheckpoint = 0")
    theirs.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    theirs.execute("INSERT INTO alembic_version VALUES ('0001')")
    theirs.commit()
    try:
        main_before = hashlib.sha256(path.read_bytes()).hexdigest()
        with pytest.raises(annotator.AnnotatorError, match="not an Annotator project"):
            annotator.open_project(path, user="alice")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == main_before
        assert theirs.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        theirs.close()


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all\n")
    before = _snapshot(tmp_path)
    with pytest.raises(annotator.AnnotatorError, match="not a database file"):
        annotator.open_project(path, user="alice")
    assert _snapshot(tmp_path) == before


def _header_application_id(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA application_id").fetchone()[0])
    finally:
        connection.close()


def test_new_project_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    annotator.open_project(path, user="alice").close()
    assert _header_application_id(path) == APPLICATION_ID
    connection = sqlite3.connect(path)
    [(count,)] = connection.execute("SELECT count(*) FROM annotator_project").fetchall()
    connection.close()
    assert count == 1


def _old_project(path: Path) -> None:
    """A project as the revision before the markers left it (0004, application_id 0)."""
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("An old claim.", "Old")
        project.add_annotation(document, 3, 12, "claim")
    _make(
        path,
        "DROP TABLE relation_origin; DROP TABLE annotation_origin; DROP TABLE annotator_project;"
        "PRAGMA application_id = 0;"
        "ALTER TABLE documents DROP COLUMN deleted; ALTER TABLE documents DROP COLUMN updated;"
        "UPDATE alembic_version SET version_num = '0004';",
    )


def test_project_from_before_the_markers_is_recognised_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_project(path)
    assert _header_application_id(path) == 0
    with annotator.open_project(path, user="alice") as project:
        assert [a.label for a in project.annotations()] == ["claim"]
    assert _header_application_id(path) == APPLICATION_ID
    [backup] = list_backups(path)
    assert backup.reason == "before-migration"


def test_crash_while_creating_leaves_no_half_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The labels are seeded in the transaction that creates the tables: never one without
    the other (before, a crash in between left a project with no labels for ever)."""
    import annotator.project as project_module

    path = tmp_path / "half.db"
    seed: Callable[..., None] = project_module.seed_default_labels

    def crash(_session: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(project_module, "seed_default_labels", crash)
    with pytest.raises(annotator.AnnotatorError):
        annotator.open_project(path, user="alice")
    monkeypatch.setattr(project_module, "seed_default_labels", seed)
    with annotator.open_project(path, user="alice") as project:
        assert [label.name for label in project.labels()] == ["claim", "source", "fact"]
