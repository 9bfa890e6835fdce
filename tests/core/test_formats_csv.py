"""CSV: RFC 4180 with CRLF, a BOM, the exact header, and reversible formula neutralisation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import annotator
from annotator import Project
from annotator.formats.csv_format import HEADER, _cell, neutralise, restore
from annotator.formats.model import FileRefused
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to

TEXT = "=1+2 is\r\na \"formula\", -3 @home\ttab 🙂"


def test_header_bom_crlf_and_cells(project: Project, tmp_path: Path) -> None:
    document_id = project.add_document(TEXT, "=Title")
    annotation_id = project.add_annotation(document_id, 0, 4, "claim", note="@note\nline 2")
    project.add_annotation(document_id, 5, 11, "fact")
    out, result = export_to(project, "csv", tmp_path)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n")
    assert result.annotations == 2
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(HEADER)
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["document_id"] == document_id and first["annotation_id"] == annotation_id
    assert first["document_title"] == "'=Title"
    assert first["text"] == "'=1+2" and first["note"] == "'@note\nline 2"
    assert first["status"] == "pending" and first["created"].endswith("Z")
    assert (first["start"], first["end"], first["annotator"]) == ("0", "4", "alice")
    second = dict(zip(HEADER, rows[2], strict=True))
    assert second["text"] == "is\r\na " and second["note"] == ""


@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " "]),
               max_size=6))
def test_neutralising_is_reversible_and_safe(cell: str) -> None:
    out = neutralise(cell)
    assert restore(out) == cell
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_import_needs_the_documents_and_checks_the_passage(
    project: Project, tmp_path: Path
) -> None:
    document_id = project.add_document(TEXT, "Doc")
    project.add_annotation(document_id, 0, 4, "claim")
    out, _ = export_to(project, "csv", tmp_path)
    assert import_annotations(project, out, "csv").counts.unchanged == 1
    broken = out.read_text(encoding="utf-8-sig").replace("'=1+2", "'=1+3")
    (tmp_path / "broken.csv").write_text(broken, encoding="utf-8-sig", newline="")
    with pytest.raises(FileRefused, match=r"broken.csv:2: recorded passage"):
        import_annotations(project, tmp_path / "broken.csv", "csv")
    with (
        annotator.open_project(tmp_path / "empty.db", user="x") as empty,
        pytest.raises(FileRefused, match="not in the project"),
    ):
        import_annotations(empty, out, "csv")


def test_wrong_header_is_refused(project: Project, tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="the header must be"):
        import_annotations(project, tmp_path / "x.csv", "csv")


@given(st.text(alphabet=st.sampled_from(["a", ",", "\"", "\r", "\n", "'", "=", " ", "🙂"])))
def test_cells_are_what_the_csv_module_writes(value: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(value), "x"])
    assert buffer.getvalue() == _cell(value) + ",x\r\n"
