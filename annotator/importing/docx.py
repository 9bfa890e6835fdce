"""Word .docx files, read with python-docx: paragraph text, one paragraph per line.

Paragraphs in tables are read where the table stands (row by row, a merged cell once).
Empty paragraphs stay as empty lines, so the layout of the text survives; blank lines at the
very start and end are dropped. Headers, footers, footnotes and text boxes are not read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from annotator.importing.decoding import refuse_nul
from annotator.importing.document import ExtractedDocument, ImportFailure
from annotator.importing.lines import normalize_line_endings

_TITLE_STYLES = frozenset({"title", "heading 1"})
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extract_docx(path: Path, data: bytes) -> ExtractedDocument:
    """A .docx file: paragraph text; title from the core properties or a Title paragraph."""
    document = _open(data)
    paragraphs = list(_paragraphs(document))
    text, line_endings = normalize_line_endings(
        "\n".join(paragraph.text for paragraph in paragraphs).strip("\n")
    )
    if not text.strip():
        raise ImportFailure("has no text (a Word document with no paragraphs of text)")
    refuse_nul(text)
    meta: dict[str, Any] = {"encoding": "utf-8", "line_endings": line_endings}
    title = (document.core_properties.title or "").strip() or _title_paragraph(paragraphs)
    return ExtractedDocument(title=title or path.stem, text=text, format="docx", meta=meta)


def _open(data: bytes) -> Document:
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFailure("is an old binary Word (.doc) file – save it as .docx first")
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailure(f"is not a readable Word document ({exc})") from exc
    except Exception as exc:
        # python-docx surfaces damaged parts as lxml and package errors of many types
        raise ImportFailure(f"is not a readable Word document ({type(exc).__name__})") from exc


def _paragraphs(container: Document | _Cell) -> Iterator[Paragraph]:
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        else:
            yield from _table_paragraphs(item)


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            # a merged cell appears once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            yield from _paragraphs(cell)


def _title_paragraph(paragraphs: list[Paragraph]) -> str | None:
    for paragraph in paragraphs:
        style = paragraph.style
        name = (style.name or "").strip().lower() if style is not None else ""
        if name in _TITLE_STYLES and paragraph.text.strip():
            return " ".join(paragraph.text.split())
    return None
