"""Four processes writing at once, on SQLite and (when a server answers) PostgreSQL.

Nothing written is lost, nothing is refused, and racing the same import, the same new
user's first annotation or the same merge gives one result, not duplicates or errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import annotator
from tests.reliability.concurrent import run_together

PROCESSES = 4
WRITES = 250
TEXT = "The minister said the bridge is safe. Engineers disagree. " * 20

ANNOTATE = f"""
doc = project.documents()[0].id
for i in range({WRITES}):
    print(project.add_annotation(doc, i, i + 3 + worker, "claim"), flush=True)
"""

IMPORT_SAME = """
try:
    print(project.add_document("Same text, four times.", "T"))
except annotator.AnnotatorError as exc:
    assert "already in the project" in str(exc), exc
    print("already-there")
"""

IMPORT_FOLDER = """
report = project.import_paths([sys.argv[4]])
assert not report.failed, report.files
print(len(report.document_ids))
"""

FIRST_ANNOTATION = """
doc = project.documents()[0].id
project.set_user("newcomer")
print(project.add_annotation(doc, worker, worker + 4, "claim"))
"""

MERGE = """
report = project.merge(sys.argv[4])
print(report.annotations_added)
"""

ADMIN_URL = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "shared.db")
        return
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({exc})")
    name = f"annotator_race_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _users(prefix: str) -> list[str]:
    return [f"{prefix}{n}" for n in range(PROCESSES)]


def test_four_writers_lose_nothing(location: str) -> None:
    with annotator.open_project(location, user="setup") as project:
        project.add_document(TEXT, "Shared")
    outcomes = run_together(location, ANNOTATE, _users("writer"))
    assert [o.code for o in outcomes] == [0] * PROCESSES, [o.err for o in outcomes]
    reported = {line for o in outcomes for line in o.out}
    assert len(reported) == PROCESSES * WRITES
    with annotator.open_project(location, user="reader") as project:
        assert {a.id for a in project.annotations()} == reported
        assert project.check() == []


def test_importing_the_same_text_at_once_gives_one_document(location: str) -> None:
    annotator.open_project(location, user="setup").close()
    for _round in range(3):
        outcomes = run_together(location, IMPORT_SAME, _users("importer"))
        assert [o.code for o in outcomes] == [0] * PROCESSES, [o.err for o in outcomes]
        added = [line for o in outcomes for line in o.out if line != "already-there"]
        assert len(added) == (1 if _round == 0 else 0)
    with annotator.open_project(location, user="reader") as project:
        assert len(project.documents()) == 1
        assert project.check() == []


def test_importing_the_same_folder_at_once_gives_each_text_once(
    location: str, tmp_path: Path
) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for n in range(60):
        (folder / f"t{n:02}.txt").write_text(f"Text {n}. " * 30, encoding="utf-8")
    annotator.open_project(location, user="setup").close()
    body = IMPORT_FOLDER.replace("sys.argv[4]", repr(str(folder)))
    outcomes = run_together(location, body, _users("importer"))
    assert [o.code for o in outcomes] == [0] * PROCESSES, [o.err for o in outcomes]
    assert sum(int(o.out[0]) for o in outcomes) == 60
    with annotator.open_project(location, user="reader") as project:
        assert len(project.documents()) == 60
        assert project.check() == []


def test_a_new_users_first_annotations_at_once_are_all_kept(location: str) -> None:
    with annotator.open_project(location, user="setup") as project:
        project.add_document(TEXT, "Shared")
    outcomes = run_together(location, FIRST_ANNOTATION, _users("window"))
    assert [o.code for o in outcomes] == [0] * PROCESSES, [o.err for o in outcomes]
    with annotator.open_project(location, user="reader") as project:
        assert {a.annotator for a in project.annotations()} == {"newcomer"}
        assert len(project.annotations()) == PROCESSES


def test_the_same_bundle_merged_twice_at_once(location: str, tmp_path: Path) -> None:
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        document = bob.add_document(TEXT, "Bob's")
        for i in range(20):
            bob.add_annotation(document, i, i + 5, "claim")
        bob.bundle(tmp_path / "bob.zip")
    annotator.open_project(location, user="setup").close()
    body = MERGE.replace("sys.argv[4]", repr(str(tmp_path / "bob.zip")))
    outcomes = run_together(location, body, _users("merger")[:2])
    assert [o.code for o in outcomes] == [0, 0], [o.err for o in outcomes]
    assert sorted(int(o.out[0]) for o in outcomes) == [0, 20]
    with annotator.open_project(location, user="reader") as project:
        assert len(project.annotations()) == 20
        assert len(project.documents()) == 1
        assert project.check() == []


def test_check_reports_documents_with_the_same_text(tmp_path: Path) -> None:
    """Projects made before writers took turns may hold such twins: check names them."""
    import sqlite3

    path = tmp_path / "twins.db"
    with annotator.open_project(path, user="alice") as project:
        first = project.add_document("Twice the same.", "One")
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO documents (uuid, title, text, chars, sha256, file_name, format, meta,"
        " created) SELECT 'c0ffee00-0000-4000-8000-000000000000', 'Two', text, chars, sha256,"
        " file_name, format, meta, created FROM documents"
    )
    connection.commit()
    connection.close()
    with annotator.open_project(path, user="alice") as project:
        [problem] = project.check()
    assert "same text is in 2 documents" in problem and first in problem
