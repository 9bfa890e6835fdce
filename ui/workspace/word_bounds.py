"""Word and character-cluster boundaries for snapping selections and resizing spans.

Plain Python on core code-point offsets, so the rules are the same wherever a span's
ends move and can be tested without Qt.
"""

from __future__ import annotations

import unicodedata

_JOINERS = frozenset("'’-‐_.")  # inside a word only: don't, well-known, e.g.
_ZWJ = "\u200d"


def _attaches(ch: str) -> bool:
    """True for a character that belongs to the cluster before it (marks, ZWJ, modifiers)."""
    if ch == _ZWJ or "\ufe00" <= ch <= "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff":
        return True
    return unicodedata.category(ch)[0] == "M"


def cluster_start(text: str, i: int) -> int:
    """Move `i` left until it does not split a character from its marks or a ZWJ sequence."""
    i = min(max(i, 0), len(text))
    while 0 < i < len(text) and (_attaches(text[i]) or text[i - 1] == _ZWJ):
        i -= 1
    return i


def cluster_end(text: str, i: int) -> int:
    """Move `i` right until it does not split a character from its marks or a ZWJ sequence."""
    i = min(max(i, 0), len(text))
    while 0 < i < len(text) and (_attaches(text[i]) or text[i - 1] == _ZWJ):
        i += 1
    return i


def is_word_char(text: str, i: int) -> bool:
    ch = text[i]
    if ch.isalnum() or _attaches(ch):
        return True
    return (ch in _JOINERS and 0 < i < len(text) - 1
            and text[i - 1].isalnum() and text[i + 1].isalnum())


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words; surrounding whitespace is trimmed first."""
    start, end = trim_space(text, start, end)
    if start >= end:
        return start, end
    while start > 0 and is_word_char(text, start - 1) and is_word_char(text, start):
        start -= 1
    while end < len(text) and is_word_char(text, end) and is_word_char(text, end - 1):
        end += 1
    return cluster_start(text, start), cluster_end(text, end)


def trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _next_word_end(text: str, i: int) -> int:
    n = len(text)
    while i < n and not is_word_char(text, i):
        i += 1
    while i < n and is_word_char(text, i):
        i += 1
    return i


def _prev_word_start(text: str, i: int) -> int:
    while i > 0 and not is_word_char(text, i - 1):
        i -= 1
    while i > 0 and is_word_char(text, i - 1):
        i -= 1
    return i


def grow_end(text: str, start: int, end: int, by_word: bool) -> int:
    if end >= len(text):
        return end
    return _next_word_end(text, end) if by_word else cluster_end(text, end + 1)


def shrink_end(text: str, start: int, end: int, by_word: bool) -> int:
    """New end one word/character earlier; unchanged if the span would become empty."""
    if by_word:
        new = _prev_word_start(text, end)
        while new > start and not is_word_char(text, new - 1):
            new -= 1
    else:
        new = cluster_start(text, end - 1)
    return new if new > start else end


def grow_start(text: str, start: int, end: int, by_word: bool) -> int:
    if start <= 0:
        return start
    return _prev_word_start(text, start) if by_word else cluster_start(text, start - 1)


def shrink_start(text: str, start: int, end: int, by_word: bool) -> int:
    """New start one word/character later; unchanged if the span would become empty."""
    if by_word:
        new = start
        while new < end and is_word_char(text, new):
            new += 1
        while new < end and not is_word_char(text, new):
            new += 1
    else:
        new = cluster_end(text, start + 1)
    return new if new < end else start
