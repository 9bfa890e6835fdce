"""A writer behind a long merge (another process) waits, says what it waits for, and
saves once the merge ends, instead of failing after SQLite's busy timeout with
"database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import annotator
from annotator.database import BUSY_TIMEOUT_MS
from annotator.service.activity import note_path

TEXT = "Officials said the dam is safe."


@pytest.fixture
def held_merge(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A project, and another process inside a merge into it, holding the write lock."""
    path = tmp_path / "p.db"
    with annotator.open_project(path, user="alice") as project:
        project.add_document(TEXT, "Dam")
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        bob.add_document("Bob's own article about the harbour.", "Harbour")
        bob.bundle(tmp_path / "colleague.zip")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    merger = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.holding_merge", str(path),
         str(tmp_path / "colleague.zip")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=Path(__file__).resolve().parents[2])
    assert merger.stdout is not None and merger.stdin is not None
    assert merger.stdout.readline().strip() == "holding", merger.stderr.read() if \
        merger.stderr else ""
    try:
        yield path, merger
    finally:
        if merger.poll() is None:
            merger.kill()
        merger.wait(30)


def _release(merger: subprocess.Popen[str]) -> str:
    assert merger.stdin is not None and merger.stdout is not None
    merger.stdin.write("go\n")
    merger.stdin.flush()
    return merger.stdout.readline().strip()


def test_a_cli_writer_waits_behind_a_merge_and_says_for_what(
    held_merge: tuple[Path, subprocess.Popen[str]]
) -> None:
    path, merger = held_merge
    assert "merge colleague.zip" in note_path(path).read_text()
    writer = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(path), "--user", "carol",
         "annotate", "Dam", "0", "9", "claim"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stderr is not None
    notice = writer.stderr.readline()
    assert notice.startswith(
        f"annotator: waiting for merge colleague.zip by alice (process {merger.pid}, "), notice
    # still waiting, not failed, past the busy timeout that used to end it
    with pytest.raises(subprocess.TimeoutExpired):
        writer.wait(BUSY_TIMEOUT_MS / 1000 + 2)
    assert _release(merger) == "merged 1"
    _out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert "database is locked" not in err
    assert not note_path(path).exists()
    with annotator.open_project(path, user="carol", create=False) as project:
        dam = next(d for d in project.documents() if d.title == "Dam")
        assert [a.label for a in project.annotations(dam.id)] == ["claim"]
        assert len(project.documents()) == 2


def test_a_python_writer_is_told_and_retries(
    held_merge: tuple[Path, subprocess.Popen[str]]
) -> None:
    path, merger = held_merge
    told: list[str] = []

    def waiting(message: str) -> None:
        told.append(message)
        if len(told) == 2:  # told twice: the wait goes on across attempts
            assert _release(merger) == "merged 1"

    with annotator.open_project(path, user="carol", create=False) as project:
        project.waiting = waiting
        dam = project.documents()[0].id
        project.add_annotation(dam, 0, 9, "claim")
    assert len(told) == 2
    assert all(m.startswith("waiting for merge colleague.zip by alice") for m in told), told
