"""Tokens, the units of agreement, and which of them a set of spans marks.

Tokens are the matches of ``TOKEN_PATTERN`` (``\\w+|[^\\w\\s]``). ``re.finditer`` costs
about half a second per million tokens, so :func:`tokenize` classifies every code point
with numpy instead and finds the same runs; tests check it against the regular expression
over every code point.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# ``re``'s \w is str.isalnum() plus "_", and its \s is str.isspace(): both use the same
# Unicode predicates as CPython's str methods.
_ASCII_WORD = np.array([chr(c).isalnum() or c == ord("_") for c in range(128)])
_ASCII_SPACE = np.array([chr(c).isspace() for c in range(128)])


def _classify(text: str) -> tuple[BoolArray, BoolArray]:
    """Return (word, space) masks, one entry per code point of ``text``."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if text.isascii():
        return _ASCII_WORD[codes], _ASCII_SPACE[codes]
    wide = codes >= 128
    narrow = np.where(wide, 0, codes)
    word = _ASCII_WORD[narrow] & ~wide
    space = _ASCII_SPACE[narrow] & ~wide
    wide_at = np.flatnonzero(wide)
    # Few distinct non-ASCII code points occur in real text: classify each once.
    distinct, inverse = np.unique(codes[wide_at], return_inverse=True)
    chars = [chr(c) for c in distinct.tolist()]
    word[wide_at] = np.array([c.isalnum() for c in chars], dtype=bool)[inverse]
    space[wide_at] = np.array([c.isspace() for c in chars], dtype=bool)[inverse]
    return word, space


def tokenize(text: str) -> tuple[IntArray, IntArray]:
    """Return the (starts, ends) code point offsets of the tokens of ``text``.

    Same tokens, in the same order, as ``TOKEN_PATTERN.finditer(text)``: maximal runs of
    word characters, and every other non-space character on its own.
    """
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    word, space = _classify(text)
    other = ~(word | space)
    prev_word = np.concatenate(([False], word[:-1]))
    next_word = np.concatenate((word[1:], [False]))
    starts = np.flatnonzero((word & ~prev_word) | other).astype(np.int64)
    ends = np.flatnonzero((word & ~next_word) | other).astype(np.int64) + 1
    return starts, ends


def mark_tokens(
    token_starts: IntArray, token_ends: IntArray, span_starts: IntArray, span_ends: IntArray
) -> BoolArray:
    """Which tokens at least one span overlaps by one character or more.

    A span [s, e) overlaps token [ts, te) when s < te and ts < e. Tokens are sorted and
    disjoint, so each span covers one contiguous range of them, found by binary search;
    a difference array then adds all ranges up in one pass.
    """
    count = len(token_starts)
    first = np.searchsorted(token_ends, span_starts, side="right")
    last = np.searchsorted(token_starts, span_ends, side="left")
    diff = np.bincount(first, minlength=count + 1) - np.bincount(last, minlength=count + 1)
    marked: BoolArray = np.cumsum(diff[:count]) > 0
    return marked
