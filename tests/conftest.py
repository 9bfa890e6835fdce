"""Fixtures every test folder shares."""

from __future__ import annotations

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


@pytest.fixture
def project(project_path: Path) -> Iterator[object]:
    from tests.project_files import new_project

    with new_project(project_path, "alice") as opened:
        yield opened
