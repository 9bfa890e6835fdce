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
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.service.tables import collect

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    with as_file(files("annotator") / "migrations") as location:
        config = Config()
        config.set_main_option("script_location", str(Path(location)))
        return {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}


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
        try:
            yield connection
        finally:
            connection.close()


def read_project_file(path: Path) -> dict[str, Any]:
    """The payload of every table of the project file at ``path``; refuses newer schemas."""
    try:
        with _read_only(path) as connection:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables or "annotations" not in tables:
                raise AnnotatorError(f"{path} is not an Annotator project file")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] not in known_revisions():
                raise AnnotatorError(
                    f"{path} was written by a newer version of Annotator (schema "
                    f"{revision[0] if revision else 'unknown'}); update Annotator to merge it"
                )

            def execute(sql: str) -> Iterable[Sequence[Any]]:
                return connection.execute(sql)

            return collect(execute, tables)
    except sqlite3.DatabaseError as exc:
        raise AnnotatorError(f"cannot read the project file {path}: {exc}") from exc
    except OSError as exc:
        raise AnnotatorError(f"cannot read the project file {path}: {exc.strerror or exc}") from exc
