"""HTML: the readable article text, parsed with selectolax (lexbor); nothing is fetched.

Text layout: every block (paragraph, heading, list item, table row, ``<br>`` ...) becomes one
line, and lines are separated by a single "\\n" with no blank lines between them. Whitespace
inside a block collapses to single spaces (only ASCII whitespace: a no-break space is
content), except inside ``<pre>``, which is kept verbatim. Entities are decoded by the parser.

Content: scripts, styles, navigation, page headers/footers, asides, forms and the like are
dropped, as are elements with the ``hidden`` attribute or a navigation/banner/contentinfo role.
The largest ``<article>`` is read if there is one, else ``<main>`` (or ``[role=main]``), else
``<body>``.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from annotator.importing.decoding import (
    bom_encoding,
    decode_document_bytes,
    refuse_binary,
    refuse_blank,
)
from annotator.importing.document import ExtractedDocument, ImportFailure
from annotator.importing.lines import normalize_line_endings

_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "head", "title", "object", "embed", "canvas", "select",
    "textarea", "dialog",
})
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo"})
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hgroup", "hr", "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_CELL_TAGS = frozenset({"td", "th"})
_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
# Browsers look for the charset in the first 1024 bytes; a little more tolerates long heads.
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_PRESCAN_BYTES = 4096
MAX_DEPTH = 10_000
MAX_ELEMENTS = 1_000_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")
_RAW_TEXT = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title|xmp)\b.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_NOT_NESTING = frozenset({
    # void elements
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param", "keygen",
    # end tag optional
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
    # a new one closes the one still open
    "a", "nobr",
})


def extract_html(stem: str, data: bytes) -> ExtractedDocument:
    """An .html/.htm file: article text, title from the page, url/description when given."""
    source, encoding = decode_html_bytes(data)
    source, line_endings = normalize_line_endings(source)
    _refuse_unwieldy(source)
    tree = LexborHTMLParser(source)
    text = readable_text(tree)
    if not text:
        raise ImportFailure("has no readable text (only markup, scripts or navigation)")
    meta: dict[str, Any] = {"encoding": encoding, "line_endings": line_endings}
    url = _attribute(tree, 'link[rel~="canonical"]', "href") or _attribute(
        tree, 'meta[property="og:url"]', "content"
    )
    if url:
        meta["url"] = url
    description = _attribute(tree, 'meta[name="description"]', "content") or _attribute(
        tree, 'meta[property="og:description"]', "content"
    )
    if description:
        meta["description"] = description
    title = page_title(tree) or stem
    return ExtractedDocument(title=title, text=text, format="html", meta=meta)


def tag_shape(source: str) -> tuple[int, int]:
    """How deeply the elements of ``source`` nest and how many there are, as its tags say.

    An estimate on the text, before parsing, that stops once past a limit: elements whose
    end tag may be left out or that cannot hold content do not nest, and nothing in
    comments, scripts and styles counts.
    """
    depth = deepest = elements = 0
    for match in _TAG.finditer(_RAW_TEXT.sub("", source)):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name not in _NOT_NESTING:
                depth = max(depth - 1, 0)
            continue
        elements += 1
        if not self_closing and name not in _NOT_NESTING:
            depth += 1
            deepest = max(deepest, depth)
        if deepest > MAX_DEPTH or elements > MAX_ELEMENTS:
            break
    return deepest, elements


def _refuse_unwieldy(source: str) -> None:
    # The parser slows down with the square of the depth (200,000 nested <div>s took
    # minutes) and spends a few hundred bytes per element; no real page comes near these.
    depth, elements = tag_shape(source)
    if depth > MAX_DEPTH:
        raise ImportFailure(f"nests HTML elements deeper than {MAX_DEPTH:,} levels")
    if elements > MAX_ELEMENTS:
        raise ImportFailure(f"has more than {MAX_ELEMENTS:,} HTML elements")


def decode_html_bytes(data: bytes) -> tuple[str, str]:
    """Decode an HTML file: BOM first, then ``<meta charset>``, then the generic rule."""
    declared = None if bom_encoding(data) else declared_charset(data[:_PRESCAN_BYTES])
    if declared is not None:
        # A wrong declaration is common; the generic rule still gets such a file right.
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(declared)
            refuse_binary(text)
            refuse_blank(text)
            return text, declared
    return decode_document_bytes(data)


def declared_charset(head: bytes) -> str | None:
    """The codec named by a ``<meta charset>``/http-equiv in ``head``, as browsers read it."""
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # bytes scanned as ASCII cannot be UTF-16; the HTML standard ignores it
    if name in ("ascii", "iso8859-1"):
        return "cp1252"  # the HTML standard reads both labels as windows-1252
    return name


def page_title(tree: LexborHTMLParser) -> str | None:
    """``<title>``, else og:title, else the first ``<h1>``; whitespace collapsed."""
    candidates = (
        _text_of(tree.css_first("title")),
        _attribute(tree, 'meta[property="og:title"]', "content"),
        _text_of(tree.css_first("h1")),
    )
    for candidate in candidates:
        if candidate:
            return candidate
    return None


def readable_text(tree: LexborHTMLParser) -> str:
    """The text of the page's main content, laid out as the module docstring says."""
    articles = [node for node in tree.css("article") if not _inside_dropped(node)]
    if articles:
        return max((_block_text(node) for node in articles), key=len)
    for selector in ("main", '[role="main"]'):
        for node in tree.css(selector):
            if not _inside_dropped(node):
                return _block_text(node)
    root = tree.body if tree.body is not None else tree.root
    return _block_text(root) if root is not None else ""


def _block_text(root: LexborNode) -> str:
    lines: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        line = _ASCII_SPACE.sub(" ", "".join(inline)).strip()
        if line:
            lines.append(line)
        inline.clear()

    for event, node in _walk(root):
        if event == "text":
            inline.append(node.text_content or "")
        elif event == "pre":
            flush()
            verbatim = (node.text(deep=True, separator="") or "").strip("\n")
            if verbatim.strip():
                lines.append(verbatim)
        elif node.tag == "br" or node.tag in _BLOCK_TAGS:
            flush()  # on opening and closing: text after a block starts a new line too
        elif node.tag in _CELL_TAGS:
            inline.append(" ")  # cells of a row share its line
    flush()
    return "\n".join(lines).strip()


def _walk(root: LexborNode) -> Iterator[tuple[str, LexborNode]]:
    """Depth-first events: ("open"|"close", element), ("text", node), ("pre", element).

    Iterative, so deeply nested pages cannot hit the recursion limit; dropped subtrees and
    comments are skipped.
    """
    stack: list[tuple[bool, LexborNode]] = [(False, root)]
    while stack:
        closing, node = stack.pop()
        if closing:
            yield "close", node
            continue
        if node.is_text_node:
            yield "text", node
            continue
        if not node.is_element_node or _is_dropped(node):
            continue
        if node.tag == "pre":
            yield "pre", node
            continue
        yield "open", node
        stack.append((True, node))
        stack.extend((False, child) for child in reversed(list(node.iter(include_text=True))))


def _is_dropped(node: LexborNode) -> bool:
    attributes = node.attributes
    return (
        node.tag in _DROPPED_TAGS
        or "hidden" in attributes
        or (attributes.get("role") or "").strip().lower() in _DROPPED_ROLES
    )


def _inside_dropped(node: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None and current.is_element_node:
        if _is_dropped(current):
            return True
        current = current.parent
    return False


def _text_of(node: LexborNode | None) -> str | None:
    if node is None:
        return None
    return _ASCII_SPACE.sub(" ", node.text(deep=True, separator=" ")).strip() or None


def _attribute(tree: LexborHTMLParser, selector: str, name: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    value = node.attributes.get(name)
    return value.strip() or None if value else None
