"""Bringing a project database's schema up to date with Alembic, or refusing a newer one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from alembic.config import Config

_SCHEMA_LOCK = 0x616E6E70

# Alembic (~0.1 s to import) is imported where a project is opened, not when the CLI starts.


@contextmanager
def _config(connection: Connection | None = None) -> Iterator[Config]:
    from alembic.config import Config

    with as_file(files("annotator") / "migrations") as script_location:
        config = Config()
        config.set_main_option("script_location", str(Path(script_location)))
        if connection is not None:
            config.attributes["connection"] = connection
        yield config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    with _config() as config:
        head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    with _config() as config:
        return {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(
    engine: Engine, target: str = "head", seed: Callable[[Session], None] | None = None
) -> bool:
    """Migrate to ``target``; returns True when the database was empty (a new project).

    A new project is also given its starting content by ``seed``, in the same transaction
    as its tables: a crash leaves either no project or a complete one.

    Refuses, without writing anything, a database that is not an Annotator project or whose
    schema revision this version does not know (written by a newer Annotator).
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = MigrationContext.configure(connection).get_current_revision()
    if tables and "alembic_version" not in tables:
        raise AnnotatorError(
            "this database is not an Annotator project (it has other tables); nothing was changed"
        )
    with _config() as config:
        script = ScriptDirectory.from_config(config)
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise AnnotatorError(
                f"this project was written by a newer version of Annotator (schema {current}); "
                "update Annotator to open it. The project was left untouched."
            )
        if current == script.get_current_head() and target == "head":
            return False
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
