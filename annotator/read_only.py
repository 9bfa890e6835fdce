"""Projects that cannot be written here: opened read-only, every write refused with one message.

A project is read-only when asked (``annotator --read-only``, ``open_project(...,
read_only=True)``) or when the file or its folder cannot be written. That is probed, not
guessed from permission bits: the file is opened for writing (nothing is written), which
fails on a read-only file system, an immutable file or a file without write permission,
for root too where that holds for root; the folder must be able to take SQLite's ``-wal`` and
``-shm`` files unless they are there already. (``os.access`` is true for root on a file
without write bits, and rightly so: root can write it, and then the project is writable.)

A read-only project is read through SQLite's ``mode=ro``; when its folder cannot hold the
``-shm`` index either, also ``immutable=1`` (no lock, no side file), which is only correct
while no write-ahead log holds changes, so one that does is refused.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from sqlalchemy import Engine

from annotator.database import read_only_engine
from annotator.errors import AnnotatorError

ASKED = "it was opened with --read-only"
_NOT_WRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def read_only_error(reason: str) -> AnnotatorError:
    """The one message every refused write gives."""
    return AnnotatorError(f"project is read-only: {reason}")


def _sides(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _folder_writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def why_unwritable(path: Path) -> str | None:
    """Why the existing project file at ``path`` cannot be written here, or None."""
    try:
        descriptor = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno in _NOT_WRITABLE:
            return f"{path} cannot be written ({exc.strerror})"
        return None  # missing or unreadable: opening it says why
    os.close(descriptor)
    if not all(side.exists() for side in _sides(path)) and not _folder_writable(path.parent):
        return (f"its folder {path.parent} cannot be written, and SQLite keeps the "
                "project's journal files there")
    return None


def open_read_only(path: Path, reason: str) -> Engine:
    """An engine that only reads the project at ``path``; ``reason`` says why (for the
    refusal when even reading needs a write)."""
    wal, shm = _sides(path)
    immutable = not shm.exists() and not _folder_writable(path.parent)
    if immutable and wal.exists() and wal.stat().st_size > 0:
        raise AnnotatorError(
            f"cannot open {path}: {reason}, and its write-ahead log {wal.name} holds changes "
            "that SQLite cannot read without writing an index beside it; open it once where "
            "it can be written")
    return read_only_engine(path, immutable=immutable)
