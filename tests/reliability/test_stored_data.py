"""Whatever the database holds, every writer writes: exports and bundles never fail on it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator import Project
from annotator.formats import FORMATS
from annotator.formats.model import META_DROPPED

DEEP = '{"a":' * 300 + "1" + "}" * 300


@pytest.fixture
def poisoned(project: Project, project_path: Path) -> Project:
    """A document whose stored metadata nests 300 levels (imported before the bounds)."""
    doc = project.add_document("The dam is safe, officials said.", "Dam")
    project.add_document("Another article entirely.", "Other")
    project.add_annotation(doc, 0, 7, "claim")
    connection = sqlite3.connect(project_path)
    with connection:
        connection.execute("UPDATE documents SET meta = ? WHERE uuid = ?", (DEEP, doc))
    connection.close()
    return project


@pytest.mark.parametrize("name", [n for n in FORMATS if n != "spacy"])
def test_every_export_writes_past_unwritable_metadata(
    poisoned: Project, tmp_path: Path, name: str
) -> None:
    result = poisoned.export(name, tmp_path / f"out.{name}")
    assert result.documents == 2 and result.annotations == 1
    assert result.lossy[META_DROPPED] == 1


def test_bundle_writes_past_unwritable_metadata_and_merges(
    poisoned: Project, tmp_path: Path
) -> None:
    import annotator

    poisoned.bundle(tmp_path / "b.zip")
    with annotator.open_project(tmp_path / "other.db", user="bob") as other:
        report = other.merge(tmp_path / "b.zip")
        assert report.documents_added == 2
        assert all(other.document(d.id).meta == {} for d in other.documents()
                   if d.title == "Dam")


def test_import_refuses_metadata_no_writer_could_write(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "x", "meta": ' + DEEP + "}\n")
    report = project.import_paths([path])
    assert report.failed == 1 and "nests JSON deeper" in report.files[0].reason
    assert project.documents() == []
