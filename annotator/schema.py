"""Bringing a project database's schema up to date with Alembic, or refusing a newer one."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from alembic.config import Config

_SCHEMA_LOCK = 0x616E6E70

# Alembic (~0.1 s to import, and a scan of the scripts) is imported only to migrate.


@contextmanager
def _config(connection: Connection | None = None) -> Iterator[Config]:
    from alembic.config import Config

    with as_file(files("annotator") / "migrations") as script_location:
        config = Config()
        config.set_main_option("script_location", str(Path(script_location)))
        if connection is not None:
            config.attributes["connection"] = connection
        yield config


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)


@cache
def _revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it revises, read from the scripts' text.

    Opening a project at the head revision (every opening but the first after an update)
    then needs no Alembic, whose import and script scan cost more than the rest of the
    check; Alembic runs only to migrate.
    """
    graph: dict[str, str | None] = {}
    for script in (files("annotator") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py") or script.name.startswith("__"):
            continue
        values = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        revision = ast.literal_eval(values["revision"])
        graph[revision] = ast.literal_eval(values.get("down_revision", "None"))
    return graph


def head_revision() -> str:
    """The newest schema revision this version knows (read without Alembic)."""
    graph = _revision_graph()
    revised = set(graph.values())
    [head] = [revision for revision in graph if revision not in revised]
    return head


def known_revisions() -> set[str]:
    """Every schema revision this version can open or migrate from."""
    return set(_revision_graph())


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the project (None for a database without one)."""
    with engine.connect() as connection:
        return _stored_revision(connection)


def _stored_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise AnnotatorError(
            "this project has more than one schema revision; nothing was changed"
        )
    return rows[0] if rows else None


def upgrade(
    engine: Engine, target: str = "head", seed: Callable[[Session], None] | None = None
) -> bool:
    """Migrate to ``target``; returns True when the database was empty (a new project).

    A new project is also given its starting content by ``seed``, in the same transaction
    as its tables: a crash leaves either no project or a complete one.

    Refuses, without writing anything, a database that is not an Annotator project or whose
    schema revision this version does not know (written by a newer Annotator).
    """
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = _stored_revision(connection)
    if tables and "alembic_version" not in tables:
        raise AnnotatorError(
            "this database is not an Annotator project (it has other tables); nothing was changed"
        )
    if current is not None and current not in known_revisions():
        raise AnnotatorError(
            f"this project was written by a newer version of Annotator (schema {current}); "
            "update Annotator to open it. The project was left untouched."
        )
    if current == head_revision() and target == "head":
        return False
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two first openings of an empty server database at once: the second waits,
            # then finds the tables made (Alembic reads the revision after the lock).
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            tables = set(inspect(connection).get_table_names())
        with _config(connection) as config:
            command.upgrade(config, target)
        if seed is not None and not tables:
            with Session(bind=connection) as session:
                seed(session)
                session.flush()
    return not tables
