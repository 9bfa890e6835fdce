"""Reading one document's live annotations at once: what opening it in the window costs.

10^4 annotations are read in ~10 ms of SQLite and sqlite3 row fetching (on SQLite from
the index alone: see migration 0009); the Python around it is kept to ~1 ms by doing no
Python work per row: one select of the annotation table's own columns (label and
annotator names come from two small lookups, not a join per row), rows taken with one
``fetchall``, sorted in Python (the index gives them in start order already), the ids,
offsets and labels taken out as columns by C-level ``map``. The records themselves are
made when first read (DocumentAnnotations): a window shows a few dozen of 10^4.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    false,
    func,
    select,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import NullType

from annotator.database import UTF8_CONVERTER, UTF8_TEXT
from annotator.gc_pause import gc_paused
from annotator.models import Annotation, Annotator, Label
from annotator.records import AnnotationRecord, DocumentAnnotations, RecordColumns
from annotator.service.base import aware

_RAW = NullType()
_SQLITE_STAMP = len("2024-05-01 12:00:00.000000")

# The annotation table's own columns. The raw times are parsed here, much faster than the
# generic DateTime type does; "updated" is NULL when it equals "created" (most annotations
# were never edited: one parse serves both).
# Start, end and id first: sorting the rows as they are puts them in text order (the ids
# are unique), with no key tuple made per row (10^4 more objects for the collector).
def _columns(text: Callable[[Any, str], ColumnElement[Any]]) -> Select[Any]:
    return select(
        Annotation.start, Annotation.end, text(Annotation.id, "id"), Annotation.label_id,
        Annotation.annotator_id, text(Annotation.note, "note"),
        text(Annotation.created, "created"),
        text(func.nullif(Annotation.updated, Annotation.created), "updated"))


def _raw(column: Any, _name: str) -> ColumnElement[Any]:
    return type_coerce(column, _RAW)


def _converted(column: Any, name: str) -> ColumnElement[Any]:
    # On a UTF8_TEXT connection, sqlite3 decodes the column with UTF8_CONVERTER and does
    # not give up the GIL for it: 4 of the 8 columns, ~1.5 of ~10 ms per 10^4 rows in a
    # window's process (see annotator.database).
    return type_coerce(column, _RAW).label(f"{name} [{UTF8_CONVERTER}]")


_UTC = "+00:00"


def stamp(value: datetime | str) -> datetime:
    """:func:`aware` of a raw stored time, with SQLite's usual text first (the hot case)."""
    # "YYYY-MM-DD HH:MM:SS.ffffff": six digits after the dot leave no room for a zone.
    if type(value) is str and len(value) == _SQLITE_STAMP and value[19] == ".":
        return datetime.fromisoformat(value + _UTC)
    return aware(value)


_SAMPLE = 64  # values looked at to guess whether a column repeats its times


def stamps(raw: Sequence[datetime | str]) -> list[datetime]:
    """:func:`stamp` of every value, SQLite's usual text parsed in one C-level pass; a
    column that repeats its times is parsed once per distinct time."""
    # An import stores its annotations in one transaction with one time of creation: the
    # 10^4 pre-annotations of a dataset record then share a handful of times, and parsing
    # each once (one datetime object shared, too) costs ~0.3 ms instead of ~1.6 ms.
    sample = raw[:_SAMPLE]
    if len(raw) > _SAMPLE and 2 * len(set(sample)) <= len(sample):
        distinct: dict[datetime | str, datetime] = dict.fromkeys(raw)  # type: ignore[assignment]
        # Texts only: equal texts are the same time, equal datetimes may differ (zone, fold).
        if 2 * len(distinct) <= len(raw) and all(type(value) is str for value in distinct):
            for value in distinct:
                distinct[value] = stamp(value)
            return list(map(distinct.__getitem__, raw))
    if set(map(type, raw)) == {str} and set(map(len, raw)) == {_SQLITE_STAMP}:  # type: ignore[arg-type]
        try:
            # Naive UTC text: with its own zone, the one appended makes it invalid.
            return list(map(datetime.fromisoformat, map(str.__add__, raw, repeat(_UTC))))  # type: ignore[arg-type]
        except ValueError:
            pass
    return list(map(stamp, raw))


# "deleted = 0" (not "NOT deleted"): the (document, deleted, start) index then gives the
# rows in start order, and the sort in Python has little left to do.
_QUERIES = tuple(
    _columns(text).where(
        Annotation.document_id == bindparam("document"), Annotation.deleted == false()
    ).order_by(Annotation.start)
    for text in (_raw, _converted))
# _QUERIES[converted] by dialect, driver and converted (whether the connection decodes
# the text columns named for UTF8_CONVERTER).
_COMPILED: dict[tuple[str, str, bool], SQLCompiler] = {}


def _fetch(session: Session, document_pk: int) -> list[tuple[Any, ...]]:
    """The rows of _QUERIES straight from the driver's cursor: the result layer's row
    objects cost ~1 ms per 10^4 rows (~8 ms for 5 * 10^4) and add nothing to plain
    columns. SQLAlchemy still writes the SQL, in the dialect of the connection."""
    connection = session.connection()
    converted = bool(connection.connection.info.get(UTF8_TEXT))
    try:
        return _rows_of(connection, document_pk, converted=converted)
    except UnicodeDecodeError:
        # Text that is not UTF-8 (written by another program): the driver's own reading
        # reports it as it always did (OperationalError), or reads what it can.
        return _rows_of(connection, document_pk, converted=False)


def _rows_of(connection: Connection, document_pk: int, *, converted: bool
             ) -> list[tuple[Any, ...]]:
    dialect = connection.dialect
    key = (dialect.name, dialect.driver, converted)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _QUERIES[converted].compile(dialect=dialect)
    values = compiled.construct_params({"document": document_pk}) or {}
    params: Any = (tuple(values[name] for name in compiled.positiontup or ())
                   if dialect.positional else values)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    driver_error = dialect.loaded_dbapi.Error
    try:
        cursor.execute(str(compiled), params)
        return list(cursor.fetchall())
    except driver_error as exc:  # as SQLAlchemy would raise it (the readers expect that)
        raise DBAPIError.instance(str(compiled), params, exc, driver_error) from exc
    finally:
        cursor.close()


def read_document_annotations(session: Session, document_pk: int, document_id: str
                              ) -> DocumentAnnotations:
    """The live annotations of the document with local key ``document_pk`` (uuid
    ``document_id``), in text order: start, end, then id."""
    labels: dict[int, str] = dict(session.execute(select(Label.id, Label.name)).all())
    names: dict[int, str] = dict(
        session.execute(select(Annotator.id, Annotator.name)).all())
    with gc_paused():  # 2 * 10^4 objects that live on: no collection while they are made
        return _records(_fetch(session, document_pk), labels, names, document_id)


def _records(rows: list[tuple[Any, ...]], labels: dict[int, str], names: dict[int, str],
             document_id: str) -> DocumentAnnotations:
    # Text order (start, end, id), the order every reader of a document's annotations
    # expects; the index gave them by start already.
    rows.sort()
    made = _Made(rows, labels, names, document_id)
    return DocumentAnnotations(made.columns, made.one, made.every)


_FIELDS = tuple(map(itemgetter, range(8)))  # a column of _columns' rows, in C


class _Made:
    """The records of sorted rows of _columns: one at a time, or all (see
    DocumentAnnotations). The columns every opener reads are taken at once (in C)."""

    def __init__(self, rows: list[tuple[Any, ...]], labels: dict[int, str],
                 names: dict[int, str], document_id: str) -> None:
        self._rows, self._names, self._document = rows, names, document_id
        starts, ends, ids, label_ids = (tuple(map(field, rows)) for field in _FIELDS[:4])
        self.columns = RecordColumns(ids, starts, ends, tuple(map(labels.__getitem__, label_ids)))
        self._times: dict[datetime | str, datetime] = {}  # parsed once per stored text

    def _time(self, raw: datetime | str) -> datetime:
        parsed = self._times.get(raw)
        if parsed is None:
            parsed = stamp(raw)
            if type(raw) is str:  # equal texts are the same time, equal datetimes may not be
                self._times[raw] = parsed
        return parsed

    def one(self, i: int) -> AnnotationRecord:
        start, end, annotation_id, _label, annotator, note, created, updated = self._rows[i]
        made = self._time(created)
        return AnnotationRecord(annotation_id, self._document, start, end,
                                self.columns.labels[i], self._names[annotator], note, made,
                                made if updated is None else self._time(updated), False)

    def every(self) -> list[AnnotationRecord]:
        rows = self._rows
        if not rows:
            return []
        ids, starts, ends, labels = self.columns
        annotator_ids, notes, created_raw, updated_raw = (
            tuple(map(field, rows)) for field in _FIELDS[4:])
        created = stamps(created_raw)
        # Never edited (updated NULL: see _columns), the usual case, costs no Python loop.
        updated = (created if updated_raw.count(None) == len(updated_raw) else
                   [c if u is None else stamp(u)
                    for c, u in zip(created, updated_raw, strict=True)])
        fields = zip(ids, repeat(self._document), starts, ends, labels,
                     map(self._names.__getitem__, annotator_ids), notes, created, updated,
                     repeat(False))
        # tuple.__new__ is what AnnotationRecord._make calls, without a Python frame per row.
        return list(map(tuple.__new__, repeat(AnnotationRecord), fields))
