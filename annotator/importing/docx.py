"""Word .docx files, read with python-docx: paragraph text, one paragraph per line.

Paragraphs in tables are read where the table stands (row by row, a merged cell once).
Empty paragraphs stay as empty lines, so the layout of the text survives; blank lines at the
very start and end are dropped. Headers, footers, footnotes and text boxes are not read.

The package is untrusted: python-docx would parse every XML part into memory whole (a 5 MB
file within the zip-bomb bounds peaked at over 1 GB), so only the parts needed are read,
each bounded: the main document is streamed, one paragraph or table at a time, with
python-docx's own element classes giving each its text, and freed once read; a paragraph
or table of more than :data:`MAX_BLOCK_ELEMENTS` elements, or text past
:data:`~annotator.importing.document.DEFAULT_SIZE_LIMIT`, stops the reading; the title and
the style names come from the small core-properties and styles parts, at most
:data:`MAX_SMALL_PART` bytes each.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.parser import element_class_lookup
from docx.parts.story import StoryPart
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from annotator.importing.decoding import refuse_nul
from annotator.importing.document import DEFAULT_SIZE_LIMIT, ExtractedDocument, ImportFailure
from annotator.importing.lines import normalize_line_endings
from annotator.untrusted import human_size

MAX_RATIO = 100
MAX_UNPACKED = 100 << 20
_RATIO_FLOOR = 1 << 20
MAX_BLOCK_ELEMENTS = 200_000
"""Most XML elements one paragraph or table may hold (each is parsed whole)."""
MAX_SMALL_PART = 16 << 20
"""Largest core-properties or styles part read (Word's are a few hundred kilobytes)."""
_TITLE_STYLES = frozenset({"title", "heading 1"})
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN_TYPES = frozenset(
    f"application/vnd.{kind}.main+xml" for kind in (
        "openxmlformats-officedocument.wordprocessingml.document",
        "openxmlformats-officedocument.wordprocessingml.template",
        "ms-word.document.macroEnabled", "ms-word.template.macroEnabledTemplate"))
_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_CHUNK = 1 << 16


def extract_docx(stem: str, data: bytes) -> ExtractedDocument:
    """A .docx file: paragraph text; title from the core properties or a Title paragraph."""
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFailure("is an old binary Word (.doc) file – save it as .docx first")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_package(package.infolist())
            parts = _parts(package)
            styles = _Styles.read(package, parts.get(_STYLES_TYPE))
            body = _Body(styles)
            body.read(package, _main_part(parts, package.namelist()))
            title = _core_title(package, parts.get(_CORE_TYPE))
    except ImportFailure:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ImportFailure(f"is not a readable Word document ({exc})") from exc
    except Exception as exc:
        # damaged parts surface as lxml and zip errors of many types
        raise ImportFailure(f"is not a readable Word document ({type(exc).__name__})") from exc
    text, line_endings = normalize_line_endings(body.text.strip("\n"))
    if not text.strip():
        raise ImportFailure("has no text (a Word document with no paragraphs of text)")
    refuse_nul(text)
    meta: dict[str, Any] = {"encoding": "utf-8", "line_endings": line_endings}
    return ExtractedDocument(title=title or body.title or stem, text=text, format="docx",
                             meta=meta)


def _parser(**events: Any) -> Any:
    """lxml with python-docx's element classes; no DTD, entities, network or huge nodes."""
    parser = etree.XMLPullParser(remove_blank_text=True, resolve_entities=False,
                                 load_dtd=False, no_network=True, huge_tree=False, **events)
    parser.set_element_class_lookup(element_class_lookup)
    return parser


def _small_part(package: zipfile.ZipFile, name: str) -> Any:
    if package.getinfo(name).file_size > MAX_SMALL_PART:
        raise ImportFailure(f"has a {name} of over {human_size(MAX_SMALL_PART)}")
    parser = _parser()
    parser.feed(package.read(name))
    return parser.close()


def _parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each content type's part name, from ``[Content_Types].xml``."""
    types = _small_part(package, "[Content_Types].xml")
    found: dict[str, str] = {}
    for override in types:
        kind, name = override.get("ContentType"), override.get("PartName")
        if kind and name and kind not in found:
            found[kind] = name.lstrip("/")
    return found


def _main_part(parts: dict[str, str], names: list[str]) -> str:
    main = next((name for kind, name in parts.items() if kind in _MAIN_TYPES), None)
    if main is None and "word/document.xml" in names:
        main = "word/document.xml"  # typed by a Default entry instead of an Override
    if main is None:
        raise ImportFailure("is not a readable Word document (no main document part)")
    return main


def _core_title(package: zipfile.ZipFile, name: str | None) -> str | None:
    if name is None or name not in package.namelist():
        return None
    title = _small_part(package, name).find("{http://purl.org/dc/elements/1.1/}title")
    return " ".join((title.text or "").split()) or None if title is not None else None


@dataclass
class _Styles:
    """Paragraph style names by style id, and the default paragraph style's name."""

    names: dict[str, str] = field(default_factory=dict)
    default: str = ""

    @classmethod
    def read(cls, package: zipfile.ZipFile, name: str | None) -> _Styles:
        styles = cls()
        if name is None or name not in package.namelist():
            return styles
        for style in _small_part(package, name).iter(f"{_W}style"):
            label = style.find(f"{_W}name")
            named = (label.get(f"{_W}val") or "").strip().lower() if label is not None else ""
            styles.names[style.get(f"{_W}styleId") or ""] = named
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in (
                    "1", "true", "on"):
                styles.default = named
        return styles

    def is_title(self, paragraph: Paragraph) -> bool:
        style_id = paragraph._p.style
        name = self.names.get(style_id, self.default) if style_id else self.default
        return name in _TITLE_STYLES


class _Detached:
    """The parent python-docx wants for a paragraph or table read from the stream: reading
    text never asks for the document part, which is not loaded."""

    @property
    def part(self) -> StoryPart:
        raise ImportFailure("is not a readable Word document (text outside the main part)")


_DETACHED = _Detached()


@dataclass
class _Body:
    """The main document's paragraphs, read as a stream of paragraphs and tables."""

    styles: _Styles
    title: str | None = None
    chars: int = 0
    # Lines are joined a few thousand at a time: millions of tiny str objects would take
    # fifty-odd bytes each on top of their text.
    _joined: list[str] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every paragraph's text, one per line."""
        return "\n".join([*self._joined, *self._pending])

    def read(self, package: zipfile.ZipFile, name: str) -> None:
        parser = _parser(events=("start", "end"))
        depth = elements = 0
        with package.open(name) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        depth += 1
                        elements += depth > 3
                        if elements > MAX_BLOCK_ELEMENTS:
                            raise ImportFailure(
                                f"has a paragraph or table of more than "
                                f"{MAX_BLOCK_ELEMENTS:,} XML elements")
                        continue
                    if depth == 3:  # a child of <w:body> is complete: read it, free it
                        self._block(element)
                        elements = 0
                        element.clear()
                        parent = element.getparent()
                        if parent is not None:
                            parent.remove(element)
                    depth -= 1
        parser.close()

    def _block(self, element: Any) -> None:
        if element.tag == f"{_W}p":
            self._add(Paragraph(element, _DETACHED))
        elif element.tag == f"{_W}tbl":
            for paragraph in _table_paragraphs(Table(element, _DETACHED)):
                self._add(paragraph)

    def _add(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        self.chars += len(text) + 1
        if self.chars > DEFAULT_SIZE_LIMIT:
            raise ImportFailure(
                f"unpacks to more than {DEFAULT_SIZE_LIMIT:,} characters of text, over the "
                "import limit")
        self._pending.append(text)
        if len(self._pending) >= 4096:
            self._joined.append("\n".join(self._pending))
            self._pending.clear()
        if self.title is None and text.strip() and self.styles.is_title(paragraph):
            self.title = " ".join(text.split())


def _check_package(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb before anything is unpacked.

    A Word document's XML compresses about ten to one; more than MAX_RATIO to one, or more
    than MAX_UNPACKED in all, is not something Word writes.
    """
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


def _paragraphs(container: _Cell) -> Iterator[Paragraph]:
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
