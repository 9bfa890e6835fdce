"""Storing what an import read: a bounded batch of files per transaction.

A batch closes at :data:`BATCH_FILES` files or :data:`BATCH_CHARS` characters of text,
whichever comes first, so a crash loses at most the batch in progress (every committed
batch stays, and importing the same files again skips what is there). Within a batch each
file stays all or nothing: its documents are checked in Python before anything is written;
the batch's rows then go in with one ``executemany`` inside a savepoint, and should the
database refuse that, the batch is written again file by file, each in a savepoint of its
own, so the file at fault is reported and every other file of the batch is kept.

Identical texts are found by their sha256, against the project and within the batch. The
caller's transaction serialises writers (``serialise_writers``), so two imports racing
the same texts on PostgreSQL cannot both find them missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, LargeBinary, Table, Text, bindparam, insert, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError
from annotator.importing import ExtractedDocument
from annotator.models import Document, new_uuids, utcnow
from annotator.records import FileOutcome
from annotator.service.bulk import execute_many
from annotator.service.checks import repair_name
from annotator.service.document_rows import (
    checked_utf8,
    document_row,
    utf8_sha256,
    uuid_or_none,
)

BATCH_FILES = 500
BATCH_CHARS = 16_000_000
_IN_LIMIT = 500
_DOCUMENTS = cast(Table, Document.__table__)
_INSERT = insert(_DOCUMENTS)
# Each text as the UTF-8 the import hashed, bound as bytes that SQLite stores as text:
# binding the str would have the driver encode it again (a tenth of a second per 50 MB).
_INSERT_UTF8 = _INSERT.values(text=sql_cast(bindparam("utf8", type_=LargeBinary), Text))


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file whose documents were extracted, waiting to be stored."""

    name: str
    documents: list[ExtractedDocument]


class CheckedDocument(NamedTuple):
    """A document whose text may be stored, with the text's sha256 and UTF-8."""

    sha256: str
    utf8: bytes
    document: ExtractedDocument


@dataclass(slots=True)
class CheckedFile:
    """A file's checked documents, or why the file is refused."""

    name: str
    documents: list[CheckedDocument]
    refused: str | None = None


@dataclass(slots=True)
class ImportBatch:
    """The files read since the last commit, in order; a file that could not be read is
    already its outcome.

    A file's texts are checked and hashed as it is added, by the thread reading the files:
    the thread writing the previous batch spends its time in the database.
    """

    items: list[CheckedFile | FileOutcome] = field(default_factory=list)
    chars: int = 0
    files: int = 0

    def add(self, item: ReadFile | FileOutcome) -> None:
        if isinstance(item, FileOutcome):
            self.items.append(item)
            return
        self.items.append(_check(item))
        self.files += 1
        for document in item.documents:
            self.chars += len(document.text)

    def full(self) -> bool:
        return self.files >= BATCH_FILES or self.chars >= BATCH_CHARS

    def failed(self, reason: str) -> list[FileOutcome]:
        """Every file's outcome when the batch's transaction failed as a whole."""
        return [item if isinstance(item, FileOutcome) else FileOutcome(item.name, "failed",
                                                                        reason)
                for item in self.items]


@dataclass(slots=True)
class _Stored:
    """What the project holds, as far as a batch needs to know: the title of the document
    holding each text, and the ids in use."""

    titles: dict[str, str]
    ids: set[str]

    def copy(self) -> _Stored:
        return _Stored(dict(self.titles), set(self.ids))


def store_batch(session: Session, batch: ImportBatch) -> list[FileOutcome]:
    """Store the batch's documents in the caller's transaction; one outcome per item."""
    checked = batch.items
    files = [item for item in checked if isinstance(item, CheckedFile)]
    stored = _stored(session, files)
    now = utcnow()  # one transaction, one time of creation for all its documents
    # A uuid for every document that needs one, made at once; the retry may take them again
    # (those of the writes undone are nowhere).
    uuids = new_uuids(sum(len(file.documents) for file in files))
    try:
        with session.begin_nested():
            planned = stored.copy()  # the one-by-one retry starts again from the project
            fresh = iter(uuids)
            plans = {id(file): _plan(file, planned, now, fresh) for file in files}
            rows = [row for _outcome, file_rows in plans.values() for row in file_rows]
            if rows:
                _insert(session.connection(), rows)
    except DBAPIError:
        plans = _store_one_by_one(session, files, stored, now, iter(uuids))
    return [item if isinstance(item, FileOutcome) else plans[id(item)][0] for item in checked]


def _check(item: ReadFile) -> CheckedFile:
    try:
        return CheckedFile(item.name, [_checked(document) for document in item.documents])
    except AnnotatorError as exc:
        return CheckedFile(item.name, [], str(exc))


def _checked(document: ExtractedDocument) -> CheckedDocument:
    utf8 = checked_utf8(document.text, document.utf8)
    return CheckedDocument(utf8_sha256(utf8), utf8, document)


def _insert(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert planned rows, which carry each text's UTF-8 as "utf8" beside the text."""
    if _stores_utf8(connection):
        execute_many(connection, _INSERT_UTF8, rows)
    else:
        execute_many(connection, _INSERT, [{key: value for key, value in row.items()
                                            if key != "utf8"} for row in rows])


def _stores_utf8(connection: Connection) -> bool:
    """Whether bytes cast to text are the text: SQLite reads them in the database's
    encoding, UTF-8 in every project made here, though a file may have been made UTF-16
    before it became a project."""
    return (connection.dialect.name == "sqlite"
            and connection.exec_driver_sql("PRAGMA encoding").scalar() == "UTF-8")


def _stored(session: Session, files: Sequence[CheckedFile]) -> _Stored:
    digests = sorted({checked.sha256 for file in files for checked in file.documents})
    wanted = sorted({given for file in files for checked in file.documents
                     if (given := uuid_or_none(checked.document.external_id)) is not None})
    titles: dict[str, str] = {}
    for part in _chunks(digests):
        # the first document holding a text names it, as check() lists them
        query = (select(_DOCUMENTS.c.sha256, _DOCUMENTS.c.title)
                 .where(_DOCUMENTS.c.sha256.in_(part)).order_by(_DOCUMENTS.c.id.desc()))
        titles.update((digest, title) for digest, title in session.connection().execute(query))
    ids = {uuid for part in _chunks(wanted)
           for uuid in session.scalars(select(_DOCUMENTS.c.uuid)
                                       .where(_DOCUMENTS.c.uuid.in_(part)))}
    return _Stored(titles, ids)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    return (values[begin : begin + _IN_LIMIT] for begin in range(0, len(values), _IN_LIMIT))


_Plan = tuple[FileOutcome, list[dict[str, Any]]]


def _store_one_by_one(
    session: Session, files: Sequence[CheckedFile], stored: _Stored, now: datetime,
    fresh: Iterator[str],
) -> dict[int, _Plan]:
    plans: dict[int, _Plan] = {}
    for file in files:
        outcome, rows = _plan(file, stored, now, fresh)
        try:
            with session.begin_nested():
                if rows:
                    _insert(session.connection(), rows)
        except DBAPIError as exc:
            for row in rows:  # new to the project, so known only through this file
                del stored.titles[row["sha256"]]
                stored.ids.discard(row["uuid"])
            outcome = FileOutcome(file.name, "failed", f"the database refused it: {exc.orig}")
            rows = []
        plans[id(file)] = outcome, rows
    return plans


def _plan(file: CheckedFile, stored: _Stored, now: datetime, fresh: Iterator[str]) -> _Plan:
    """The file's outcome and the rows to insert; ``stored`` learns the file's texts and ids
    if it is to be imported. A document that brings no usable uuid takes one of ``fresh``."""
    if file.refused is not None:
        return FileOutcome(file.name, "failed", file.refused), []
    rows: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    ids: set[str] = set()
    duplicates: list[str] = []
    # A file named in another encoding than the system's still imports.
    file_name = repair_name(os.path.basename(file.name))
    try:
        for digest, utf8, item in file.documents:
            known = stored.titles.get(digest) or titles.get(digest)
            if known is not None:
                duplicates.append(known)
                continue
            document_id = uuid_or_none(item.external_id)
            meta = item.meta
            if item.external_id is not None and document_id is None and "source_id" not in meta:
                meta = {**meta, "source_id": item.external_id}
            if document_id in stored.ids or document_id in ids:
                document_id = None
            row = document_row(item.text, repair_name(item.title), item.format, file_name,
                               meta, document_id or next(fresh), digest, now)
            row["utf8"] = utf8
            rows.append(row)
            titles[digest] = row["title"]
            ids.add(row["uuid"])
    except AnnotatorError as exc:
        return FileOutcome(file.name, "failed", str(exc)), []
    if not rows:
        what = duplicates[0] if len(duplicates) == 1 else f"{len(duplicates)} documents"
        return FileOutcome(file.name, "skipped", f"already in the project: {what}"), []
    stored.titles.update(titles)
    stored.ids.update(ids)
    reason = f"{len(duplicates)} duplicate record(s) skipped" if duplicates else ""
    return FileOutcome(file.name, "imported", reason, tuple(r["uuid"] for r in rows)), rows
