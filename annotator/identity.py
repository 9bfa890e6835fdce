"""Knowing a project positively before touching it: anything else is refused, unchanged.

An SQLite project carries Annotator's ``application_id`` in its file header (written in the
transaction that creates it), and every project, on any database, a one-row
``annotator_project`` table. Projects made before these markers existed are recognised by
their exact set of tables at a known schema revision, and get the markers when migrated.

SQLite files are inspected read-only, before the connection that switches them to
write-ahead logging (a setting stored in the file) is ever made, so a file that is not a
project is left byte-identical.
"""

from __future__ import annotations

import enum
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from annotator.backups import backup_on_open, create_private_file
from annotator.database import create_project_engine
from annotator.errors import AnnotatorError
from annotator.read_only import ASKED, open_read_only, read_only_error, why_unwritable
from annotator.schema import current_revision, head_revision, known_revisions

APPLICATION_ID = 0x414E4E4F  # "ANNO"
MARKER_TABLE = "annotator_project"
SQLITE_MAGIC = b"SQLite format 3\x00"

_V1 = frozenset({"alembic_version", "annotators", "documents", "labels", "annotations",
                 "document_status"})
_V2 = _V1 | {"annotation_history", "reviews"}
_V3 = _V2 | {"change_log"}
_V4 = _V3 | {"relation_types", "relations"}
LEGACY_TABLES = {"0001": _V1, "0002": _V2, "0003": _V3, "0004": _V4}
"""The tables of a project at each revision made before the markers (no more, no less)."""

# Tables SQLite makes by itself (AUTOINCREMENT, ANALYZE); never a sign of another owner.
_INTERNAL = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3",
                       "sqlite_stat4"})


class Kind(enum.Enum):
    NEW = "new"
    """Nothing there yet (no file, an empty file, or an empty database): create a project."""
    PROJECT = "project"
    """An Annotator project (marked, or an unmarked one from before the markers)."""


def _refuse(where: str, why: str) -> AnnotatorError:
    return AnnotatorError(f"{where} is not an Annotator project ({why}); nothing was changed")


def identify_file(path: Path) -> Kind:
    """What the SQLite file at ``path`` is; raises AnnotatorError for anything not ours.

    Reads without writing a byte or a side file when the file is not in use (immutable
    read), and read-only otherwise.
    """
    try:
        if not path.exists() or path.stat().st_size == 0:
            return Kind.NEW
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise AnnotatorError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if header[:16] != SQLITE_MAGIC:
        raise _refuse(str(path), "not a database file")
    try:
        with _inspect(path) as connection:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            user_version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            } - _INTERNAL
            revisions = (
                [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
                if "alembic_version" in tables
                else []
            )
    except sqlite3.DatabaseError as exc:
        raise _refuse(str(path), f"SQLite cannot read it: {exc}") from exc
    if application_id == APPLICATION_ID:
        return Kind.PROJECT
    if application_id != 0:
        raise _refuse(str(path), f"it belongs to another application, id {application_id:#x}")
    if not tables and user_version == 0:
        return Kind.NEW
    return _classify_unmarked(str(path), tables, revisions)


def _classify_unmarked(where: str, tables: set[str], revisions: list[str]) -> Kind:
    if MARKER_TABLE in tables and "alembic_version" in tables and len(revisions) == 1:
        return Kind.PROJECT
    if len(revisions) == 1 and LEGACY_TABLES.get(revisions[0]) == frozenset(tables):
        return Kind.PROJECT
    return _refuse_unmarked(where, tables, revisions)


def _refuse_unmarked(where: str, tables: set[str], revisions: list[str]) -> Kind:
    if not tables:
        raise _refuse(where, "it is a database with settings of another application")
    if len(revisions) == 1 and revisions[0] not in LEGACY_TABLES:
        # A marked project would say so; an unmarked one at an unknown revision is not ours.
        raise _refuse(where, f"it has other tables and schema revision {revisions[0]!r}")
    raise _refuse(where, "it holds other tables")


def identify_database(engine: Engine, url: URL) -> Kind:
    """What a server database (PostgreSQL, ...) holds; raises AnnotatorError unless ours.

    Only reads: the schema's table names and, if present, the revision.
    """
    where = url.render_as_string(hide_password=True)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        revisions = (
            [row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))]
            if "alembic_version" in tables
            else []
        )
    if not tables:
        return Kind.NEW
    return _classify_unmarked(where, tables, revisions)


def identify(url: URL) -> Kind:
    """Identify an SQLite project file before any connection is made to it.

    Server databases are identified by :func:`identify_database` once connected (a
    connection to them stores nothing).
    """
    if url.get_backend_name() == "sqlite" and url.database:
        return identify_file(Path(url.database))
    return Kind.PROJECT


@contextmanager
def _inspect(path: Path) -> Iterator[sqlite3.Connection]:
    wal = Path(f"{path}-wal")
    shm = Path(f"{path}-shm")
    with tempfile.TemporaryDirectory(prefix="annotator-identify-") as folder:
        if not wal.exists():
            # Immutable: no lock, no journal, no -shm file; the file is only read.
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        elif shm.exists():
            # In use (or left by a crash): a read-only connection never checkpoints, so the
            # database file itself is not written.
            uri = f"{path.resolve().as_uri()}?mode=ro"
        else:
            # A log without its index: read a copy so that nothing beside the file appears.
            copy = Path(folder) / "copy.db"
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, Path(f"{copy}-wal"))
            uri = f"{copy.as_uri()}?mode=ro"
        connection = sqlite3.connect(uri, uri=True)
        try:
            yield connection
        finally:
            connection.close()


def connect_project(url: URL, *, read_only: bool = False) -> tuple[Engine, Kind, str | None]:
    """An engine on the project at ``url`` once it is known to be one (or to be empty),
    its kind, and why it is read-only (None when it can be written).

    A project file is read-only when ``read_only`` asks it, or when it cannot be written
    here (see :mod:`annotator.read_only`). Raises AnnotatorError, having changed nothing,
    for anything else, and for a read-only project that would need creating or migrating.
    """
    kind = identify(url)
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    reason = None
    if path is not None and kind is Kind.PROJECT:
        reason = ASKED if read_only else why_unwritable(path)
    elif read_only and path is not None:
        raise read_only_error(f"{ASKED}, and there is no project at {path} to read")
    elif read_only:
        raise read_only_error("--read-only is for project files; a server database has "
                              "its own permissions")
    if path is not None and reason is not None:
        return _read_only(path, reason), kind, reason
    if kind is Kind.NEW and path is not None:
        _create_private(path)
    engine = create_project_engine(url)
    try:
        if path is None:
            kind = identify_database(engine, url)
        elif kind is Kind.PROJECT:
            backup_on_open(path, current_revision(engine), head_revision(), known_revisions())
    except BaseException:
        engine.dispose()
        raise
    return engine, kind, None


def _read_only(path: Path, reason: str) -> Engine:
    engine = open_read_only(path, reason)
    try:
        current = current_revision(engine)
        if current != head_revision():
            raise read_only_error(
                f"{reason}; and it was written by "
                + ("a newer" if current not in known_revisions() else "an older")
                + f" version of Annotator (schema {current}), which this one can open only "
                "by upgrading it, a write")
    except BaseException:
        engine.dispose()
        raise
    return engine


def _create_private(path: Path) -> None:
    """A new project file readable by its owner only, whatever the umask (its -wal and
    -shm files take the same permissions)."""
    if path.exists():
        return
    try:
        create_private_file(path)
    except FileExistsError:
        pass  # created meanwhile by another Annotator opening the same new project
    except OSError as exc:
        raise AnnotatorError(f"cannot create the project {path}: {exc.strerror or exc}") from exc
