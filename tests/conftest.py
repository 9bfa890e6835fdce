"""Fixtures every test folder shares."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Every run of the suite tries the same examples (a failure seen in CI is seen again on any
# machine); HYPOTHESIS_PROFILE=explore searches at random, to find new failing examples to
# keep as @example. Tests that set max_examples keep their own budget in both.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, database=None)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process with pytest's own status once everything is reported, when Qt was
    loaded: PySide 6.11 can crash while the interpreter finalises the wrappers of Qt objects
    after the QApplication (a segmentation fault after the last test passed, seen with the
    whole tests/ui run; not reproduced in any single module). Nothing is left to run then."""
    import sys

    if _EXIT_STATUS and "PySide6.QtWidgets" in sys.modules:
        import atexit

        atexit._run_exitfuncs()  # temporary folders of the run are still removed
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
