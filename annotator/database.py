"""Engines for project databases: connection settings, and the schema brought up to date on open.

Only the connection settings here know about SQLite; everything else in the core is portable
to any database SQLAlchemy supports (PostgreSQL for teams).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from annotator.errors import AnnotatorError

BUSY_TIMEOUT_MS = 10_000
WRITE_ATTEMPT_MS = 2_000
"""How long one attempt to begin a write waits for the lock; the service then says what it
waits for and tries again (:mod:`annotator.service.activity`)."""
WRITES = "annotator_writes"
"""Execution option marking the engine that write transactions run on."""
UTF8_TEXT = "annotator_utf8_text"
"""Connection info key: True on an SQLite connection made with ``PARSE_COLNAMES`` to a
UTF-8 database, where a result column named ``"x [annotator_utf8]"`` is decoded by
:data:`UTF8_CONVERTER` (see :mod:`annotator.service.document_annotations`)."""
UTF8_CONVERTER = "annotator_utf8"
# sqlite3 gives up and retakes the GIL around every column it reads without a converter
# (with SQLite's own mutex, ~40 % of the instructions of a document's read; converting its
# four text columns saves ~1.5 of ~10 ms per 10^4 annotations in a window's process); with
# one, a text column costs a bytes object and its decoding instead. Converters are looked
# up by upper-cased name in a registry of the whole process: this one name is ours.
sqlite3.register_converter(UTF8_CONVERTER, bytes.decode)
# Only columns named with [type] are converted: every other query reads as before.
_COLUMN_TYPES: dict[str, Any] = {"detect_types": sqlite3.PARSE_COLNAMES}


def _note_text_encoding(dbapi_connection: sqlite3.Connection, record: Any) -> None:
    """Mark the connection's record when converted text columns may be read (UTF8_TEXT)."""
    row = dbapi_connection.execute("PRAGMA encoding").fetchone()
    record.info[UTF8_TEXT] = row is not None and str(row[0]).upper() == "UTF-8"


def is_url(location: str) -> bool:
    return "://" in location


def to_url(location: str | os.PathLike[str]) -> URL:
    """A path becomes an SQLite URL; anything with a scheme is taken as an SQLAlchemy URL."""
    text = os.fspath(location)
    if is_url(text):
        try:
            return make_url(text)
        except ArgumentError as exc:
            raise AnnotatorError(f"not a valid database URL: {text!r}") from exc
    path = Path(text).expanduser()
    if path.is_dir():
        raise AnnotatorError(f"{path} is a folder, not a project file")
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


# Pages a connection keeps between transactions (at most, used only as read): SQLite's
# default, 2 MiB, is less than one large document's annotations, so opening a 5 MB document
# with 50,000 annotations read ~7 MiB of pages back from the OS every time (~25 ms more).
CACHE_PRAGMA = "PRAGMA cache_size = -32768"  # KiB: 32 MiB


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself so that DDL (migrations) is transactional too.
        dbapi_connection.isolation_level = None
        _note_text_encoding(dbapi_connection, record)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is not None and str(mode[0]).lower() not in {"wal", "memory"}:
            raise AnnotatorError(f"cannot use write-ahead logging on this file (got {mode[0]})")
        # FULL: a transaction that returned is on disk, even if the machine loses power.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(CACHE_PRAGMA)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write transaction takes the write lock up front. A deferred one that has read
        # cannot write once another process committed meanwhile (SQLITE_BUSY_SNAPSHOT fails
        # at once, whatever the busy timeout); BEGIN IMMEDIATE waits its turn instead.
        if not connection.get_execution_options().get(WRITES, False):
            _begin(connection, "BEGIN")
        else:
            _begin(connection, "BEGIN IMMEDIATE", WRITE_ATTEMPT_MS)


def _begin(connection: Any, statement: str, timeout_ms: int | None = None) -> None:
    """Run ``statement`` (a BEGIN) on the driver's connection itself, waiting at most
    ``timeout_ms`` for the lock (then the usual busy timeout again). A statement through
    SQLAlchemy costs ~50 times more CPU, and a key press paid three of them. Errors are
    SQLAlchemy's, as if it had run the statement."""
    driver = connection.connection.driver_connection
    try:
        if timeout_ms is None:
            driver.execute(statement)
            return
        driver.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        try:
            driver.execute(statement)
        finally:
            driver.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc


def _configure_sqlite_read_only(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        dbapi_connection.isolation_level = None
        _note_text_encoding(dbapi_connection, record)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Nothing that would persist (journal mode, synchronous): the file is only read.
        cursor.execute("PRAGMA query_only = ON")
        cursor.execute(CACHE_PRAGMA)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        _begin(connection, "BEGIN")


def read_only_engine(path: Path, *, immutable: bool) -> Engine:
    """An engine that only reads the SQLite file at ``path`` (``mode=ro``); ``immutable``
    also tells SQLite nobody changes it, so it needs no lock or ``-shm`` file beside it
    (for a folder that cannot hold one)."""
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False,
                               detect_types=sqlite3.PARSE_COLNAMES)

    url = URL.create("sqlite+pysqlite", database=str(path))
    # The URL picks the dialect and pool of a file database; the creator, the URI.
    engine = create_engine(url, creator=connect, pool_size=4, max_overflow=4)
    _configure_sqlite_read_only(engine)
    return _checked(engine, url)


def create_project_engine(url: URL) -> Engine:
    """An engine with the project's connection settings; raises AnnotatorError if unusable."""
    try:
        if url.get_backend_name() == "sqlite":
            # A pool of kept-open connections (SQLAlchemy lets them move between the GUI's
            # worker threads): closing the last WAL connection checkpoints, which would cost
            # every keystroke's commit several milliseconds.
            engine = create_engine(url, pool_size=4, max_overflow=4, connect_args=_COLUMN_TYPES)
            _configure_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError as exc:
        raise AnnotatorError(f"unsupported database URL {url.render_as_string()}: {exc}") from exc
    except ModuleNotFoundError as exc:
        raise AnnotatorError(
            f"the database driver for {url.drivername} is not installed ({exc.name}); "
            "for PostgreSQL install the extra: pip install 'annotator[postgres]'"
        ) from exc
    return _checked(engine, url)


def _checked(engine: Engine, url: URL) -> Engine:
    try:
        with engine.connect() as connection:
            inspect(connection).get_table_names()
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise AnnotatorError(f"cannot open {describe(url)}: {reason}") from exc
    return engine


def describe(url: URL) -> str:
    """How a location is shown to people: a file path, or the URL with its password hidden."""
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)
