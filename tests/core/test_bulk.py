"""bulk.execute_many stores exactly what SQLAlchemy's executemany stores; chunks slice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    select,
)

from annotator.service.bulk import chunks, execute_many


def _tables() -> tuple[MetaData, Table, Table]:
    metadata = MetaData()

    def table(name: str) -> Table:
        return Table(
            name, metadata,
            Column("id", String(36), primary_key=True),
            Column("end", Integer),
            Column("note", String, nullable=True),
            Column("at", DateTime),
            Column("deleted", Boolean),
            Column("stamp", String, default="made here"),
        )
    return metadata, table("plain"), table("fast")


ROWS: list[dict[str, Any]] = [
    {"id": f"a{i}", "end": i, "note": None if i % 2 else f"note {i}",
     "at": datetime(2024, 5, 1, 12, 0, i, 1000 * i), "deleted": bool(i % 3)}
    for i in range(7)
]


def test_execute_many_stores_what_sqlalchemy_stores() -> None:
    engine = create_engine("sqlite://")
    metadata, plain, fast = _tables()
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(plain.insert(), ROWS)
        # "stamp" has a Python-side default the rows lack: SQLAlchemy's own path fills it.
        execute_many(connection, fast.insert(), ROWS)
        update = [{"b_id": "a1", "deleted": False, "at": datetime(2025, 1, 1)},
                  {"b_id": "a4", "deleted": True, "at": datetime(2025, 1, 2)}]
        connection.execute(plain.update().where(plain.c.id == bindparam("b_id")), update)
        execute_many(connection, fast.update().where(fast.c.id == bindparam("b_id")), update)
        execute_many(connection, fast.insert(), [])
        stored = [connection.execute(select(t).order_by(t.c.id)).all() for t in (plain, fast)]
        raw = [connection.exec_driver_sql(f"SELECT * FROM {t.name} ORDER BY id").all()
               for t in (plain, fast)]
    assert stored[0] == stored[1]
    assert raw[0] == raw[1]
    assert len(stored[0]) == len(ROWS) and stored[0][1].deleted is False


def test_execute_many_with_every_column_given_takes_the_fast_path() -> None:
    engine = create_engine("sqlite://")
    metadata, plain, fast = _tables()
    metadata.create_all(engine)
    rows = [{**row, "stamp": "given"} for row in ROWS]
    compiled_by_sqlalchemy: list[bool] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_c: Any, _cursor: Any, _sql: str, _params: Any, context: Any, many: bool) -> None:
        if many:
            compiled_by_sqlalchemy.append(context.compiled is not None)

    with engine.begin() as connection:
        connection.execute(plain.insert(), rows)
        execute_many(connection, fast.insert(), rows)
        raw = [connection.exec_driver_sql(f"SELECT * FROM {t.name} ORDER BY id").all()
               for t in (plain, fast)]
    assert compiled_by_sqlalchemy == [True, False]
    assert raw[0] == raw[1]
    assert raw[1][1][3] == "2024-05-01 12:00:01.001000"


def test_a_value_shared_by_rows_is_converted_once_and_others_each_time() -> None:
    engine = create_engine("sqlite://")
    metadata, plain, fast = _tables()
    metadata.create_all(engine)
    shared, other = datetime(2024, 5, 1, 12, 0, 0, 5), datetime(2025, 1, 2, 3, 4, 5, 6)
    # runs of one object, an equal but distinct object, and a change back
    moments = [shared, shared, other, datetime(2024, 5, 1, 12, 0, 0, 5), shared, other]
    rows = [{"id": f"r{i}", "end": i, "note": None, "at": at, "deleted": i % 2 == 0,
             "stamp": "given"} for i, at in enumerate(moments)]
    with engine.begin() as connection:
        connection.execute(plain.insert(), rows)
        execute_many(connection, fast.insert(), rows)
        raw = [connection.exec_driver_sql(f"SELECT at, deleted FROM {t.name} ORDER BY id").all()
               for t in (plain, fast)]
    assert raw[0] == raw[1]
    assert [at for at, _ in raw[1]] == [str(m) if m.microsecond == 0 else m.isoformat(" ")
                                        for m in moments]
    assert [deleted for _, deleted in raw[1]] == [1, 0, 1, 0, 1, 0]


def test_chunks_cover_every_item_in_order() -> None:
    items = list(range(1203))
    parts = list(chunks(items))
    assert [len(p) for p in parts] == [500, 500, 203]
    assert [x for p in parts for x in p] == items
    assert list(chunks([])) == []
    assert [list(p) for p in chunks("abcde", 2)] == [["a", "b"], ["c", "d"], ["e"]]
