"""The smaller hostile-input defects, each pinned: names, CSV formulas, terminal output,
leftover temporaries, and the budget on a colleague's project file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator import AnnotatorError, Project
from annotator.agreement import write_csv
from annotator.cli.printable import printable
from annotator.service import project_file
from tests.core.review_support import database_hash


def test_annotator_name_with_a_pipe_cannot_enter_through_an_import(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    doc = project.add_document("The dam is safe.", "Dam")
    path = tmp_path / "a.jsonl"
    span = '{"start": 0, "end": 3, "label": "claim", "annotator": "alice|bob"}'
    path.write_text(f'{{"id": "{doc}", "text": "The dam is safe.", "spans": [{span}]}}\n')
    before = database_hash(project_path)
    with pytest.raises(AnnotatorError, match=r"invalid annotator name 'alice\|bob'"):
        project.import_annotations(path, "jsonl")
    assert database_hash(project_path) == before
    assert "alice|bob" not in project.annotators()


def test_agreement_csv_neutralises_formulas_and_keeps_numbers(
    tmp_path: Path
) -> None:
    with annotator.open_project(tmp_path / "p.db", user="=cmd") as project:
        doc = project.add_document("One two three four five six.", "D")
        project.add_label("@sum", "#123456", None)
        project.add_annotation(doc, 0, 3, "@sum")
        project.set_status(doc, "done")
        project.set_user("+bob")
        project.add_annotation(doc, 4, 7, "@sum")
        project.set_status(doc, "done")
        report = project.agreement()
    buffer = io.StringIO()
    write_csv(report, buffer)
    cells = [cell for line in buffer.getvalue().splitlines() for cell in line.split(",")]
    assert not [c for c in cells if c and c[0] in "=+@"], cells
    assert "'@sum" in cells and any(c.startswith("'+bob") or c.startswith("'=cmd")
                                    for c in cells)
    assert any(c.startswith("-0.") or c == "0.0" for c in cells)


def test_control_characters_are_shown_not_obeyed() -> None:
    assert printable("a\x1b[31mred\nb\x9bc\x7f") == "a\\x1b[31mred\\x0ab\\x9bc\\x7f"
    assert printable("café 😀 \u200d") == "café 😀 \u200d"


def test_import_report_escapes_control_characters_in_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b]0;pwned\x07.txt").write_text("Some text here.\n")
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(folder)], capture_output=True,
        text=True, timeout=120,
        env={**os.environ, "ANNOTATOR_PROJECT": str(tmp_path / "p.db"), "ANNOTATOR_USER": "a"},
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "evil\\x1b]0;pwned\\x07.txt" in done.stdout


def test_a_killed_exports_temporaries_are_swept(project: Project, tmp_path: Path) -> None:
    project.add_document("The dam is safe.", "Dam")
    # what a writer killed with SIGKILL leaves: its temporaries, named with its pid
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    (tmp_path / f".out.jsonl.{pid}.x1y2.part").write_text("half")
    (tmp_path / f".out.jsonl.{os.getpid()}.live.part").write_text("ours, still running")
    project.export("jsonl", tmp_path / "out.jsonl")
    leftovers = sorted(p.name for p in tmp_path.glob(".out.jsonl.*.part"))
    assert leftovers == [f".out.jsonl.{os.getpid()}.live.part"]


def test_reading_a_project_file_has_a_budget(
    project: Project, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        bob.add_document("Bob's article about the dam.", "Bob")
    monkeypatch.setattr(project_file, "MAX_STEPS", 10)
    monkeypatch.setattr(project_file, "_STEPS_PER_CHECK", 1)
    before = database_hash(project_path)
    with pytest.raises(AnnotatorError, match="takes too long"):
        project.merge(tmp_path / "bob.db")
    assert database_hash(project_path) == before


def test_memory_error_in_one_file_does_not_stop_the_batch(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.importing import files

    def exhausted(path: Path, data: bytes) -> None:
        raise MemoryError

    monkeypatch.setitem(files._EXTRACTORS, ".md", exhausted)
    (tmp_path / "a.md").write_text("# Huge\n")
    (tmp_path / "b.txt").write_text("A normal article.\n")
    report = project.import_paths([tmp_path / "a.md", tmp_path / "b.txt"])
    assert [(f.outcome, f.reason) for f in report.files] == [
        ("failed", "is too large or too deeply nested to read"), ("imported", "")]
