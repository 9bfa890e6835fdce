"""The one place that converts between core offsets and Qt text positions.

The core counts Unicode code points into the stored text. A QTextDocument counts UTF-16
units, and QPlainTextEdit.setPlainText rewrites some characters. Measured on Qt 6.11:

* "\\n", "\\r" and U+2029 each become one block separator (one position);
* "\\r\\n" becomes ONE block separator, so two code points share one position;
* U+2028, tabs, runs of spaces, U+000B/U+000C/U+0085 stay as they are (one position);
* an astral character (emoji, rare CJK) takes two positions (a surrogate pair);
* U+FDD0/U+FDD1 turn into block separators (Qt's frame markers), a leading U+FEFF is
  dropped and lone surrogates are dropped.

`display_text` derives the text handed to Qt so that only the CRLF and astral rules are
left (the other characters are swapped one for one with look-alikes Qt keeps), and
`OffsetMap` converts in O(log k), k = number of CRLF pairs plus astral characters.

Qt lays out a paragraph as a whole, and again whenever a highlight in it changes: a dataset
text stored as one 1 MB paragraph cost 136 ms per key press. So a paragraph longer than
`MAX_BLOCK` is shown as several display blocks: one space every ~`MAX_BLOCK` characters is
handed to Qt as a line break. That is one position for one position, so `OffsetMap` is
untouched; the view copies the core text, never Qt's, and draws no paragraph gap there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, NamedTuple, Protocol, cast

if TYPE_CHECKING:  # numpy itself loads with the first text that needs it, not at start-up
    import numpy as np
    import numpy.typing as npt

# Regular expressions cost ~10 ms a scan on 1 MB; str.find loops and encode checks are
# 20-50x faster, so they decide first whether a scan is needed at all.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _find_all(text: str, needle: str) -> list[int]:
    found = []
    find = text.find
    i = find(needle)
    while i >= 0:
        found.append(i)
        i = find(needle, i + 1)
    return found


class TextChecks(NamedTuple):
    """What the conversions need to know of a whole text, found once per text: each check
    is a scan of it (~0.1-1 ms per MB), and the map and the display layout both need them."""

    ascii: bool
    cr: bool  # a "\r" anywhere
    astral: bool  # a character beyond U+FFFF (two Qt positions)
    surrogates: bool  # a lone surrogate code point (Qt drops it)
    # Offsets of the astral characters, when there is no lone surrogate (found in the same
    # UTF-16 encoding: the map needs no UTF-32 one of its own, ~1 ms per MB).
    astral_at: tuple[int, ...] = ()


def checks_of(text: str) -> TextChecks:
    """The checks of `text`: one UTF-16 encoding answers astral and surrogates."""
    if text.isascii():
        return TextChecks(True, "\r" in text, False, False)
    try:  # strict UTF-16 refuses exactly the surrogate code points
        encoded = text.encode("utf-16-le")
    except UnicodeEncodeError:
        astral = len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
        return TextChecks(False, "\r" in text, astral, True)
    if len(encoded) == 2 * len(text):
        return TextChecks(False, "\r" in text, False, False)
    import numpy as np

    # Every high surrogate opens a pair here; the k-th pair starts k code points earlier
    # than its UTF-16 unit. Units from U+D800 up are few (surrogates, U+E000-U+FFFF) in
    # most texts: one compare picks them and the test for high ones runs on those alone.
    # `(units & 0xFC00) == 0xD800` made one more full-length temporary, fresh memory that
    # page-faulted: 1 MB with emoji, checks_of 2.5 -> 1.2 ms in a loop of opens.
    units = np.frombuffer(encoded, dtype=np.uint16)
    candidates = np.flatnonzero(units >= 0xD800)
    high = candidates[units[candidates] < 0xDC00]
    astral_at = tuple((high - np.arange(len(high))).tolist())
    return TextChecks(False, "\r" in text, True, False, astral_at)


MAX_BLOCK = 2_000  # characters of one display block, at most (unless it has no space)


class DisplayLayout(NamedTuple):
    """How a core text is shown: the text for setPlainText and its blocks (core offsets)."""

    text: str
    block_starts: list[int]
    soft_starts: list[int]  # blocks that continue the paragraph before them


def display_layout(text: str, checks: TextChecks | None = None) -> DisplayLayout:
    """The display text, every block start and the soft (paragraph-continuing) ones;
    `checks`: those of `text` when the caller has them already."""
    checks = checks or checks_of(text)
    starts = _paragraph_starts(text, checks)
    soft = _soft_breaks(text, starts)
    if not soft:
        return DisplayLayout(_display(text, checks), starts, [])
    pieces = []
    previous = 0
    for i in soft:
        pieces.append(text[previous:i])
        previous = i + 1
    pieces.append(text[previous:])
    soft_starts = [i + 1 for i in soft]
    # Soft breaks turn spaces into "\n": the checks of the text stay true of the result.
    return DisplayLayout(_display("\n".join(pieces), checks), sorted(starts + soft_starts),
                         soft_starts)


def _soft_breaks(text: str, starts: list[int]) -> list[int]:
    """Offsets of the spaces shown as line breaks, cutting paragraphs to ~MAX_BLOCK."""
    limit = MAX_BLOCK
    if len(text) <= limit:
        return []
    breaks: list[int] = []
    ends = [*starts[1:], len(text) + 2]
    for start, end in zip(starts, ends, strict=True):
        # A space with the paragraph's separator (or CR LF) right behind it is not used.
        last = end - 3
        p = start
        while last - p > limit:
            i = text.rfind(" ", p + limit // 2, p + limit)
            if i < 0:
                i = text.find(" ", p + limit, last)
                if i < 0:
                    break
            breaks.append(i)
            p = i + 1
    return breaks


def display_text(text: str) -> str:
    """Return the text to pass to setPlainText: same positions as `OffsetMap` assumes."""
    return display_layout(text).text


def _display(text: str, checks: TextChecks) -> str:
    if not checks.ascii:
        # U+2060 is also a zero-width no-break character, and Qt keeps it.
        text = text.replace("\ufeff", "\u2060").replace("\ufdd0", "\ufffd")
        text = text.replace("\ufdd1", "\ufffd")
        if checks.surrogates:
            text = _SURROGATE.sub("\ufffd", text)
    if not checks.cr:
        return text
    # Lone CRs become LFs too: left as they are, "\r" + the LF of a collapsed "\r\n"
    # behind it would form a new pair that Qt merges into one position.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# PySide hands Qt a str of code points up to U+FFFF as a copy (QString::fromUtf16) and one
# with a character beyond through QString::fromUcs4, ~64 instructions a character: 1 MB of
# text with emoji cost ~11 ms more in setPlainText than the same text as UTF-16 units.
_UCS2_KIND = 2  # PyUnicode_2BYTE_KIND: a str stored as 16-bit code points


class _FromUnits(Protocol):
    def __call__(self, kind: int, data: bytes, length: int, /) -> str: ...


_from_units: _FromUnits | None = None


def _str_of_units(encoded: bytes) -> str:
    """The str whose code points are the 16-bit units of `encoded`, surrogates unpaired.

    No codec makes it (a UTF-16 decoder pairs surrogates, and surrogatepass through UTF-32
    calls its error handler once per surrogate: 6 ms per MB of emoji text), so the C API's
    PyUnicode_FromKindAndData does, in one copy. With the UTF-16 encoding before it, 1 MB
    with emoji inside SpanIndex.reset: 1.1-1.2 ms against 1.6-3.2 ms for a str.replace
    (which builds a UCS-4 result, then scans and narrows it); repeated on one text in a
    tight loop, where both 2 MB buffers are fresh pages each time, ~2.0 against ~1.6 ms.
    ctypes comes with numpy, which every text with astral characters has loaded already."""
    global _from_units
    if _from_units is None:
        import ctypes

        function = ctypes.pythonapi["PyUnicode_FromKindAndData"]  # a pointer of our own
        function.restype = ctypes.py_object
        function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_ssize_t)
        _from_units = cast("_FromUnits", function)
    return _from_units(_UCS2_KIND, encoded, len(encoded) // 2)


def qt_string(shown: str, checks: TextChecks) -> str:
    """`shown`, the display text of a core text (`checks`: those of the core text), as the
    UTF-16 units Qt stores: each astral character as its surrogate pair, two code points of
    the str.

    Qt gets the same QString either way, only cheaper. Left as it is without astral
    characters, or with lone surrogates in the core text (no offsets of them known)."""
    if not checks.astral_at:
        return shown
    # The display text keeps the core text's astral characters and adds no lone surrogate
    # (the checks found none): strict UTF-16 encodes it, pairs and all.
    return _str_of_units(shown.encode("utf-16-le"))


def block_starts(text: str) -> list[int]:
    """Core offsets where each Qt block of `text` starts (paragraphs and soft breaks)."""
    return display_layout(text).block_starts


def _paragraph_starts(text: str, checks: TextChecks) -> list[int]:
    breaks = _find_all(text, "\n")
    if checks.cr:
        # The "\r" of a CRLF pair starts no block: its "\n" does.
        breaks += [i for i in _find_all(text, "\r") if text[i + 1:i + 2] != "\n"]
        breaks.sort()
    if not checks.ascii and "\u2029" in text:
        breaks += _find_all(text, "\u2029")
        breaks.sort()
    return [0, *(i + 1 for i in breaks)]


class OffsetMap:
    """Converts core code-point offsets to Qt positions and back for one document text."""

    __slots__ = ("_core_marks", "_core_marks_np", "_crlf_np", "_cum", "_cum_np", "_length",
                 "_qt_length", "_qt_marks", "_qt_marks_np", "_text")

    # Set only when the text has marks (to_qt_many reads them after checking that).
    _core_marks_np: npt.NDArray[np.int64]
    _qt_marks_np: npt.NDArray[np.int64]
    _cum_np: npt.NDArray[np.int64]
    _crlf_np: npt.NDArray[np.int64]

    def __init__(self, text: str, checks: TextChecks | None = None) -> None:
        """`checks`: those of `text` when the caller has them already (see checks_of)."""
        self._text = text
        self._length = len(text)
        crlf: list[int] = []
        checks = checks or checks_of(text)
        # "\r" in text is a fast scan; a two-character find or compare is not (~3-13 ms on
        # a 5 MB text of wide characters), and most texts have no "\r".
        has_cr = checks.cr
        if not checks.astral:
            crlf = _find_all(text, "\r\n") if has_cr else []
            if not crlf:
                # Qt positions are the core offsets. No numpy either: the empty view's map,
                # built at start-up, does not load it.
                self._core_marks: list[int] = []
                self._qt_marks: list[int] = []
                self._cum: list[int] = []
                self._qt_length = self._length
                return
        import numpy as np

        # A mark is the first offset from which one more correction applies; cum holds the
        # running total of (qt - core) from that mark on. Built with numpy: a Python loop
        # over the astral characters and CRLFs of a 1 MB text would cost tens of ms.
        # Declared without a shape: numpy 2.2 and 2.3+ type slices differently.
        starts: npt.NDArray[np.int64]
        astral: npt.NDArray[np.bool_]
        if crlf:
            starts = np.array(crlf, dtype=np.int64)
            astral = np.zeros(len(starts), dtype=bool)
        elif not has_cr and not checks.surrogates:  # the checks found them already
            starts = np.array(checks.astral_at, dtype=np.int64)
            astral = np.ones(len(starts), dtype=bool)
        else:
            points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            astral_at = np.flatnonzero(points > 0xFFFF)
            crlf_at = (np.flatnonzero((points[:-1] == 13) & (points[1:] == 10)) if has_cr
                       else np.zeros(0, dtype=np.int64))
            starts = np.concatenate([astral_at, crlf_at]).astype(np.int64)
            astral = np.concatenate([np.ones(len(astral_at), dtype=bool),
                                     np.zeros(len(crlf_at), dtype=bool)])
            order = np.argsort(starts, kind="stable")
            starts, astral = starts[order], astral[order]
        steps = np.where(astral, 1, -1)
        cum = np.cumsum(steps)
        before = cum - steps
        self._core_marks_np = starts + np.where(astral, 1, 2)
        self._qt_marks_np = starts + before + np.where(astral, 2, 1)
        self._cum_np = cum
        self._crlf_np = starts[~astral]
        self._core_marks = self._core_marks_np.tolist()
        self._qt_marks = self._qt_marks_np.tolist()
        self._cum = cum.tolist()
        self._qt_length = self._length + (self._cum[-1] if self._cum else 0)

    @property
    def text(self) -> str:
        return self._text

    @property
    def qt_length(self) -> int:
        """Number of Qt positions the text occupies (the end position)."""
        return self._qt_length

    @property
    def is_identity(self) -> bool:
        return not self._core_marks

    def to_qt(self, offset: int, *, end: bool = False) -> int:
        """Qt position of core `offset`, clamped to the text.

        An offset between "\\r" and "\\n" has no Qt position of its own: a start rounds down
        to the separator, an end (`end=True`) rounds up past it.
        """
        offset = min(max(offset, 0), self._length)
        i = bisect_right(self._core_marks, offset)
        qt = offset + (self._cum[i - 1] if i else 0)
        if not end and 0 < offset < self._length and self._text[offset - 1:offset + 1] == "\r\n":
            qt -= 1
        return qt

    def to_core(self, position: int, *, end: bool = False) -> int:
        """Core offset of Qt `position`, clamped to the text.

        A position inside a surrogate pair rounds down to the character for a start and up
        past it for an end.
        """
        position = min(max(position, 0), self._qt_length)
        i = bisect_right(self._qt_marks, position)
        core = position - (self._cum[i - 1] if i else 0)
        if i < len(self._qt_marks) and self._qt_marks[i] == position + 1:
            # position + 1 is where the next mark applies: if that mark is an astral one,
            # `position` is between its two surrogates.
            before = self._cum[i - 1] if i else 0
            if self._cum[i] > before:
                core = position - before - (0 if end else 1)
        return core

    def to_qt_many(self, offsets: npt.NDArray[np.int64], *, end: bool = False
                   ) -> npt.NDArray[np.int64]:
        """`to_qt` of every offset in an array, in one vectorised pass."""
        import numpy as np

        offsets = np.clip(offsets, 0, self._length)
        if not self._core_marks:
            return offsets
        i = np.searchsorted(self._core_marks_np, offsets, side="right")
        shift = np.where(i > 0, self._cum_np[np.maximum(i - 1, 0)], 0)
        qt = offsets + shift
        if not end and len(self._crlf_np):
            qt -= np.isin(offsets - 1, self._crlf_np)
        return np.asarray(qt, dtype=np.int64)

    def to_qt_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end, end=True)

    def to_core_range(self, start: int, end: int) -> tuple[int, int]:
        return self.to_core(start), self.to_core(end, end=True)
