"""Run one script in several processes started at the same moment (shared by the suites)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

# Every worker opens the project, says "ready", waits for "go" on stdin, then runs BODY.
PRELUDE = """
import sys
import annotator
location, worker = sys.argv[1], int(sys.argv[2])
project = annotator.open_project(location, user=sys.argv[3])
print("ready", flush=True)
sys.stdin.readline()
"""


@dataclass
class Outcome:
    code: int
    out: list[str]
    err: str


def run_together(location: str, body: str, users: list[str]) -> list[Outcome]:
    """Start one worker per user, release them together, and collect what each printed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PRELUDE + body, location, str(n), user],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env,
        )
        for n, user in enumerate(users)
    ]
    for process in processes:
        assert process.stdout is not None
        line = process.stdout.readline()
        if line.strip() != "ready":
            _, err = process.communicate()
            raise AssertionError(f"a worker did not start: {line!r} {err}")
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        outcomes.append(Outcome(process.returncode, out.split(), err))
    return outcomes
