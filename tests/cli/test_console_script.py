"""Smoke tests of the installed ``annotator`` console script, each in a new process.

Everything else in tests/cli runs ``main`` in-process; these check that the script is
installed, wired to ``main``, and that its exit codes and streams reach the shell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.cli.conftest import Run, _script


def test_help_and_version(console: Run) -> None:
    helped = console("--help")
    assert helped.code == 0 and "import-annotations" in helped.out
    shown = console("--version")
    assert shown.code == 0 and shown.out.strip() == f"annotator {version('annotator')}"


def test_import_then_export(console: Run, tmp_path: Path) -> None:
    article = tmp_path / "dam.txt"
    article.write_text("Officials said the dam is safe.\n", encoding="utf-8")
    imported = console("import", str(article))
    assert imported.code == 0, imported.err
    assert "creating a new project at" in imported.err
    assert console("annotate", "1", "0", "9", "source").code == 0
    out = tmp_path / "d.jsonl"
    exported = console("export", "--format", "jsonl", "--out", str(out))
    assert exported.code == 0, exported.err
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(s["start"], s["end"], s["text"]) for s in line["spans"]] == [(0, 9, "Officials")]


def test_bad_input_exit_codes(console: Run, tmp_path: Path) -> None:
    usage = console("frobnicate")
    assert usage.code == 2 and "invalid choice" in usage.err
    missing = console("docs", project_path=tmp_path / "no" / "such" / "x.db")
    assert missing.code == 1
    assert missing.err.strip().splitlines() == [
        f"annotator: no project at {tmp_path / 'no' / 'such' / 'x.db'} "
        "(check the path; 'annotator init' creates it)"
    ]
    assert not (tmp_path / "no").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_gui_without_a_display_is_one_line_not_a_qt_abort(tmp_path: Path) -> None:
    # Whichever this machine lacks (a library of Qt's xcb plugin, or any X display), the
    # answer is one line and exit 1, never Qt's abort (exit code -6).
    env = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    env.update(QT_QPA_PLATFORM="xcb", ANNOTATOR_PROJECT=str(tmp_path / "p.db"))
    done = subprocess.run(_script(), capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("annotator: ") and "qt.qpa" not in line
    assert ("sudo apt install" in line) or ("no X display answers" in line)
    assert not (tmp_path / "p.db").exists()
