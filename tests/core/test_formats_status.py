"""Review statuses travel in jsonl and csv: exported, imported as verdicts, exported again."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotator
from annotator import Project
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to, written

TEXT = "Officials said the dam is safe.\nCritics disagree."


@pytest.fixture
def reviewed(project: Project) -> tuple[Project, list[str]]:
    document_id = project.add_document(TEXT, "Dam")
    project.set_user("bob")
    ids = [project.add_annotation(document_id, 0, 9, "source"),
           project.add_annotation(document_id, 15, 31, "claim"),
           project.add_annotation(document_id, 32, 39, "source")]
    project.set_user("alice")
    project.accept(ids[0])
    project.reject(ids[1])
    return project, ids


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_statuses_round_trip(reviewed: tuple[Project, list[str]], tmp_path: Path,
                             fmt: str) -> None:
    source, ids = reviewed
    first, _ = export_to(source, fmt, tmp_path / "one")
    with annotator.open_project(tmp_path / "copy.db", user="carol") as copy:
        if fmt == "csv":  # csv carries no text: the documents come first
            documents, _ = export_to(source, "jsonl", tmp_path / "docs")
            copy.import_paths([documents])  # the texts only, with their ids
        result = import_annotations(copy, first, fmt)
        assert result.counts.notes == {"given carol's review verdict from the file's status": 2}
        # Pending annotations have no verdict, so they are not listed.
        assert copy.review_statuses() == {ids[0]: "accepted", ids[1]: "rejected"}
        second, _ = export_to(copy, fmt, tmp_path / "two")
        assert written(second, fmt) == written(first, fmt)
        again = import_annotations(copy, first, fmt)
        assert not again.counts.notes
    # Back into its own project: the verdicts are already there.
    back = import_annotations(source, first, fmt)
    assert not back.counts.notes and back.counts.updated == 0
