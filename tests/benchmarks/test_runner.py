"""``python -m benchmarks`` reads its options before running anything: ``--help`` and a
mistyped option answer at once, without starting a benchmark or touching RESULTS.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def _results() -> bytes | None:
    return RESULTS.read_bytes() if RESULTS.exists() else None


def test_help_prints_usage_and_runs_nothing() -> None:
    before = _results()
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m benchmarks [-h] [--quick]")
    assert "--quick" in done.stdout and "RESULTS.md" in done.stdout
    assert "===" not in done.stdout and "ROW" not in done.stdout
    assert _results() == before


def test_an_unknown_option_is_refused_before_running() -> None:
    before = _results()
    done = _run("--qiuck")
    assert done.returncode == 2
    assert "unrecognized arguments: --qiuck" in done.stderr
    assert done.stdout == ""
    assert _results() == before
