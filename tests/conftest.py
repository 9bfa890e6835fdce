"""Fixtures every test folder shares."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the user's real default project or depend on their login name."""
    monkeypatch.setenv("ANNOTATOR_PROJECT", str(tmp_path / "default.annotator.db"))
    monkeypatch.setenv("ANNOTATOR_USER", "tester")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present beside the checkout")
    return CORPORA


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "project.annotator.db"


@pytest.fixture(scope="session")
def project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project, created once per run: creating one runs every migration (a third of a
    second), so tests start from copies of this file, which are new projects all the same."""
    import annotator

    path = tmp_path_factory.mktemp("template") / "template.annotator.db"
    annotator.open_project(path, user="alice").close()
    # Closing the last connection checkpoints the write-ahead log into the file.
    assert not path.with_name(path.name + "-wal").exists()
    return path


def new_project_file(template: Path, path: Path) -> Path:
    """``path`` becomes a new project (a copy of the template); returns it."""
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def project(project_path: Path, project_template: Path) -> Iterator[object]:
    import annotator

    new_project_file(project_template, project_path)
    with annotator.open_project(project_path, user="alice") as opened:
        yield opened
