"""Many rows at once: ids in ``IN``-list chunks, and one statement executed over many rows.

Every service that reads by a long list of ids, or writes thousands of rows (merge, import,
the change log), goes through these two, so the chunk size and the fast path live in one
place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.sql.dml import UpdateBase

T = TypeVar("T")

IN_CHUNK = 500
"""Ids in one SQL ``IN`` list: well under every backend's limit on bound parameters."""


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for an SQL ``IN`` list on every backend."""
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]


def execute_many(connection: Connection, statement: UpdateBase,
                 rows: Sequence[Mapping[str, Any]]) -> None:
    """Run ``statement`` (an insert or update) once per row of ``rows``, which all have the
    keys of the first.

    The same as ``connection.execute(statement, rows)``, without SQLAlchemy's per-row
    parameter machinery (``construct_params`` for every row): the statement is compiled
    once, each column's type conversion looked up once, and the driver's ``executemany``
    given the converted rows (on SQLite, where that is the fast path). A statement that
    needs more than the rows carry (a column default computed in Python) takes
    SQLAlchemy's ordinary path.
    """
    if not rows:
        return
    keys = list(rows[0])
    dialect = connection.dialect
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
    if dialect.name != "sqlite" or not set(names) <= set(keys):
        # Elsewhere SQLAlchemy batches rows into multi-row statements (insertmanyvalues),
        # which a plain driver executemany would undo.
        connection.execute(statement, list(rows))
        return
    processors = [compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in names]
    converting = [(i, f) for i, f in enumerate(processors) if f is not None]
    # The last value each conversion was given, and what it gave: rows written together
    # often share one (the time of the write in every row), converted then just once.
    last: list[tuple[Any, Any]] = [(None, None)] * len(names)
    parameters: list[Any] = []
    for row in rows:
        values = [row[name] for name in names]
        for i, f in converting:
            value = values[i]
            if value is not None:
                given, made = last[i]
                if value is not given:
                    made = f(value)
                    last[i] = value, made
                values[i] = made
        parameters.append(tuple(values) if compiled.positional else dict(zip(names, values,
                                                                             strict=True)))
    connection.exec_driver_sql(str(compiled), parameters)
