"""Automatic backups of SQLite projects, made with SQLite's online backup API.

A backup is a complete, self-contained copy taken while the project may be in use: on open
(at most once a day), before a migration, before a merge or an annotation import, and
before a restore. They sit in a folder beside the project, ``<project file>.backups``,
readable by their owner only; the newest ``$ANNOTATOR_BACKUPS`` (default 10) are kept.
Server databases (PostgreSQL) are backed up by their administrators, not here.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.errors import AnnotatorError

BACKUPS_ENV = "ANNOTATOR_BACKUPS"
DEFAULT_KEEP = 10
DAILY = timedelta(days=1)
PRIVATE = 0o600
_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}\d{6}Z)-(?P<reason>[a-z-]+)\.db$")


@dataclass(frozen=True)
class Backup:
    """One backup file: its name (what ``restore`` takes), when and why it was made."""

    name: str
    path: Path
    made: datetime
    reason: str
    size: int


def folder_for(project: Path) -> Path:
    return project.with_name(project.name + ".backups")


def keep_count() -> int:
    """How many backups are kept: ``$ANNOTATOR_BACKUPS``, else 10 (0 turns them off)."""
    raw = os.environ.get(BACKUPS_ENV, "").strip()
    if not raw:
        return DEFAULT_KEEP
    try:
        value = int(raw)
    except ValueError as exc:
        raise AnnotatorError(f"${BACKUPS_ENV} must be a whole number, not {raw!r}") from exc
    return max(value, 0)


def list_backups(project: Path) -> list[Backup]:
    """The project's backups, newest first."""
    folder = folder_for(project)
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        made = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        found.append(Backup(entry.name, entry, made, match["reason"], entry.stat().st_size))
    return sorted(found, key=lambda b: b.name, reverse=True)


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read, whatever the umask (a new project)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    os.close(descriptor)


def make_backup(project: Path, reason: str) -> Backup | None:
    """Copy the project now; returns None when backups are off or the folder is not writable.

    Uses the online backup API, so the copy is consistent even while others write.
    """
    keep = keep_count()
    if keep == 0 or not project.is_file():
        return None
    folder = folder_for(project)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}-{reason}.db"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        create_private_file(target)
    except OSError:
        # A read-only folder (or a full disk): the project is still usable, just unprotected.
        return None
    try:
        _copy(project, target)
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        raise AnnotatorError(f"cannot back up {project}: {exc}") from exc
    _rotate(project, keep)
    return next(b for b in list_backups(project) if b.name == target.name)


def _copy(source: Path, target: Path) -> None:
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        # One self-contained file: no write-ahead log to lose beside it.
        writer.execute("PRAGMA journal_mode = DELETE")
    finally:
        writer.close()
        reader.close()
    os.chmod(target, PRIVATE)


def _rotate(project: Path, keep: int) -> None:
    for old in list_backups(project)[keep:]:
        old.path.unlink(missing_ok=True)


def daily_backup(project: Path) -> Backup | None:
    """A backup on open, unless one was made in the last day."""
    newest = list_backups(project)
    if newest and datetime.now(UTC) - newest[0].made < DAILY:
        return None
    return make_backup(project, "daily")


def restore_backup(project: Path, name: str) -> Backup | None:
    """Put backup ``name`` back as the project; the current state is backed up first.

    Returns the backup of the state replaced. Nobody else should have the project open.
    """
    chosen = next((b for b in list_backups(project) if b.name == name), None)
    if chosen is None:
        raise AnnotatorError(f"no backup named {name!r} (see: annotator backups list)")
    saved = make_backup(project, "before-restore")
    reader = sqlite3.connect(f"{chosen.path.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(project)
    try:
        # Into the live file through SQLite, so its write-ahead log stays consistent.
        writer.execute("PRAGMA busy_timeout = 10000")
        reader.backup(writer)
    except sqlite3.Error as exc:
        raise AnnotatorError(f"cannot restore {name}: {exc}") from exc
    finally:
        writer.close()
        reader.close()
    return saved


def backup_on_open(project: Path, current: str | None, head: str, known: set[str]) -> None:
    """Before a migration, a backup always; otherwise at most one a day."""
    if current is None or current not in known:
        return  # a new project (nothing to keep) or a newer one (refused, left alone)
    if current != head:
        make_backup(project, "before-migration")
    else:
        daily_backup(project)
