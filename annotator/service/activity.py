"""Who holds a project's write lock: long writes say so, and writers waiting behind them
tell their user instead of failing.

A merge or an annotation import is one transaction (all or nothing), so it holds SQLite's
write lock for as long as it runs. While it does, a note beside the project,
``<project file>.running``, says what it is, who runs it and since when. A writer that
cannot get the lock within ``WRITE_ATTEMPT_MS`` (:mod:`annotator.database`) reads the note,
reports "waiting for merge x.zip by alice (process 4242, 12 s so far)…" through the
project's ``waiting`` callback,
and tries again, for up to :data:`WAIT_LIMIT` seconds, instead of failing after SQLite's
busy timeout with "database is locked".
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

from annotator.untrusted import UntrustedInput, load_json, read_regular

WAIT_LIMIT = 30 * 60
"""How long a writer waits, in all, behind another before giving up (seconds)."""
_NOTE_LIMIT = 4096


def note_path(project: Path) -> Path:
    return project.with_name(project.name + ".running")


@contextmanager
def announced(project: Path | None, action: str, user: str) -> Iterator[None]:
    """Say, beside the project, that ``action`` holds the write lock until the block ends.

    Called once the lock is held, so only one note is written at a time. A folder that
    cannot take the note only makes the waiting message less precise.
    """
    if project is None:
        yield
        return
    path = note_path(project)
    note = {"action": action, "user": user, "pid": os.getpid(), "host": socket.gethostname(),
            "started": time.time()}
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(orjson.dumps(note))
        written = True
    except OSError:
        written = False
    try:
        yield
    finally:
        if written:
            path.unlink(missing_ok=True)


def holder(project: Path | None) -> str:
    """What the writer holding the lock is doing, as the rest of "waiting for …"."""
    unknown = "another program writing to the project"
    if project is None:
        return unknown
    try:
        note = load_json(read_regular(note_path(project), _NOTE_LIMIT))
    except UntrustedInput:
        return unknown
    if not isinstance(note, dict) or not _alive(note):
        return unknown
    seconds = max(0, int(time.time() - float(note.get("started", time.time()))))
    return (f"{str(note.get('action', 'a change'))[:80]} by {str(note.get('user', '?'))[:40]} "
            f"(process {note.get('pid')}, {seconds} s so far)")


def _alive(note: dict[str, object]) -> bool:
    """False for a note left by a process that is gone (killed mid-merge)."""
    pid = note.get("pid")
    if note.get("host") != socket.gethostname() or not isinstance(pid, int):
        return True  # another machine's process (a shared folder): cannot tell, believe it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
