"""The change log: writing a write's :class:`ChangeSet` and reading what changed since.

Rows are written as the last statements of the write's own transaction, so the log holds
exactly the committed changes. On PostgreSQL a transaction-scoped advisory lock serialises
writers of the log (sequence values are taken at insert, not at commit: without the lock a
reader could see seq 10 before seq 9 commits and skip 9 for ever), and ``pg_notify`` wakes
followers; the log stays the truth, so a follower that missed a notification catches up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, Table, bindparam, exists, func, insert, select, text
from sqlalchemy.orm import Session

from annotator.changes import (
    ADDED,
    ANNOTATION,
    DOCUMENT,
    LABEL,
    RELATION,
    RELATION_TYPE,
    REVIEW,
    STATUS,
    SUGGESTION,
    Changes,
    ChangeSet,
)
from annotator.models import Annotation, ChangeLogEntry, Document, utcnow
from annotator.service.bulk import chunks, execute_many
from annotator.service.prepared import Prepared

NOTIFY_CHANNEL = "annotator_changes"
# An arbitrary constant naming the log's lock among the server's advisory locks.
_LOG_LOCK = 0x616E6E6F
# More rows than this since a follower's position: reload instead of listing them.
RESET_AFTER = 50_000
_LOG = cast(Table, ChangeLogEntry.__table__)
# One key press, one log row: compiled once (see annotator.service.prepared).
_LOG_RETURNING_SEQ = Prepared(insert(_LOG).returning(_LOG.c.seq), [
    "origin", "operation", "action", "actor", "at", "kind", "change", "key", "document"])


def serialise_writers(connection: Connection) -> None:
    """On PostgreSQL, wait until no other write transaction runs: writers take turns as on
    SQLite (BEGIN IMMEDIATE). Under READ COMMITTED each later statement then sees what the
    previous writer committed, so "is this text / annotator / bundle row there already?"
    cannot be answered "no" to two writers at once (duplicate documents, refused first
    annotations and refused concurrent merges came from that)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOG_LOCK})


def write_log(connection: Connection, changes: ChangeSet, actor: str, origin: str) -> int:
    """Append ``changes`` to the log inside the caller's transaction; returns the last seq."""
    if not changes:
        return 0
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOG_LOCK})
    operation, now = str(uuid.uuid4()), utcnow()
    base = {"origin": origin, "operation": operation, "action": changes.action[:80],
            "actor": actor, "at": now}
    rows = [{**base, **row} for row in _rows(changes)]
    if len(rows) == 1:
        # The key press: RETURNING hands back the new number, no second statement.
        returned = _LOG_RETURNING_SEQ.first(connection, rows[0])
        assert returned is not None  # an insert returning its key returns a row
        seq = int(returned[0])
    else:
        execute_many(connection, insert(_LOG), rows)
        seq = int(connection.scalar(select(func.max(_LOG.c.seq))) or 0)
    if postgres:
        connection.execute(text("SELECT pg_notify(:channel, :seq)"),
                           {"channel": NOTIFY_CHANNEL, "seq": str(seq)})
    return seq


def _rows(changes: ChangeSet) -> Iterator[dict[str, Any]]:
    for key, what in changes.documents.items():
        yield {"kind": DOCUMENT, "change": what, "key": key, "document": key}
    for key, what in changes.labels.items():
        yield {"kind": LABEL, "change": what, "key": key, "document": None}
    for key, what in changes.annotations.items():
        yield {"kind": ANNOTATION, "change": what, "key": key,
               "document": changes.annotation_documents.get(key)}
    for (document, annotator), what in changes.statuses.items():
        yield {"kind": STATUS, "change": what, "key": annotator, "document": document}
    for key, document in changes.reviews.items():
        yield {"kind": REVIEW, "change": ADDED, "key": key, "document": document}
    for key, what in changes.relation_types.items():
        yield {"kind": RELATION_TYPE, "change": what, "key": key, "document": None}
    for key, what in changes.relations.items():
        yield {"kind": RELATION, "change": what, "key": key,
               "document": changes.relation_documents.get(key)}
    for key, document in changes.suggestions.items():
        yield {"kind": SUGGESTION, "change": ADDED, "key": key, "document": document}


def operation_at(session: Session, seq: int) -> str | None:
    """The operation that wrote change ``seq`` (None: no such change)."""
    return session.scalar(select(_LOG.c.operation).where(_LOG.c.seq == seq))


def last_seq(session: Session) -> int:
    """The newest sequence number in the log (0 when it is empty)."""
    return int(session.scalar(select(func.max(_LOG.c.seq))) or 0)


class LogState(NamedTuple):
    """Where the change log stands for a follower at change ``seq`` (see :func:`log_state`)."""

    operation: str | None  # the write that made change seq (None: no such change)
    head: int  # the newest seq in the log (0: empty)
    head_operation: str | None  # the write that made the newest change
    others_since: bool  # a change after seq was written by another origin


_HEAD = select(func.max(_LOG.c.seq)).scalar_subquery()
# One read, four answers; built once (a follower asks after every commit it notices).
_LOG_STATE = select(
    select(_LOG.c.operation).where(_LOG.c.seq == bindparam("seq")).scalar_subquery(),
    _HEAD,
    select(_LOG.c.operation).where(_LOG.c.seq == _HEAD).scalar_subquery(),
    exists().where(_LOG.c.seq > bindparam("seq"), _LOG.c.origin != bindparam("origin")),
)


def log_state(session: Session, seq: int, origin: str) -> LogState:
    """The log seen from change ``seq`` by the writer ``origin``, in one cheap read (the
    primary key's index and the few rows after seq): whether anyone else wrote since, so a
    follower whose own writes moved the log need not read them back."""
    operation, head, head_operation, others = session.execute(
        _LOG_STATE, {"seq": seq, "origin": origin}).one()
    return LogState(operation, int(head or 0), head_operation, bool(others))


def changes_since(session: Session, seq: int, exclude_origin: str | None = None) -> Changes:
    """Everything logged after ``seq``, as one :class:`Changes` (its ``seq`` is the newest
    row read, excluded origins included, so a follower advances past its own writes)."""
    query = (
        select(_LOG.c.seq, _LOG.c.origin, _LOG.c.kind, _LOG.c.change, _LOG.c.key,
               _LOG.c.document)
        .where(_LOG.c.seq > seq)
        .order_by(_LOG.c.seq)
        .limit(RESET_AFTER + 1)
    )
    rows = session.execute(query).all()
    if not rows:
        return Changes(seq=seq)
    if len(rows) > RESET_AFTER:
        return Changes(action="many changes", seq=last_seq(session), reset=True)
    built = ChangeSet("changes made elsewhere")
    for _seq, origin, kind, change, key, document in rows:
        if exclude_origin is not None and origin == exclude_origin:
            continue
        _replay(built, kind, change, key, document)
    built.seq = int(rows[-1][0])
    return built.freeze()


def _replay(built: ChangeSet, kind: str, change: str, key: str, document: str | None) -> None:
    if kind == ANNOTATION:
        built.annotation(key, document or "", change)
    elif kind == DOCUMENT:
        built.document(key, change)
    elif kind == LABEL:
        built.label(key, change)
    elif kind == STATUS and document is not None:
        built.status(document, key)
    elif kind == REVIEW and document is not None:
        built.review(key, document)
    elif kind == RELATION:
        built.relation(key, document or "", change)
    elif kind == RELATION_TYPE:
        built.relation_type(key, change)
    elif kind == SUGGESTION and document is not None:
        built.suggestion(key, document)


def note_annotations(
    session: Session, changes: ChangeSet, ids: Iterable[str], what: str
) -> None:
    """Record annotations changed in bulk, looking up their documents."""
    for document, annotation_id in _documents_of(session, ids):
        changes.annotation(annotation_id, document, what)


def note_reviews(session: Session, changes: ChangeSet, annotation_ids: Iterable[str]) -> None:
    """Record reviews added to these annotations, looking up their documents."""
    for document, annotation_id in _documents_of(session, annotation_ids):
        changes.review(annotation_id, document)


def _documents_of(session: Session, ids: Iterable[str]) -> Iterator[tuple[str, str]]:
    for chunk in chunks(sorted(set(ids))):
        yield from session.execute(
            select(Document.uuid, Annotation.id)
            .join(Document, Annotation.document_id == Document.id)
            .where(Annotation.id.in_(chunk))
        )
