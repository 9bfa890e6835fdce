"""Automatic backups (online backup API), restore, and private file modes."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

import annotator
from annotator.backups import folder_for, list_backups


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> object:
    previous = os.umask(0o022)
    yield None
    os.umask(previous)


def test_new_project_backups_and_bundles_are_private(tmp_path: Path, open_umask: object) -> None:
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("A claim.", "D")
        project.add_annotation(document, 0, 7, "claim")
        backup = project.back_up()
        project.bundle(tmp_path / "b.zip")
        assert _mode(path) == 0o600
        assert _mode(Path(f"{path}-wal")) == 0o600
    assert _mode(backup.path) == 0o600
    assert _mode(tmp_path / "b.zip") == 0o600
    assert _mode(folder_for(path)) == 0o700


def test_open_backs_up_once_a_day_and_rotates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.db"
    annotator.open_project(path, user="alice").close()
    assert list_backups(path) == []  # nothing to keep in a new project
    annotator.open_project(path, user="alice").close()
    annotator.open_project(path, user="alice").close()
    assert [b.reason for b in list_backups(path)] == ["daily"]
    monkeypatch.setenv("ANNOTATOR_BACKUPS", "3")
    with annotator.open_project(path, user="alice") as project:
        for _ in range(5):
            project.back_up()
    assert [b.reason for b in list_backups(path)] == ["manual"] * 3


def test_merge_and_import_are_preceded_by_a_backup(tmp_path: Path) -> None:
    source = tmp_path / "bob.db"
    with annotator.open_project(source, user="bob") as bob:
        document = bob.add_document("Bob's claim.", "B")
        bob.add_annotation(document, 0, 5, "claim")
        bob.bundle(tmp_path / "bob.zip")
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as project:
        project.merge(tmp_path / "bob.zip")
        assert [b.reason for b in project.backups()] == ["before-merge"]


def test_restore_brings_back_the_backup_and_keeps_the_replaced_state(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("Keep this claim.", "D")
        kept = project.add_annotation(document, 0, 4, "claim")
        backup = project.back_up()
        project.delete_annotation(kept)
        lost = project.add_annotation(document, 5, 9, "fact")
        saved = project.restore_backup(backup.name)
    assert saved is not None and saved.reason == "before-restore"
    with annotator.open_project(path, user="alice") as project:
        assert [a.id for a in project.annotations()] == [kept]
        assert project.check() == []
        project.restore_backup(saved.name)
    with annotator.open_project(path, user="alice") as project:
        assert [a.id for a in project.annotations()] == [lost]


def test_backup_is_a_self_contained_consistent_copy(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("Text.", "D")
        project.add_annotation(document, 0, 4, "claim")
        backup = project.back_up()
    connection = sqlite3.connect(backup.path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
    finally:
        connection.close()


def test_unknown_backup_is_refused(tmp_path: Path) -> None:
    with annotator.open_project(tmp_path / "p.db", user="alice") as project, pytest.raises(
        annotator.AnnotatorError, match="no backup named"
    ):
        project.restore_backup("nope.db")


def test_backups_command_lists_makes_and_restores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main

    path = tmp_path / "p.db"
    base = ["--project", str(path), "--user", "alice"]
    assert main([*base, "init"]) == 0
    assert main([*base, "backups", "make"]) == 0
    made = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert main([*base, "backups"]) == 0
    assert made.name in capsys.readouterr().out
    assert main([*base, "backups", "restore", made.name]) == 0
    assert "restored" in capsys.readouterr().out
    assert main([*base, "backups", "restore", "missing.db"]) == 1
    assert "no backup named" in capsys.readouterr().err
