"""The one upsert engine for annotations arriving from outside: bundles, project files and
every dataset format.

Annotations are matched by id, exactly (readers of formats without our ids adopt an
existing id first, see :mod:`annotator.service.ingest`). The rule, written once:

- an unknown id is added;
- the same content is unchanged (a newer ``updated`` on the incoming side is taken, so
  timestamps converge);
- otherwise the version with the later ``updated`` wins, and on equal times the greater
  :func:`rank` (a fixed order of the content, deletion first), so every project picks the
  same winner whatever order work arrives in. Tombstones are versions like any other;
- the losing version goes to ``annotation_history`` (once: a version already there is
  unchanged), so nothing is ever lost;
- one annotator never keeps two live annotations with the same span and label: such twins
  that involve incoming annotations are folded into the one with the smallest id (the
  others become tombstones), which again every project agrees on. An id a reader made up
  (formats without our ids) never wins over one that has a real identity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Row, Select, Table, bindparam, func, select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, REMOVED, UPDATED, ChangeSet
from annotator.models import Annotation, AnnotationVersion, Annotator, Document, Label, utcnow
from annotator.service.bulk import chunks, execute_many
from annotator.service.changelog import note_annotations

Content = tuple[int, int, str, str, str | None, bool]
HistoryKey = tuple[str, int, int, str, str, str | None, bool, datetime]

_ANNOTATIONS = cast(Table, Annotation.__table__)
_HISTORY = cast(Table, AnnotationVersion.__table__)
_BY_ID = _ANNOTATIONS.update().where(_ANNOTATIONS.c.id == bindparam("b_id"))


class _Versioned(Protocol):
    """Anything that is a version of an annotation (a Version, an AnnotationRecord)."""

    @property
    def id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def annotator(self) -> str: ...
    @property
    def note(self) -> str | None: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def updated(self) -> datetime: ...


def content(version: _Versioned) -> Content:
    """What makes two versions of an annotation the same (times aside)."""
    return (version.start, version.end, version.label, version.annotator, version.note,
            version.deleted)


def history_key(version: _Versioned) -> HistoryKey:
    """A version as ``annotation_history`` records it (naive UTC time)."""
    return (version.id, *content(version), version.updated.replace(tzinfo=None))


def history_row(key: HistoryKey, recorded: datetime, reason: str) -> dict[str, Any]:
    """The ``annotation_history`` row of a version (every writer of history uses this)."""
    return {
        "annotation_id": key[0], "start": key[1], "end": key[2], "label": key[3],
        "annotator": key[4], "note": key[5], "deleted": key[6], "updated": key[7],
        "recorded": recorded, "reason": reason[:40],
    }


class Version(NamedTuple):
    """One version of an annotation, as the engine compares and stores it.

    A named tuple, not a frozen dataclass: a merge makes one per incoming and per stored
    annotation, and a tuple is made several times faster.
    """

    id: str
    document_pk: int
    document: str
    start: int
    end: int
    label: str
    annotator: str
    note: str | None
    created: datetime
    updated: datetime
    deleted: bool
    made_up: bool = False
    """The reader made the id up (the format has none of ours): it never wins a fold."""

    @property
    def content(self) -> Content:
        return content(self)


@dataclass(frozen=True, slots=True)
class PastVersion:
    """A version from a source's own history, to be kept here too."""

    key: HistoryKey
    recorded: datetime
    reason: str


@dataclass(slots=True)
class Outcome:
    """What :func:`upsert` did; every incoming version is counted once as added, updated,
    unchanged or older."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    deletions: int = 0
    folded: int = 0
    history: int = 0
    current: set[str] = field(default_factory=set)
    """Ids whose stored version is now the incoming one."""
    elsewhere: list[Version] = field(default_factory=list)
    """Incoming versions whose id belongs to an annotation of another document (not
    applied: the caller refuses them)."""
    live_labels: set[str] = field(default_factory=set)


def rank(content: Content) -> tuple[bool, int, int, str, str, str]:
    """The tie-break between two versions with the same ``updated``."""
    start, end, label, annotator, note, deleted = content
    return (deleted, start, end, label, annotator, note or "")


def wins(incoming: Version, local: Version) -> bool:
    """Whether ``incoming`` replaces ``local`` (the module's rule)."""
    return (incoming.updated, rank(incoming.content)) > (local.updated, rank(local.content))


def existing_versions(session: Session, ids: Sequence[str]) -> dict[str, Version]:
    """The stored versions of these ids (deleted ones included)."""
    query = (
        select(Annotation.id, Annotation.document_id, Document.uuid, Annotation.start,
               Annotation.end, Label.name, Annotator.name, Annotation.note, Annotation.created,
               Annotation.updated, Annotation.deleted)
        .join(Document, Annotation.document_id == Document.id)
        .join(Label, Annotation.label_id == Label.id)
        .join(Annotator, Annotation.annotator_id == Annotator.id)
    )
    return {
        row[0]: Version(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                        row[9], bool(row[10]))
        for row in matching(session, query, Annotation.id, ids)
    }


def upsert(
    session: Session,
    incoming: Sequence[Version],
    existing: dict[str, Version],
    label_ids: dict[str, int],
    annotator_ids: dict[str, int],
    changes: ChangeSet,
    reason: str,
    past: Iterable[PastVersion] = (),
) -> Outcome:
    """Apply ``incoming`` over ``existing`` (from :func:`existing_versions`) by the rule."""
    outcome = Outcome()
    # An adopted id (a made-up one the reader matched to a stored annotation) is real.
    made_up = {v.id for v in incoming if v.made_up and v.id not in existing}

    def survivor_rank(annotation_id: str) -> tuple[bool, str]:
        return (annotation_id in made_up, annotation_id)

    incoming, twins = _without_twins(incoming, existing, survivor_rank)
    outcome.folded = len(twins)
    known = _recorded(session, list(existing))
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    replaced: list[dict[str, Any]] = []
    touched: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []

    def keep(key: HistoryKey, recorded: datetime, why: str) -> None:
        if key not in known:
            known.add(key)
            versions.append(history_row(key, recorded, why))

    for new in incoming:
        old = existing.get(new.id)
        if old is None:
            inserts.append(_row(new, label_ids, annotator_ids))
            existing[new.id] = new
            if new.id in twins:
                continue  # kept as a tombstone, counted as folded, never shown
            outcome.added += 1
            outcome.deletions += new.deleted
            changes.annotation(new.id, new.document, REMOVED if new.deleted else ADDED)
        elif old.document_pk != new.document_pk:
            outcome.elsewhere.append(new)
            continue
        elif old.content == new.content:
            outcome.unchanged += 1
            if new.updated > old.updated:
                touched.append({"b_id": new.id, "updated": new.updated})
                existing[new.id] = new
        elif wins(new, old):
            keep(history_key(old), now, f"{reason}: replaced by a newer version")
            row = _row(new, label_ids, annotator_ids)
            row["b_id"] = row.pop("id")
            del row["created"]
            replaced.append(row)
            existing[new.id] = new
            outcome.updated += 1
            outcome.deletions += new.deleted and not old.deleted
            what = UPDATED if new.deleted == old.deleted else (REMOVED if new.deleted else ADDED)
            changes.annotation(new.id, new.document, what)
        else:
            if history_key(new) in known:
                outcome.unchanged += 1
            else:
                keep(history_key(new), now, f"{reason}: older version")
                outcome.older += 1
            continue
        outcome.current.add(new.id)
        if not new.deleted:
            outcome.live_labels.add(new.label)
    for old_version in past:
        keep(old_version.key, old_version.recorded, old_version.reason)
    connection = session.connection()
    # Core executemany (the ORM's bulk path splits batches wherever a None appears).
    execute_many(connection, _ANNOTATIONS.insert(), inserts)
    for batch in (replaced, touched):
        execute_many(connection, _BY_ID, batch)
    execute_many(connection, _HISTORY.insert(), versions)
    outcome.history = len(versions)
    outcome.folded += _fold_twins(session, incoming, outcome.current, existing, changes,
                                  survivor_rank)
    return outcome


def _without_twins(
    incoming: Sequence[Version], existing: dict[str, Version],
    rank: Callable[[str], tuple[bool, str]],
) -> tuple[list[Version], set[str]]:
    """The incoming versions less the live twins within them, and how many were left out:
    a file that tags a passage twice adds it once, and again adds nothing. Of a set of
    twins the first by ``rank`` stays; the others, when new here, arrive as tombstones, so a
    note only they carry stays in the project (deleted, readable) instead of being
    dropped."""
    survivors: dict[tuple[Any, ...], str] = {}
    for v in incoming:
        if not v.deleted:
            key = (v.document_pk, v.start, v.end, v.label, v.annotator)
            held = survivors.get(key)
            survivors[key] = v.id if held is None else min(held, v.id, key=rank)
    kept: list[Version] = []
    folded: set[str] = set()
    for v in incoming:
        if v.deleted or survivors[(v.document_pk, v.start, v.end, v.label, v.annotator)] == v.id:
            kept.append(v)
            continue
        folded.add(v.id)
        if v.id not in existing:
            kept.append(v._replace(deleted=True))
    return kept, folded


def _row(v: Version, labels: dict[str, int], annotators: dict[str, int]) -> dict[str, Any]:
    return {
        "id": v.id, "document_id": v.document_pk, "start": v.start, "end": v.end,
        "label_id": labels[v.label], "annotator_id": annotators[v.annotator], "note": v.note,
        "created": v.created, "updated": v.updated, "deleted": v.deleted,
    }


def _recorded(session: Session, ids: Sequence[str]) -> set[HistoryKey]:
    query = select(
        AnnotationVersion.annotation_id, AnnotationVersion.start, AnnotationVersion.end,
        AnnotationVersion.label, AnnotationVersion.annotator, AnnotationVersion.note,
        AnnotationVersion.deleted, AnnotationVersion.updated,
    )
    return {
        (v[0], v[1], v[2], v[3], v[4], v[5], bool(v[6]), v[7])
        for v in matching(session, query, AnnotationVersion.annotation_id, ids)
    }


def _fold_twins(
    session: Session,
    incoming: Sequence[Version],
    current: set[str],
    stored: dict[str, Version],
    changes: ChangeSet,
    rank: Callable[[str], tuple[bool, str]],
) -> int:
    """Tombstone all but the first by ``rank`` among live twins (same annotator, document,
    span and label) that involve an incoming annotation; returns how many were folded."""
    live_incoming = {v.id for v in incoming if v.id in current and not v.deleted}
    if not live_incoming:
        return 0
    documents = sorted({stored[i].document_pk for i in live_incoming})
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for chunk in chunks(documents):
        rows = session.execute(
            select(Annotation.document_id, Annotation.start, Annotation.end,
                   Annotation.label_id, Annotation.annotator_id, Annotation.id)
            .where(Annotation.document_id.in_(chunk), ~Annotation.deleted)
        )
        for row in rows:
            groups[tuple(row[:5])].append(row[5])
    losers = [
        loser
        for ids in groups.values()
        if len(ids) > 1 and live_incoming.intersection(ids)
        for loser in sorted(ids, key=rank)[1:]
    ]
    if not losers:
        return 0
    now = utcnow()
    execute_many(session.connection(), _BY_ID,
                 [{"b_id": loser, "deleted": True, "updated": now} for loser in losers])
    note_annotations(session, changes, losers, REMOVED)
    return len(losers)


def matching(
    session: Session, query: Select[*tuple[Any, ...]], key: Any, ids: Sequence[str]
) -> Iterator[Row[*tuple[Any, ...]]]:
    """The rows of ``query`` whose ``key`` is one of ``ids``.

    Many ids: one scan of the table, filtered here, is much faster than long IN lists.
    Few ids against a big table: IN lists, in chunks.
    """
    if not ids:
        return
    table_rows = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if len(ids) * 4 >= table_rows:
        wanted = set(ids)
        for row in session.execute(query):
            if row[0] in wanted:
                yield row
        return
    for chunk in chunks(ids):
        yield from session.execute(query.where(key.in_(chunk)))
