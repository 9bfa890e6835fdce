"""Where a project lives, and opening one that does not exist (created only when asked)."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator
from annotator import AnnotatorError, resolve_location
from annotator.database import to_url


def test_named_default_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    named = resolve_location(tmp_path / "a.db")
    assert (named.named, named.path, named.exists) == (True, tmp_path / "a.db", False)
    from_env = resolve_location(None)  # tests/conftest.py sets $ANNOTATOR_PROJECT
    assert from_env.named and from_env.path == tmp_path / "default.annotator.db"
    monkeypatch.delenv("ANNOTATOR_PROJECT")
    default = resolve_location("")
    assert not default.named
    assert default.path == tmp_path / "xdg-data" / "annotator" / "default.annotator.db"


def test_server_databases_are_taken_as_existing() -> None:
    where = resolve_location("postgresql+psycopg://someone@db.example/news")
    assert where.path is None and where.exists and where.missing_folder() is None
    assert str(where) == "postgresql+psycopg://someone@db.example/news"


def test_missing_folder_is_the_outermost_one(tmp_path: Path) -> None:
    assert resolve_location(tmp_path / "p.db").missing_folder() is None
    deep = resolve_location(tmp_path / "a" / "b" / "c" / "p.db")
    assert deep.missing_folder() == tmp_path / "a"


def test_open_without_create_refuses_a_missing_project(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "p.db"
    with pytest.raises(AnnotatorError, match=f"no project at {path}"):
        annotator.open_project(path, create=False)
    assert not (tmp_path / "sub").exists()


def test_open_creates_the_project_and_its_folders_by_default(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "p.db"
    with annotator.open_project(path) as project:
        assert [label.name for label in project.labels()] == ["claim", "source", "fact"]
    with annotator.open_project(path, create=False) as project:
        assert project.location == str(path)


def test_turning_a_path_into_a_url_creates_no_folder(tmp_path: Path) -> None:
    to_url(tmp_path / "x" / "p.db")
    assert not (tmp_path / "x").exists()
