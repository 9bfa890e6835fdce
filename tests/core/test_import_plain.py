"""Plain text and Markdown files through extract_file."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.importing import ImportFailure, extract_file


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_txt_keeps_text_verbatim_and_titles_by_stem(tmp_path: Path) -> None:
    text = "  Indented\tline   with  spaces\u2028sep\u2029para\n\nend  \n"
    [document] = extract_file(write(tmp_path, "my notes.txt", text.encode()))
    assert document.title == "my notes"
    assert document.text == text
    assert document.format == "txt"
    assert document.meta == {"encoding": "utf-8", "line_endings": "lf"}
    assert document.external_id is None


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"one\r\ntwo\r\n", "crlf"),
        (b"one\rtwo\r", "cr"),
        (b"one\r\ntwo\rthree\n", "mixed"),
        (b"single line", "none"),
    ],
)
def test_txt_line_endings_become_lf(tmp_path: Path, raw: bytes, kind: str) -> None:
    [document] = extract_file(write(tmp_path, "a.txt", raw))
    assert document.text == raw.decode().replace("\r\n", "\n").replace("\r", "\n")
    assert document.meta["line_endings"] == kind


def test_txt_bom_dropped_and_no_unicode_normalisation(tmp_path: Path) -> None:
    decomposed = "cafe\u0301 \ufb01"  # NFC/NFKC would change both, shifting offsets
    path = write(tmp_path, "a.txt", codecs.BOM_UTF8 + decomposed.encode())
    [document] = extract_file(path)
    assert document.text == decomposed
    assert document.meta["encoding"] == "utf-8-sig"


def test_txt_utf16_with_crlf(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_BE + "Zeile eins\r\nZeile zwei".encode("utf-16-be")
    [document] = extract_file(write(tmp_path, "a.txt", data))
    assert document.text == "Zeile eins\nZeile zwei"
    assert document.meta == {"encoding": "utf-16-be", "line_endings": "crlf"}


def test_txt_cp1252(tmp_path: Path) -> None:
    data = "“Quoted” costs 10 €".encode("cp1252")
    [document] = extract_file(write(tmp_path, "a.txt", data))
    assert document.text == "“Quoted” costs 10 €"
    assert document.meta["encoding"] == "cp1252"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b" \n\t\r\n", "only whitespace"),
        (codecs.BOM_UTF8, "is empty"),
        (b"text\x00with nul", "NUL"),
        (b"\x89PNG\r\n\x1a\n\x01\x02\x03\x04\x05\x06IHDR\x07\x08", "binary"),
    ],
)
def test_txt_refusals(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason) as raised:
        extract_file(write(tmp_path, "bad.txt", data))
    assert str(raised.value).startswith("bad.txt ")
    assert raised.value.path == tmp_path / "bad.txt"


def test_markdown_title_from_first_h1(tmp_path: Path) -> None:
    text = "Intro line\n## Sub\n```\n# not a heading\n```\n# The *Title* #\n\nBody\r\n"
    [document] = extract_file(write(tmp_path, "doc.md", text.encode()))
    assert document.title == "The *Title*"
    assert document.format == "md"
    assert document.text == text.replace("\r\n", "\n")
    assert document.meta == {"encoding": "utf-8", "line_endings": "mixed"}


def test_markdown_without_heading_uses_stem(tmp_path: Path) -> None:
    [document] = extract_file(write(tmp_path, "readme.markdown", b"#hashtag is no heading\n"))
    assert document.title == "readme"
    assert document.format == "md"
