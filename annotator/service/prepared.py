"""Statements compiled once and run on the driver's cursor: the few of a key press.

Executing a Core statement, SQLAlchemy builds an execution context, its parameters, a result
and dispatches events each time: for a key press's three small statements that is about as
much CPU as the rest of the write. A :class:`Prepared` statement is compiled once per
dialect; running it converts the parameters with the types' own bind processors and hands
them to the driver. Errors are SQLAlchemy's, as if it had run the statement.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable

_Processor = Callable[[Any], Any] | None


class _Compiled:
    def __init__(self, statement: Executable, keys: Sequence[str] | None,
                 dialect: Dialect) -> None:
        compiled = statement.compile(  # type: ignore[attr-defined]
            dialect=dialect, column_keys=keys)
        if compiled.insert_prefetch or compiled.update_prefetch:
            # Column defaults are computed by SQLAlchemy's execution, which this skips.
            raise ValueError("a prepared insert or update names every column with a default")
        self.sql: str = compiled.string
        self.compiled = compiled
        self.positional: bool = compiled.positional
        types = {name: bind.type for bind, name in compiled.bind_names.items()}
        self.names: Sequence[str] = list(compiled.positiontup or types)
        self.processors: dict[str, _Processor] = {
            name: type_.dialect_impl(dialect).bind_processor(dialect)
            for name, type_ in types.items()
        }
        # The driver's name of a parameter (a name the paramstyle cannot take is escaped).
        self.escaped: dict[str, str] = {
            name: compiled.escaped_bind_names.get(name, name) for name in types}

    def arguments(self, params: Mapping[str, Any]) -> Any:
        values = self.compiled.construct_params(params, escape_names=False)
        converted = {}
        for name, processor in self.processors.items():
            value = values[name]
            converted[name] = value if processor is None or value is None else processor(value)
        if self.positional:
            return tuple(converted[name] for name in self.names)
        return {self.escaped[name]: value for name, value in converted.items()}


class Prepared:
    """One statement, compiled once per dialect, run without SQLAlchemy's execution.

    ``keys``: an insert's or update's columns, as its parameters name them (every column
    with a default among them)."""

    def __init__(self, statement: Executable, keys: Sequence[str] | None = None) -> None:
        self._statement = statement
        self._keys = keys
        self._compiled: weakref.WeakKeyDictionary[Dialect, _Compiled] = (
            weakref.WeakKeyDictionary())

    @property
    def statement(self) -> Executable:
        return self._statement

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect)
        if compiled is None:
            compiled = self._compiled[dialect] = _Compiled(self._statement, self._keys, dialect)
        return compiled

    def first(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run it in the connection's transaction; its first row (None: no row)."""
        compiled = self._for(connection.dialect)
        arguments = compiled.arguments(params)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            row = cursor.fetchone() if cursor.description else None
        except connection.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(compiled.sql, arguments, exc,
                                      connection.dialect.loaded_dbapi.Error) from exc
        finally:
            cursor.close()
        return None if row is None else tuple(row)
