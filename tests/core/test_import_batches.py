"""Importing files a batch per transaction: every file keeps its own outcome, duplicates are
found within a batch too, a file the database refuses costs only that file, a cancel keeps
what was read, and each committed batch is published and logged."""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import annotator
from annotator.changes import Changes
from annotator.errors import AnnotatorError
from annotator.importing import ExtractedDocument
from annotator.records import FileOutcome, ImportReport
from annotator.service import file_import, import_batch


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_batch, "BATCH_FILES", 3)


def _files(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _outcomes(report: ImportReport) -> list[tuple[str, str, str]]:
    return [(Path(f.path).name, f.outcome, f.reason) for f in report.files]


def test_each_batch_is_one_published_and_logged_change(tmp_path: Path,
                                                       small_batches: None) -> None:
    folder = _files(tmp_path / "in", {f"f{n:02}.txt": f"Text number {n}." for n in range(10)})
    published: list[Changes] = []
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        project.subscribe(published.append)
        report = project.import_paths([folder])
        assert report.imported == 10 and not report.failed and not report.skipped
        assert [len(c.documents_added) for c in published] == [3, 3, 3, 1]
        assert set().union(*(c.documents_added for c in published)) == set(report.document_ids)
        assert len(set(report.document_ids)) == 10
        assert all(uuid.UUID(d).version == 4 for d in report.document_ids)
        logged = project.changes_since(0, include_own=True)
        assert logged.documents_added == set(report.document_ids)
        texts = {project.document(d).title: project.document(d).text
                 for d in report.document_ids}
    assert texts == {f"f{n:02}": f"Text number {n}." for n in range(10)}


def test_duplicates_within_a_batch_and_against_the_project(tmp_path: Path) -> None:
    folder = _files(tmp_path / "in", {"a.txt": "Same words.", "b.txt": "Same words.",
                                      "c.txt": "Other words.", "d.txt": "Already here."})
    (folder / "e.jsonl").write_text(
        "\n".join(json.dumps({"text": t}) for t in ["New one.", "New one.", "Other words."]),
        encoding="utf-8")
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        project.add_document("Already here.", "Existing")
        report = project.import_paths([folder])
        assert _outcomes(report) == [
            ("a.txt", "imported", ""),
            ("b.txt", "skipped", "already in the project: a"),
            ("c.txt", "imported", ""),
            ("d.txt", "skipped", "already in the project: Existing"),
            ("e.jsonl", "imported", "2 duplicate record(s) skipped"),
        ]
        assert len(project.documents()) == 4
        assert project.check() == []


def test_a_file_the_database_refuses_costs_only_that_file(tmp_path: Path) -> None:
    folder = _files(tmp_path / "in", {"a.txt": "First.", "bad.txt": "Refused text.",
                                      "c.txt": "Third.", "d.txt": "Refused text."})
    path = tmp_path / "p.db"
    annotator.open_project(path, user="alice").close()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TRIGGER refuse BEFORE INSERT ON documents "
                           "WHEN NEW.title = 'bad' BEGIN SELECT RAISE(ABORT, 'no bad'); END")
    published: list[Changes] = []
    with annotator.open_project(path, user="alice") as project:
        project.subscribe(published.append)
        report = project.import_paths([folder])
        assert [(name, outcome) for name, outcome, _ in _outcomes(report)] == [
            ("a.txt", "imported"), ("bad.txt", "failed"), ("c.txt", "imported"),
            # the same text as the refused file: not a duplicate of anything stored
            ("d.txt", "imported"),
        ]
        assert "no bad" in report.files[1].reason
        assert sorted(d.title for d in project.documents()) == ["a", "c", "d"]
        assert [len(c.documents_added) for c in published] == [3]


def test_unreadable_files_fail_alone_within_a_batch(tmp_path: Path) -> None:
    folder = _files(tmp_path / "in", {"a.txt": "Fine.", "c.txt": "Fine too."})
    (folder / "b.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "blank.md").write_text("   \n", encoding="utf-8")
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        report = project.import_paths([folder])
    assert [(name, outcome) for name, outcome, _ in _outcomes(report)] == [
        ("a.txt", "imported"), ("b.txt", "failed"), ("blank.md", "failed"),
        ("c.txt", "imported")]


def test_cancel_stores_the_files_read_and_no_more(tmp_path: Path, small_batches: None) -> None:
    folder = _files(tmp_path / "in", {f"f{n}.txt": f"Text {n}." for n in range(9)})
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int, current: str) -> bool:
        calls.append((done, total))
        return done < 5

    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        report = project.import_paths([folder], progress)
        assert report.cancelled and report.imported == 5
        assert sorted(d.title for d in project.documents()) == [f"f{n}" for n in range(5)]
    assert calls == [(n, 9) for n in range(6)]


def test_record_ids_stay_unique_across_a_batch(tmp_path: Path) -> None:
    given = "6f1c2b0e-8f7a-4a55-9d7e-0d6c3e2b9a11"
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a.jsonl", "One."), ("b.jsonl", "Two.")):
        (folder / name).write_text(json.dumps({"id": given, "text": text}), encoding="utf-8")
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        report = project.import_paths([folder])
        first, second = report.document_ids
        assert first == given and second != given
        assert project.document(second).text == "Two."


def test_a_folder_of_mixed_encodings_and_line_endings_stores_each_text_right(
    tmp_path: Path, small_batches: None
) -> None:
    """The fast path (a UTF-8 file's own bytes hashed) is taken only where the stored text's
    UTF-8 is those bytes: a cp1252 or latin-1 file among UTF-8 ones, a BOM and CRLF each
    store the decoded text, hashed as stored, so a copy in another encoding is a duplicate."""
    folder = tmp_path / "in"
    folder.mkdir()
    # a byte cp1252 lacks makes it latin-1, one control among enough text to be no binary
    latin1 = "Ångström in latin-1, " + "long enough " * 20 + "\x81.\n"
    files = {
        "a.txt": "Déjà vu 😀 in UTF-8.\n".encode(),
        "b.txt": "Café “curly” in cp1252.\n".encode("cp1252"),
        "c.txt": latin1.encode("latin-1"),
        "d.txt": "\ufeffWith a mark 東京.\n".encode(),
        "e.txt": b"Two\r\nlines \xc3\xa9\r\n",
        "f.md": b"# Heading\r\nBody.\r\n",
        "g.txt": "Déjà vu 😀 in UTF-8.\n".encode("utf-16"),
        "h.txt": b"Two\nlines \xc3\xa9\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        report = project.import_paths([folder])
        assert _outcomes(report) == [
            ("a.txt", "imported", ""), ("b.txt", "imported", ""), ("c.txt", "imported", ""),
            ("d.txt", "imported", ""), ("e.txt", "imported", ""), ("f.md", "imported", ""),
            ("g.txt", "skipped", "already in the project: a"),
            ("h.txt", "skipped", "already in the project: e"),
        ]
        stored = [project.document(d) for d in report.document_ids]
        assert [(d.title, d.text, d.meta["encoding"], d.meta["line_endings"])
                for d in stored] == [
            ("a", "Déjà vu 😀 in UTF-8.\n", "utf-8", "lf"),
            ("b", "Café “curly” in cp1252.\n", "cp1252", "lf"),
            ("c", latin1, "latin-1", "lf"),
            ("d", "With a mark 東京.\n", "utf-8-sig", "lf"),
            ("e", "Two\nlines é\n", "utf-8", "crlf"),
            ("Heading", "# Heading\nBody.\n", "utf-8", "crlf"),
        ]
        for document in stored:
            assert document.sha256 == hashlib.sha256(document.text.encode()).hexdigest()
        assert project.check() == []


def test_a_text_file_read_into_batches_keeps_its_outcome_and_text(tmp_path: Path) -> None:
    # ImportBatch checks a file as it is added: a refused text fails that file alone.
    batch = import_batch.ImportBatch()
    good = ExtractedDocument("a", "Some text.", "txt", {}, utf8=b"Some text.")
    batch.add(import_batch.ReadFile("a.txt", [good]))
    batch.add(import_batch.ReadFile("b.txt", [ExtractedDocument("b", "x\x00y", "txt", {})]))
    assert batch.files == 2 and batch.chars == len("Some text.") + 3
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        outcomes = project._store_batch(batch)
        assert [(o.path, o.outcome) for o in outcomes] == [("a.txt", "imported"),
                                                          ("b.txt", "failed")]
        assert "NUL" in outcomes[1].reason
        assert project.document(outcomes[0].document_ids[0]).text == "Some text."


def test_texts_are_stored_as_text_in_utf8_and_utf16_projects(tmp_path: Path) -> None:
    """Each text goes in as the UTF-8 the import hashed, which SQLite reads in the
    database's encoding: a project made in an empty UTF-16 database takes the texts
    themselves."""
    texts = {"a.txt": "Déjà vu 😀 東京.\n", "b.txt": "Two\r\nlines é\r\n"}
    folder = _files(tmp_path / "in", texts)
    for encoding in ("UTF-8", "UTF-16le"):
        path = tmp_path / f"{encoding}.db"
        with sqlite3.connect(path) as connection:
            connection.execute(f"PRAGMA encoding = '{encoding}'")
            # written to the file, the encoding stays; the database is empty again
            connection.execute("CREATE TABLE made_first (x)")
            connection.execute("DROP TABLE made_first")
        with annotator.open_project(path, user="alice") as project:
            report = project.import_paths([folder])
            stored = [project.document(d).text for d in report.document_ids]
        assert stored == ["Déjà vu 😀 東京.\n", "Two\nlines é\n"]
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA encoding").fetchone() == (encoding,)
            assert connection.execute(
                "SELECT typeof(text), chars = length(text) FROM documents").fetchall() == [
                ("text", 1), ("text", 1)]


def test_a_batch_whose_transaction_fails_fails_its_files_and_the_import_goes_on(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading thread waits for each batch's rows before it reads on: a batch that
    fails before its commit must not leave it waiting."""
    folder = _files(tmp_path / "in", {f"f{n}.txt": f"Text {n}." for n in range(8)})
    calls = 0
    real_store = import_batch.store_batch

    def store_failing_second(session: Session, batch: import_batch.ImportBatch,
                             ) -> list[FileOutcome]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise AnnotatorError("the disk is full")
        return real_store(session, batch)

    monkeypatch.setattr(file_import, "store_batch", store_failing_second)
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        report = project.import_paths([folder])
        assert [(name, outcome) for name, outcome, _ in _outcomes(report)] == [
            *[(f"f{n}.txt", "imported") for n in range(3)],
            *[(f"f{n}.txt", "failed") for n in range(3, 6)],
            *[(f"f{n}.txt", "imported") for n in range(6, 8)],
        ]
        assert report.files[3].reason == "the disk is full"
        assert sorted(d.title for d in project.documents()) == ["f0", "f1", "f2", "f6", "f7"]
    assert gc.isenabled()  # paused while the files were read, and back on after


def test_a_record_id_that_is_no_uuid_is_kept_as_its_source_id(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.jsonl").write_text("\n".join(json.dumps(record) for record in [
        {"id": 17, "text": "Seventeen.", "meta": {"source": "wire"}},
        {"id": "x", "text": "Given one.", "meta": {"source_id": "kept"}},
        {"text": "No id."},
    ]), encoding="utf-8")
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        report = project.import_paths([folder])
        assert [project.document(d).meta for d in report.document_ids] == [
            {"source": "wire", "source_id": "17"}, {"source_id": "kept"}, {}]
