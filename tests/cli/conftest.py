"""Run the real ``annotator`` console script, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def _script() -> list[str]:
    script = Path(sys.executable).parent / "annotator"
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator"]


@pytest.fixture
def cli(tmp_path: Path) -> Run:
    """``cli("docs", "--json")`` runs the command on a project in tmp_path as user alice."""
    project = tmp_path / "cli.annotator.db"

    def run(*args: str, user: str = "alice", project_path: Path | None = None,
            stdin: str | None = None) -> Result:
        env = {
            **os.environ,
            "ANNOTATOR_PROJECT": str(project_path or project),
            "ANNOTATOR_USER": user,
            "QT_QPA_PLATFORM": "offscreen",
        }
        done = subprocess.run(
            [*_script(), *args], capture_output=True, text=True, env=env, input=stdin,
            timeout=300,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
