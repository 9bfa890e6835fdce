"""What every part of the service shares: the engine, sessions, the current user, lookups."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn, TypeVar, cast

from sqlalchemy import Connection, Engine, RootTransaction, Table, insert, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from annotator.backups import make_backup
from annotator.changes import Changes, ChangeSet
from annotator.database import WRITES, describe
from annotator.errors import AnnotatorError
from annotator.models import Annotation, Annotator, Document, Label
from annotator.read_only import read_only_error
from annotator.service.activity import WAIT_LIMIT, announced, holder
from annotator.service.changelog import (
    LogState,
    changes_since,
    last_seq,
    log_state,
    operation_at,
    serialise_writers,
    write_log,
)
from annotator.service.checks import check_annotator_name
from annotator.service.follow import ChangeFollower

Subscriber = Callable[[Changes], None]
Executor = Session | Connection
"""What a write's statements run on: an ORM session, or a Core connection (small writes)."""
_T = TypeVar("_T")


def aware(value: datetime | str) -> datetime:
    """Stored times are naive UTC; records carry the zone so they print unambiguously.

    Also takes SQLite's stored text (read raw by hot queries, where parsing it in C is
    several times faster than the generic type conversion).
    """
    if isinstance(value, str):
        clock = value[10:]
        if len(value) > 10 and not ("+" in clock or "-" in clock or clock.endswith("Z")):
            # Appending the zone is several times faster than datetime.replace(tzinfo=...).
            return datetime.fromisoformat(value + "+00:00")
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class ProjectBase:
    """Holds the connection to one project database and the name of the current user."""

    def __init__(
        self, engine: Engine, url: URL, user: str, *, read_only_reason: str | None = None
    ) -> None:
        self._engine = engine
        self._read_only_reason = read_only_reason
        self._url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_engine = engine.execution_options(**{WRITES: True})
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        # Annotators are never renamed or removed, so a committed one's key stays valid for
        # the life of the project, in this process and every other.
        self._annotator_keys: dict[str, int] = {}
        self.user = _valid_user(user)
        # Names this open project in the change log, so that following the log it can
        # skip what it wrote itself (already published to its subscribers).
        self.origin = str(uuid.uuid4())
        self._subscribers: list[Subscriber] = []
        self._subscribers_lock = threading.Lock()
        self.waiting: Callable[[str], None] | None = None
        """Told "waiting for <what holds the lock>…" while a write waits behind another
        (called in the writing thread); None: wait silently."""

    @property
    def location(self) -> str:
        """The project's file path, or its database URL with the password hidden."""
        return describe(self._url)

    @property
    def read_only(self) -> bool:
        """Whether every write is refused (see :attr:`read_only_reason`)."""
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        """Why the project is read-only (asked, or its file or folder cannot be written),
        or None when it can be written."""
        return self._read_only_reason

    def _require_writable(self) -> None:
        if self._read_only_reason is not None:
            raise read_only_error(self._read_only_reason)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine of the project database."""
        return self._engine

    @property
    def file_path(self) -> Path | None:
        """The project file of an SQLite project; None for a server database."""
        if self._url.get_backend_name() == "sqlite" and self._url.database:
            return Path(self._url.database)
        return None

    def _back_up(self, reason: str) -> None:
        """A backup before a big change (see :mod:`annotator.backups`); SQLite files only."""
        self._require_writable()  # the change it precedes would be refused anyway
        path = self.file_path
        if path is not None:
            make_backup(path, reason)

    def set_user(self, name: str) -> None:
        """Change who the following writes are attributed to."""
        self.user = _valid_user(name)

    def close(self) -> None:
        """Close every connection to the database; the project is unusable afterwards."""
        self._engine.dispose()

    def __enter__(self) -> ProjectBase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, announce: str | None = None) -> Iterator[Session]:
        """One session and one transaction: committed on success, rolled back on any error.

        ``announce``: a long write (a merge) says beside the project what holds the lock,
        so that writers waiting behind it can tell their user (:mod:`.activity`).
        """
        self._require_writable()
        session, transaction = self._locked(self._begin_session)
        with _refusals():
            note = (announced(self.file_path, announce, self.user) if announce
                    else nullcontext())
            with session, transaction, note:
                yield session

    def _begin_session(self) -> tuple[Session, SessionTransaction]:
        session = self._write_sessions()
        transaction = session.begin()
        try:
            serialise_writers(session.connection())  # SQLite: BEGIN IMMEDIATE, the lock
        except BaseException:
            transaction.rollback()
            session.close()
            raise
        return session, transaction

    def _begin_connection(self) -> tuple[Connection, RootTransaction]:
        connection = self._write_engine.connect()
        try:
            transaction = connection.begin()  # SQLite: BEGIN IMMEDIATE, the lock
            serialise_writers(connection)
        except BaseException:
            connection.close()
            raise
        return connection, transaction

    def _locked(self, begin: Callable[[], _T]) -> _T:
        """``begin()``: a transaction that holds the write lock. While another writer holds
        it, says what that is through :attr:`waiting` and tries again, up to a limit."""
        first_refusal: float | None = None
        while True:
            try:
                return begin()
            except OperationalError as exc:
                if not _busy(exc):
                    raise AnnotatorError(f"the database refused the change: {exc.orig}") from exc
                now = time.monotonic()
                first_refusal = now if first_refusal is None else first_refusal
                what = holder(self.file_path)
                if now - first_refusal > WAIT_LIMIT:
                    raise AnnotatorError(
                        f"the project stayed locked for {WAIT_LIMIT // 60} minutes by {what}; "
                        "nothing was changed") from exc
                if self.waiting is not None:
                    self.waiting(f"waiting for {what}…")

    @contextmanager
    def _writing(
        self, action: str, *, announce: bool = False,
        committing: Callable[[], None] | None = None,
    ) -> Iterator[tuple[Session, ChangeSet]]:
        """A write transaction that records what it changed.

        The caller fills the :class:`ChangeSet`; it is appended to the change log in the
        same transaction, and once committed published to every subscriber. ``announce``:
        a long one (a merge, an annotation import), which writers waiting are told about.
        ``committing`` is called when all that is left is the commit.
        """
        changes = ChangeSet(action)
        with self._transaction(action if announce else None) as session:
            yield session, changes
            changes.seq = write_log(session.connection(), changes, self.user, self.origin)
            if committing is not None:
                committing()
        if changes:
            self._publish(changes.freeze())

    @contextmanager
    def _writing_rows(self, action: str) -> Iterator[tuple[Connection, ChangeSet]]:
        """:meth:`_writing` for a small write of plain statements (a key press): the same
        lock, log, refusals and publishing, on a Core connection. Without an ORM session
        the write costs about half the CPU."""
        self._require_writable()
        changes = ChangeSet(action)
        connection, transaction = self._locked(self._begin_connection)
        with _refusals(), connection, transaction:
            yield connection, changes
            changes.seq = write_log(connection, changes, self.user, self.origin)
        if changes:
            self._publish(changes.freeze())

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber(changes)`` after every write this project object commits.

        It is called in the thread that made the write (a GUI marshals it to its own
        thread). Returns a function that unsubscribes.
        """
        with self._subscribers_lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._subscribers_lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def _publish(self, changes: Changes) -> None:
        with self._subscribers_lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(changes)

    def last_change(self) -> int:
        """The sequence number of the newest change in the project's change log."""
        with self._reading() as session:
            return last_seq(session)

    def change_operation(self, seq: int) -> str | None:
        """Which write made change ``seq`` (None: the log has no such change). A follower
        compares it over time: a different answer means the log was replaced (a backup was
        restored), so what it saw before is no longer the project's history."""
        with self._reading() as session:
            return operation_at(session, seq)

    def log_state(self, seq: int) -> LogState:
        """Where the change log stands from change ``seq``: the write that made it, the
        newest change and its write, and whether anyone but this object wrote after seq
        (one cheap read; a follower uses it to skip reading back this object's own writes,
        which its subscribers were told of already)."""
        with self._reading() as session:
            return log_state(session, seq, self.origin)

    def forget_cache(self) -> None:
        """Forget what this object remembers of the database's rows (annotators' keys):
        after the database was replaced under it, by restoring a backup."""
        self._annotator_keys.clear()

    def changes_since(self, seq: int, *, include_own: bool = False) -> Changes:
        """What was committed after change ``seq`` (by anyone: the CLI, another window, a
        colleague on the server). This object's own writes are left out unless
        ``include_own``: its subscribers were told of them already. The result's ``seq`` is
        where to continue from."""
        with self._reading() as session:
            return changes_since(session, seq, None if include_own else self.origin)

    def follow(self) -> ChangeFollower:
        """A follower to poll for what others commit to this project (see
        :class:`~annotator.service.follow.ChangeFollower`); close it when done."""
        return ChangeFollower(self)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """One session for reads; nothing it does is committed."""
        try:
            with self._sessions() as session:
                yield session
        except OperationalError as exc:
            raise AnnotatorError(f"cannot read the project: {exc.orig}") from exc
        except UnicodeEncodeError as exc:
            raise AnnotatorError(_UNSTORABLE) from exc

    # Lookups shared by the parts; each raises AnnotatorError for an unknown name or id.

    @staticmethod
    def _document_row(session: Session, document_id: str, *, deleted: bool = False
                      ) -> Document:
        """A document's row; a deleted one is refused unless ``deleted`` (restoring it)."""
        row = session.scalar(select(Document).where(Document.uuid == str(document_id)))
        if row is None:
            raise AnnotatorError(f"no document with id {document_id}")
        if row.deleted and not deleted:
            raise AnnotatorError(_deleted_message(row.title))
        return row

    @staticmethod
    def _document_pk(session: Session, document_id: str) -> int:
        """The local key of a live document, without loading its text."""
        found = session.execute(select(Document.id, Document.deleted, Document.title)
                                .where(Document.uuid == str(document_id))).first()
        if found is None:
            raise AnnotatorError(f"no document with id {document_id}")
        if found[1]:
            raise AnnotatorError(_deleted_message(found[2]))
        return int(found[0])

    @staticmethod
    def _no_live_document(session: Executor, document_id: str) -> NoReturn:
        """Raise why no live document has that id (unknown, or deleted)."""
        title = session.scalar(select(Document.title).where(Document.uuid == str(document_id)))
        if title is None:
            raise AnnotatorError(f"no document with id {document_id}")
        raise AnnotatorError(_deleted_message(title))

    @staticmethod
    def _document_length(session: Session, document_pk: int) -> int:
        """The stored length, so that a keystroke on a 1 MB document neither loads nor
        measures its text."""
        length = session.scalar(select(Document.chars).where(Document.id == document_pk))
        if length is None:
            raise AnnotatorError("the annotation's document is missing")
        return int(length)

    @staticmethod
    def _live_annotation(session: Session, annotation_id: str) -> Annotation:
        row = session.get(Annotation, annotation_id)
        if row is None or row.deleted:
            raise AnnotatorError(f"no annotation with id {annotation_id}")
        return row

    @staticmethod
    def _label_row(session: Session, name: str) -> Label:
        row = session.scalar(select(Label).where(Label.name == name, Label.removed.is_(False)))
        if row is None:
            raise AnnotatorError(f"no label named {name!r}")
        return row

    def _annotator_pk(self, session: Executor, name: str) -> int:
        """The key of the annotator of that name, created on first use."""
        known = self._annotator_keys.get(name)
        if known is not None:
            return known
        pk = session.scalar(select(Annotator.id).where(Annotator.name == name))
        if pk is not None:
            # Found, so committed: safe to remember (one created below might roll back).
            self._annotator_keys[name] = pk
            return int(pk)
        return int(session.execute(_NEW_ANNOTATOR, {"name": name}).scalar_one())


_NEW_ANNOTATOR = insert(cast(Table, Annotator.__table__)).returning(Annotator.id)


@contextmanager
def _refusals() -> Iterator[None]:
    """What the database refuses in a write, said as an AnnotatorError."""
    try:
        yield
    except IntegrityError as exc:
        raise AnnotatorError(f"the change conflicts with existing data: {exc.orig}") from exc
    except OperationalError as exc:
        raise AnnotatorError(f"the database refused the change: {exc.orig}") from exc
    except UnicodeEncodeError as exc:
        raise AnnotatorError(_UNSTORABLE) from exc


def _deleted_message(title: str) -> str:
    return f"the document {title!r} was deleted (restore it to use it again)"


_UNSTORABLE = (
    "a name or text contains characters that are not valid Unicode; "
    "was it typed in another encoding?"
)


def ensure_annotators(session: Session, names: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Local ids of every annotator (those named created if missing), and the names created."""
    rows = session.execute(select(Annotator.name, Annotator.id))
    ids: dict[str, int] = {name: pk for name, pk in rows}
    created: list[str] = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        if name not in ids:
            check_annotator_name(name, "an annotator's name")
            row = Annotator(name=name)
            session.add(row)
            session.flush()
            ids[name] = row.id
            created.append(name)
    return ids, created


def _busy(exc: OperationalError) -> bool:
    """Whether another writer holds the lock (SQLITE_BUSY / SQLITE_LOCKED)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code in (5, 6) or "database is locked" in str(exc.orig)


def _valid_user(name: str) -> str:
    return check_annotator_name(name)
