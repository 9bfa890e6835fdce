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
from docx.enum.style import WD_STYLE_TYPE
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from annotator.importing.decoding import refuse_nul
from annotator.importing.document import ExtractedDocument, ImportFailure
from annotator.importing.lines import normalize_line_endings
from annotator.untrusted import human_size

MAX_RATIO = 100
MAX_UNPACKED = 100 << 20
_RATIO_FLOOR = 1 << 20
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
    title = (document.core_properties.title or "").strip() or _title_paragraph(
        document, paragraphs
    )
    return ExtractedDocument(title=title or path.stem, text=text, format="docx", meta=meta)


def _open(data: bytes) -> Document:
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFailure("is an old binary Word (.doc) file – save it as .docx first")
    try:
        _check_package(data)
        return docx.Document(io.BytesIO(data))
    except ImportFailure:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailure(f"is not a readable Word document ({exc})") from exc
    except Exception as exc:
        # python-docx surfaces damaged parts as lxml and package errors of many types
        raise ImportFailure(f"is not a readable Word document ({type(exc).__name__})") from exc


def _check_package(data: bytes) -> None:
    """Refuse a zip bomb before python-docx unpacks every part into memory.

    A Word document's XML compresses about ten to one; more than MAX_RATIO to one, or more
    than MAX_UNPACKED in all, is not something Word writes.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ImportFailure(
                f"is compressed more than {MAX_RATIO} to 1 ({info.filename}; a zip bomb?)"
            )
    if total > MAX_UNPACKED:
        raise ImportFailure(
            f"unpacks to {human_size(total)}, over the limit of {human_size(MAX_UNPACKED)}"
        )


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


def _title_paragraph(document: Document, paragraphs: list[Paragraph]) -> str | None:
    # Paragraph.style scans every style of the document to find the default one, for each
    # paragraph (minutes on a long document), so the style ids are resolved once here.
    names = {style.style_id: (style.name or "").strip().lower() for style in document.styles}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name or "").strip().lower() if default is not None else ""
    for paragraph in paragraphs:
        style_id = paragraph._p.style
        name = names.get(style_id, default_name) if style_id else default_name
        if name in _TITLE_STYLES and paragraph.text.strip():
            return " ".join(paragraph.text.split())
    return None
