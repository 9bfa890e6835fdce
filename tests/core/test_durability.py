"""Killing the process at any moment loses nothing reported saved and never corrupts the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import annotator

WRITER = textwrap.dedent(
    """
    import sys
    import annotator
    project = annotator.open_project(sys.argv[1], user="writer")
    width = 5 + int(sys.argv[2])  # each round its own spans: no identical annotation twice
    doc = project.documents()[0].id
    i = 0
    while True:
        annotation_id = project.add_annotation(doc, i % 50, i % 50 + width, "claim", note=str(i))
        print(annotation_id, flush=True)  # reported saved only after the commit returned
        i += 1
    """
)


def test_kill_during_writes_loses_nothing_reported(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    with annotator.open_project(path, user="writer") as project:
        project.add_document("x" * 60, "Crash test")
    reported: list[str] = []
    for round_number in range(3):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(round_number)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert process.stdout is not None
        for _ in range(25 + 10 * round_number):
            line = process.stdout.readline()
            assert line, "the writer stopped early"
            reported.append(line.strip())
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
    with annotator.open_project(path, user="reader") as project:
        stored = {a.id for a in project.annotations()}
        assert set(reported) <= stored
        assert project.check() == []
