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
    return _plain_document(stem, data, "txt")


def extract_markdown(stem: str, data: bytes) -> ExtractedDocument:
    """A .md/.markdown file: the first "# " heading is the title, else the stem."""
    return _plain_document(stem, data, "md")


def _plain_document(stem: str, data: bytes, format_name: str) -> ExtractedDocument:
    text, encoding = decode_document_bytes(data)
    text, line_endings = normalize_line_endings(text)
    meta = {"encoding": encoding, "line_endings": line_endings}
    title = (markdown_title(text) or stem) if format_name == "md" else stem
    # Decoded from strict UTF-8 and left as it was, the text's UTF-8 is the file's bytes.
    same = encoding == "utf-8" and line_endings in ("lf", "none")
    return ExtractedDocument(title=title, text=text, format=format_name, meta=meta,
                             utf8=data if same else None)


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
