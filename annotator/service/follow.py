"""Following a project's change log from an open window (or any long-lived client).

:class:`ChangeFollower` is polled (a GUI polls a few times a second). Most polls cost no
query at all: on SQLite, ``PRAGMA data_version`` on a connection of its own changes only
when another connection committed (the project's own writes included: its writer is another
connection; one cheap read then tells whether anyone else wrote, and only then is the log
read back); on PostgreSQL, ``LISTEN`` wakes it, and every few
seconds it reads the log anyway, so a missed notification only delays a change. The log
itself is always the truth, unless it was replaced: a restored backup brings its own log,
which is not a continuation of what the follower saw. The follower notices (the change it
stopped at was written by another operation now, or is gone) and reports a reset, so views
reload everything instead of applying a partial diff.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from sqlalchemy import Engine

from annotator.changes import Changes
from annotator.errors import AnnotatorError
from annotator.service.changelog import NOTIFY_CHANNEL, LogState

# On servers, read the log at least this often even without a notification.
CATCH_UP_SECONDS = 5.0


class _Followed(Protocol):
    @property
    def engine(self) -> Engine: ...

    def last_change(self) -> int: ...

    def changes_since(self, seq: int, *, include_own: bool = False) -> Changes: ...

    def change_operation(self, seq: int) -> str | None: ...

    def log_state(self, seq: int) -> LogState: ...

    def forget_cache(self) -> None: ...


class ChangeFollower:
    """Reports what others committed since it last looked; not thread-safe (one poller)."""

    def __init__(self, project: _Followed) -> None:
        self._project = project
        self._probe = _probe(project.engine)
        self.seq = project.last_change()
        self._anchor = project.change_operation(self.seq)

    def poll(self, wait: float = 0.0) -> Changes | None:
        """What changed since the last poll (None: nothing), this project's writes aside.

        ``wait``: on a server, block up to that many seconds for a notification first.
        """
        try:
            moved = self._probe.changed(wait)
        except Exception as exc:  # the driver's own error types differ per backend
            raise AnnotatorError(f"cannot look for changes: {exc}") from exc
        if not moved:
            return None
        project = self._project
        state = project.log_state(self.seq)
        if state.operation != self._anchor:
            # The log is not the one followed so far: the project was replaced (a restore).
            project.forget_cache()
            self.seq, self._anchor = state.head, state.head_operation  # the new log's head
            return Changes(action="project replaced", seq=self.seq, reset=True)
        if not state.others_since:
            # Only this project's own commits moved the log (a window's key press): its
            # subscribers had each of them as it committed, so nothing is read back.
            self.seq, self._anchor = state.head, state.head_operation
            return None
        changes = project.changes_since(self.seq)
        if changes.seq > self.seq:
            self.seq = changes.seq
            self._anchor = project.change_operation(self.seq)
        return changes if changes else None

    def close(self) -> None:
        self._probe.close()


class _Probe(Protocol):
    def changed(self, wait: float) -> bool: ...

    def close(self) -> None: ...


def _probe(engine: Engine) -> _Probe:
    if engine.dialect.name == "sqlite":
        return _SqliteProbe(engine)
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        return _PostgresProbe(engine)
    return _AlwaysProbe()


class _AlwaysProbe:
    """Other databases: read the (indexed, cheap) log on every poll."""

    def changed(self, wait: float) -> bool:
        return True

    def close(self) -> None:
        return None


class _SqliteProbe:
    def __init__(self, engine: Engine) -> None:
        # A connection of its own: data_version only moves for commits by other connections.
        self._connection: Any = engine.raw_connection()
        self._version: int | None = None

    def changed(self, wait: float) -> bool:
        cursor = self._connection.cursor()
        try:
            version = int(cursor.execute("PRAGMA data_version").fetchone()[0])
        finally:
            cursor.close()
        moved = version != self._version
        self._version = version
        return moved

    def close(self) -> None:
        self._connection.close()


class _PostgresProbe:
    def __init__(self, engine: Engine) -> None:
        self._connection: Any = engine.raw_connection()
        driver: Any = self._connection.driver_connection
        driver.autocommit = True
        driver.execute(f"LISTEN {NOTIFY_CHANNEL}")
        self._driver = driver
        self._last_read = 0.0

    def changed(self, wait: float) -> bool:
        notified = any(True for _ in self._driver.notifies(timeout=wait, stop_after=1))
        now = time.monotonic()
        if notified or now - self._last_read >= CATCH_UP_SECONDS:
            self._last_read = now
            # Drain the rest: one read of the log covers every notification so far.
            for _ in self._driver.notifies(timeout=0):
                pass
            return True
        return False

    def close(self) -> None:
        # Never hand an autocommit, listening connection back to the pool.
        self._connection.invalidate()
