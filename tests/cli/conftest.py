"""Run the command line in this process, through ``annotator.cli.main`` as the console script
does; ``console`` runs the installed ``annotator`` script itself, for the few smoke tests.

In-process, a command costs milliseconds instead of a Python start-up and the imports
(seconds on a loaded 2-core machine), and it runs the working tree's code.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main
from tests.project_files import new_project_file


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def _script() -> list[str]:
    script = Path(sys.executable).parent / "annotator"
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator"]


def _stream(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def run_main(args: list[str], stdin: str | None = None) -> Result:
    """``main(args)`` with its own standard streams; SystemExit becomes the exit code."""
    # Python's own stderr escapes what it cannot encode; stdout does not (UTF-8 locale).
    out, err = _stream("strict"), _stream("backslashreplace")
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exit_:  # argparse: usage errors, --help, --version
                if isinstance(exit_.code, str):
                    print(exit_.code, file=sys.stderr)
                    code = 1
                else:
                    code = exit_.code or 0
    finally:
        sys.stdin = saved_stdin
    return Result(code, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``cli("docs", "--json")`` runs the command on a project in tmp_path as user alice.

    That project exists (new and empty); ``project_path`` names another, which need not
    exist.
    """
    project = tmp_path / "cli.annotator.db"
    new_project_file(project)

    def run(*args: str, user: str = "alice", project_path: Path | None = None,
            stdin: str | None = None) -> Result:
        monkeypatch.setenv("ANNOTATOR_PROJECT", str(project_path or project))
        monkeypatch.setenv("ANNOTATOR_USER", user)
        return run_main(list(args), stdin)

    return run


@pytest.fixture
def console(tmp_path: Path) -> Run:
    """Like ``cli``, through the installed console script in a new process."""

    def run(*args: str, user: str = "alice", project_path: Path | None = None,
            stdin: str | None = None) -> Result:
        env = {
            **os.environ,
            "ANNOTATOR_PROJECT": str(project_path or tmp_path / "console.annotator.db"),
            "ANNOTATOR_USER": user,
            "QT_QPA_PLATFORM": "offscreen",
        }
        done = subprocess.run(
            [*_script(), *args], capture_output=True, text=True, env=env, input=stdin,
            timeout=120,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
