"""PDF files written by hand (a Helvetica Tj text layer) and with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from annotator.importing import ImportFailure, extract_file


def pdf_bytes(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text line per string, with a correct xref table."""
    page_ids = [3 + 2 * index for index in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    info_id = font_id + 1
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % page_id for page_id in page_ids), len(pages)),
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        content = b"".join(
            b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (720 - 20 * number, line.encode("latin-1"))
            for number, line in enumerate(lines)
        )
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page_id + 1, font_id)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (
            len(content),
            content,
        )
    if title is not None:
        objects[info_id] = b"<< /Title (%s) >>" % title.encode("latin-1")
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    info = b" /Info %d 0 R" % info_id if title is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, info, xref)
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_hand_written_pdf_is_valid() -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes([["Hello"]])))
    assert len(reader.pages) == 1
    assert len(pdf_bytes([["Hello"]])) < 1000


def test_text_layer_pages_and_title(tmp_path: Path) -> None:
    data = pdf_bytes([["Hello PDF world", "Second line"], ["Page two"]], title="Annual Report")
    [document] = extract_file(write(tmp_path, "report.pdf", data))
    assert document.format == "pdf"
    assert document.title == "Annual Report"
    assert document.text == "Hello PDF world\nSecond line\n\nPage two"
    assert document.meta["pages"] == 2
    assert document.meta["line_endings"] in {"lf", "none"}


def test_title_falls_back_to_stem(tmp_path: Path) -> None:
    for title in (None, "   "):
        data = pdf_bytes([["Some text"]], title=title)
        assert extract_file(write(tmp_path, "stem.pdf", data))[0].title == "stem"


def test_trailing_whitespace_dropped(tmp_path: Path) -> None:
    [document] = extract_file(write(tmp_path, "t.pdf", pdf_bytes([["Padded   "], ["x"]])))
    assert document.text == "Padded\n\nx"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    data = pdf_bytes([[]])
    with pytest.raises(ImportFailure) as raised:
        extract_file(write(tmp_path, "scan.pdf", data))
    assert str(raised.value) == (
        "scan.pdf has no text layer (a scanned image?) – run OCR on it first"
    )


def encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Secret text"]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="encrypted"):
        extract_file(write(tmp_path, "locked.pdf", encrypted("letmein")))


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    [document] = extract_file(write(tmp_path, "restricted.pdf", encrypted("")))
    assert document.text == "Secret text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a pdf at all", "not a PDF file"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "damaged PDF"),
        (pdf_bytes([["Cut short"]])[:150], "damaged PDF"),
    ],
)
def test_corrupt_pdf(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        extract_file(write(tmp_path, "bad.pdf", data))
