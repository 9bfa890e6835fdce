"""The key press's write (a Core connection, statements compiled once, BEGIN straight to
the driver) keeps the write rules: the lock and its wait, refusals, rows as SQLAlchemy
writes them, one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

import annotator.database
from annotator import AnnotatorError, Project
from annotator.database import BUSY_TIMEOUT_MS
from annotator.models import Annotation
from annotator.service import annotations, changelog
from annotator.service.prepared import Prepared
from tests.core.review_support import TEXT, open_at


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    opened = open_at(tmp_path / "p.db", "alice")
    yield opened
    opened.close()


def _raw(project: Project) -> sqlite3.Connection:
    assert project.file_path is not None
    return sqlite3.connect(project.file_path, isolation_level=None)


def test_a_press_waits_for_the_lock_says_so_and_then_writes(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    document = project.add_document(TEXT, "News")
    monkeypatch.setattr(annotator.database, "WRITE_ATTEMPT_MS", 20)
    holder = _raw(project)
    holder.execute("BEGIN IMMEDIATE")
    told: list[str] = []

    def waiting(message: str) -> None:
        told.append(message)
        holder.execute("COMMIT")  # the other writer finishes

    project.waiting = waiting
    record = project.add_annotation_record(document, 4, 12, "claim")
    assert told == ["waiting for another program writing to the project…"]
    assert project.annotation(record.id) == record
    # The write attempt's short timeout is not left on the connection for later reads.
    with project.engine.connect() as connection:
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert timeout == BUSY_TIMEOUT_MS
    holder.close()


def test_a_refused_press_leaves_nothing_not_even_its_new_annotator(project: Project) -> None:
    document = project.add_document(TEXT, "News")
    project.set_user("dave")
    before = project.last_change()
    with pytest.raises(AnnotatorError, match="no label named 'nope'"):
        project.add_annotation_record(document, 4, 12, "nope")
    assert "dave" not in project.annotators()
    assert project.last_change() == before
    record = project.add_annotation_record(document, 4, 12, "claim")
    assert record.annotator == "dave" and "dave" in project.annotators()
    with pytest.raises(AnnotatorError, match="identical annotation already exists"):
        project.add_annotation_record(document, 4, 12, "claim")


def test_unstorable_text_in_a_press_is_refused_as_before(project: Project) -> None:
    document = project.add_document(TEXT, "News")
    before = project.last_change()
    with pytest.raises(AnnotatorError, match="not valid Unicode"):
        project.add_annotation_record(document, 4, 12, "claim", note="bad \ud800")
    assert project.last_change() == before


def test_a_press_stores_values_as_sqlalchemy_does(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # A whole second: SQLAlchemy still stores the microseconds (sqlite3's own adapter
    # would not), and every read parses what it stored.
    moment = datetime(2026, 3, 1, 12, 0, 0)
    monkeypatch.setattr(annotations, "utcnow", lambda: moment)
    monkeypatch.setattr(changelog, "utcnow", lambda: moment)
    document = project.add_document(TEXT, "News")
    first = project.add_annotation_record(document, 4, 12, "claim")  # also the status row
    second = project.add_annotation_record(document, 20, 30, "claim")  # one log row
    raw = _raw(project)
    rows = raw.execute("SELECT created, updated, deleted, typeof(deleted) FROM annotations "
                       "WHERE id IN (?, ?)", (first.id, second.id)).fetchall()
    assert rows == [("2026-03-01 12:00:00.000000", "2026-03-01 12:00:00.000000", 0,
                     "integer")] * 2
    assert raw.execute("SELECT at FROM change_log WHERE key = ?", (second.id,)).fetchall() == [
        ("2026-03-01 12:00:00.000000",)]
    raw.close()
    assert project.annotation(second.id) == second


def test_a_prepared_insert_names_every_column_with_a_default(project: Project) -> None:
    prepared = Prepared(insert(Annotation.__table__), ["id", "document_id"])
    with project.engine.connect() as connection, pytest.raises(ValueError, match="default"):
        prepared.first(connection, {"id": "x", "document_id": 1})
