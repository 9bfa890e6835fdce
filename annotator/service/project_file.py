"""Reading a colleague's project file without changing it in any way.

SQLite would create ``-wal`` and ``-shm`` files beside a write-ahead-logged database even
when opened read-only. A project that was closed properly has no ``-wal`` file, so it is
opened as immutable (no side files, no locks). If a ``-wal`` file exists (the colleague's
application is open, or crashed), the database and its log are copied to a temporary
folder and the copy is read, so their latest work is included and their files untouched.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.schema import known_revisions
from annotator.service.tables import collect

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    wal = Path(f"{path}-wal")
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        if wal.exists():
            copy = Path(folder) / "source.db"
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, Path(f"{copy}-wal"))
            uri = f"{copy.as_uri()}?mode=ro"
        else:
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True)
        _bound(connection)
        try:
            yield connection
        finally:
            connection.close()


# Every table collect() reads; a view or a virtual table under one of these names could
# run any query (a recursive view never ends), so each must be a plain table.
_READ_TABLES = ("alembic_version", "labels", "documents", "annotators", "annotations",
                "document_status")
_OPTIONAL_TABLES = ("reviews", "annotation_history", "annotation_origin", "relation_origin")
# A foreign file's queries get a budget: SQLite virtual-machine steps, and the longest text
# or blob any value may have (a generated column could otherwise make gigabytes per row).
MAX_STEPS = 4_000_000_000
MAX_VALUE = 512 << 20
_STEPS_PER_CHECK = 100_000


def _bound(connection: sqlite3.Connection) -> None:
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
    steps = [0]

    def over_budget() -> int:
        steps[0] += _STEPS_PER_CHECK
        return int(steps[0] > MAX_STEPS)

    connection.set_progress_handler(over_budget, _STEPS_PER_CHECK)


def _check_tables(connection: sqlite3.Connection, path: Path) -> set[str]:
    kinds = {
        row[0]: (row[1], row[2] or "")
        for row in connection.execute("SELECT name, type, sql FROM sqlite_master")
    }
    if "alembic_version" not in kinds or "annotations" not in kinds:
        raise AnnotatorError(f"{path} is not an Annotator project file")
    for name in (*_READ_TABLES, *(n for n in _OPTIONAL_TABLES if n in kinds)):
        kind, sql = kinds.get(name, ("missing", ""))
        if kind != "table" or sql.upper().startswith("CREATE VIRTUAL"):
            raise AnnotatorError(
                f"{path} is not an Annotator project file ({name} is not a plain table)"
            )
    return {name for name, (kind, _sql) in kinds.items() if kind == "table"}


def read_project_file(path: Path) -> dict[str, Any]:
    """The payload of every table of the project file at ``path``; refuses newer schemas."""
    try:
        with _read_only(path) as connection:
            tables = _check_tables(connection, path)
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] not in known_revisions():
                raise AnnotatorError(
                    f"{path} was written by a newer version of Annotator (schema "
                    f"{revision[0] if revision else 'unknown'}); update Annotator to merge it"
                )

            def execute(sql: str) -> Iterable[Sequence[Any]]:
                return connection.execute(sql)

            columns = {row[1] for row in connection.execute("PRAGMA table_info(documents)")}
            return collect(execute, tables, document_edits={"updated", "deleted"} <= columns)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise AnnotatorError(
                f"cannot read the project file {path}: reading it takes too long "
                f"(more than {MAX_STEPS:,} steps; is it damaged?)"
            ) from exc
        raise AnnotatorError(f"cannot read the project file {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise AnnotatorError(f"cannot read the project file {path}: {exc}") from exc
    except OSError as exc:
        raise AnnotatorError(f"cannot read the project file {path}: {exc.strerror or exc}") from exc
