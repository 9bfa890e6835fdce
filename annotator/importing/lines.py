"""The line-ending policy for file formats: CRLF and lone CR become LF.

Record formats (jsonl/json/csv) do not use this: a record's text is data and is kept as is.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\r|\n")


def line_ending_kind(text: str) -> str:
    """Which line endings ``text`` uses: "lf", "crlf", "cr", "mixed" or "none"."""
    if "\r" not in text:  # the usual case, without a match object per line
        return "lf" if "\n" in text else "none"
    kinds = {match.group() for match in _BREAK.finditer(text)}
    if not kinds:
        return "none"
    if len(kinds) > 1:
        return "mixed"
    return {"\n": "lf", "\r\n": "crlf", "\r": "cr"}[kinds.pop()]


def normalize_line_endings(text: str) -> tuple[str, str]:
    """``text`` with every CRLF and lone CR turned into LF, and its original kind.

    Nothing else changes: U+2028/U+2029, tabs and runs of spaces stay, and there is no
    Unicode normalisation (it would shift code-point offsets).
    """
    kind = line_ending_kind(text)
    if kind in ("none", "lf"):
        return text, kind
    return text.replace("\r\n", "\n").replace("\r", "\n"), kind
