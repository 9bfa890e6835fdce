"""Word .docx files built with python-docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from annotator.importing import ImportFailure, extract_file


def save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def test_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Report", style="Title")
    document.add_paragraph("Before the table,\twith a tab.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = "Value"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Merged cell"
    document.add_paragraph("")
    document.add_paragraph("After the table: “quoted”.")
    [extracted] = extract_file(save(document, tmp_path / "report.docx"))
    assert extracted.format == "docx"
    assert extracted.title == "Report"
    assert extracted.text == (
        "Report\nBefore the table,\twith a tab.\nName\nValue\nMerged cell\n\n"
        "After the table: “quoted”."
    )
    assert extracted.meta == {"encoding": "utf-8", "line_endings": "lf"}


def test_core_properties_title_wins(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "  Official title "
    document.add_heading("Heading one", level=1)
    document.add_paragraph("Body")
    [extracted] = extract_file(save(document, tmp_path / "t.docx"))
    assert extracted.title == "Official title"


def test_heading1_then_stem(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Plain opener")
    document.add_heading("Chapter", level=1)
    assert extract_file(save(document, tmp_path / "h.docx"))[0].title == "Chapter"
    document = docx.Document()
    document.add_paragraph("Just text")
    assert extract_file(save(document, tmp_path / "stem.docx"))[0].title == "stem"


def test_line_break_inside_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("one")
    run.add_break()
    run.add_text("two")
    [extracted] = extract_file(save(document, tmp_path / "b.docx"))
    assert extracted.text == "one\ntwo"


def test_document_without_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    with pytest.raises(ImportFailure, match="has no text"):
        extract_file(save(document, tmp_path / "empty.docx"))


def test_corrupt_docx(tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_bytes(b"this is not a zip archive")
    with pytest.raises(ImportFailure, match="not a readable Word document"):
        extract_file(tmp_path / "bad.docx")


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (tmp_path / "zip.docx").write_bytes(buffer.getvalue())
    with pytest.raises(ImportFailure, match="not a readable Word document"):
        extract_file(tmp_path / "zip.docx")


def test_truncated_docx(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    buffer = io.BytesIO()
    document.save(buffer)
    (tmp_path / "cut.docx").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ImportFailure, match="not a readable Word document"):
        extract_file(tmp_path / "cut.docx")


def test_old_binary_doc_renamed(tmp_path: Path) -> None:
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(ImportFailure, match=r"old binary Word \(\.doc\)"):
        extract_file(tmp_path / "old.docx")
