"""Plain text and Markdown: the file's text as it is, line endings made LF.

Markdown is not rendered: analysts annotate the source text, so offsets match the file.
"""

from __future__ import annotations

import re

from annotator.importing.decoding import decode_document_bytes
from annotator.importing.document import ExtractedDocument
from annotator.importing.lines import normalize_line_endings

# An ATX level-1 heading: up to three spaces, "#", a space, the text, optional closing #s.
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def extract_txt(stem: str, data: bytes) -> ExtractedDocument:
    """A .txt file: its stem is the title."""
    text, meta, utf8 = _plain_text(data)
    return ExtractedDocument(title=stem, text=text, format="txt", meta=meta, utf8=utf8)


def extract_markdown(stem: str, data: bytes) -> ExtractedDocument:
    """A .md/.markdown file: the first "# " heading is the title, else the stem."""
    text, meta, utf8 = _plain_text(data)
    return ExtractedDocument(title=markdown_title(text) or stem, text=text, format="md",
                             meta=meta, utf8=utf8)


def _plain_text(data: bytes) -> tuple[str, dict[str, str], bytes | None]:
    """The text, its metadata, and the file's bytes when they are the text's UTF-8
    (decoded as strict UTF-8, and no line ending changed)."""
    text, encoding = decode_document_bytes(data)
    text, line_endings = normalize_line_endings(text)
    meta = {"encoding": encoding, "line_endings": line_endings}
    same = encoding == "utf-8" and line_endings in ("lf", "none")
    return text, meta, data if same else None


def markdown_title(text: str) -> str | None:
    """The text of the first ATX level-1 heading outside fenced code, if any."""
    fence: str | None = None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if opening is not None:
            if fence is None:
                fence = opening.group(1)
            elif opening.group(1) == fence:
                fence = None
            continue
        if fence is not None:
            continue
        heading = _ATX_H1.match(line)
        if heading is not None and heading.group(1).strip():
            return heading.group(1).strip()
    return None
