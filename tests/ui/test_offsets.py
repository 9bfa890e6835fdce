"""ui.workspace.offsets against real QTextDocument positions, for every kind of tricky text."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from ui.workspace import offsets
from ui.workspace.offsets import (
    MAX_BLOCK,
    OffsetMap,
    block_starts,
    display_layout,
    display_text,
    qt_string,
)

pytestmark = pytest.mark.usefixtures("qapp")

PIECES = ["a", "word", " ", "   ", "\t", "é", "e\u0301", "😀", "👩‍👩‍👧", "🇫🇷", "中文", "ー",
          "\r\n", "\r", "\n", "\u2028", "\u2029", "\ufeff", "\ufdd0", "\x0b", "\x0c", "\x85",
          ".", "𝔘"]
tricky_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)

SAMPLES = [
    "",
    "plain ascii text",
    "line one\r\nline two\r\n\r\nline four",
    "lone\rcarriage\r\rreturns\r",
    "mixed\r\n\n\r\r\nends",
    "emoji 😀 and family 👩‍👩‍👧 and flag 🇫🇷!",
    "中文文本，日本語のテキスト",
    "combining e\u0301 and a\u0308",
    "tabs\tand   runs  of spaces",
    "line\u2028separator and para\u2029separator",
    "\ufeffleading BOM",
    "frame \ufdd0 markers \ufdd1 inside",
    "😀\r\n😀\r\n",
]


def make_document(text: str) -> QTextDocument:
    return make_document_from(display_text(text))


def make_document_from(shown: str) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    document.setPlainText(shown)
    return document


def qt_selected(document: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def as_qt_sees(core_piece: str) -> str:
    """How QTextCursor.selectedText renders a piece of the core text."""
    shown = display_text(core_piece)
    for separator in ("\n", "\r"):
        shown = shown.replace(separator, "\u2029")
    return shown


def cursor_positions(document: QTextDocument) -> list[int]:
    """Every position a cursor can stop at, walking the document character by character."""
    cursor = QTextCursor(document)
    found = [0]
    while cursor.movePosition(QTextCursor.MoveOperation.NextCharacter):
        found.append(cursor.position())
    return found


def test_crlf_is_one_qt_position_and_other_separators_one_each() -> None:
    # Measured on Qt 6.11: "\r\n" is a single block separator; "\r", "\n", U+2029 one each;
    # U+2028 stays inside its block; an astral character takes two positions.
    for text, qt_length, blocks in [("a\r\nb", 3, 2), ("a\rb", 3, 2), ("a\nb", 3, 2),
                                    ("a\u2029b", 3, 2), ("a\u2028b", 3, 1), ("😀b", 3, 1)]:
        document = QTextDocument()
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setPlainText(text)
        assert document.characterCount() - 1 == qt_length, repr(text)
        assert document.blockCount() == blocks, repr(text)
        assert OffsetMap(text).qt_length == qt_length


@pytest.mark.parametrize("text", SAMPLES)
def test_lengths_and_blocks_match_qt(text: str) -> None:
    document = make_document(text)
    assert OffsetMap(text).qt_length == document.characterCount() - 1
    starts = block_starts(text)
    assert len(starts) == document.blockCount()
    mapping = OffsetMap(text)
    block = document.begin()
    for start in starts:
        assert mapping.to_qt(start) == block.position()
        block = block.next()


@pytest.mark.parametrize("text", SAMPLES)
def test_every_core_range_reads_back_the_same_characters(text: str) -> None:
    document = make_document(text)
    mapping = OffsetMap(text)
    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 6) + 1):
            qt_start, qt_end = mapping.to_qt_range(start, end)
            # Half a CRLF pair widens to the whole separator: Qt cannot show less.
            lo = start - 1 if start and text[start - 1:start + 1] == "\r\n" else start
            hi = end + 1 if 0 < end < len(text) and text[end - 1:end + 1] == "\r\n" else end
            assert qt_selected(document, qt_start, qt_end) == as_qt_sees(text[lo:hi])


@pytest.mark.parametrize("text", SAMPLES)
def test_every_qt_selection_maps_to_exactly_its_core_text(text: str) -> None:
    document = make_document(text)
    mapping = OffsetMap(text)
    positions = cursor_positions(document)
    for i, qt_start in enumerate(positions):
        for qt_end in positions[i:i + 6]:
            start, end = mapping.to_core_range(qt_start, qt_end)
            assert as_qt_sees(text[start:end]) == qt_selected(document, qt_start, qt_end)
            assert mapping.to_qt_range(start, end) == (qt_start, qt_end)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tricky_text, st.data())
def test_round_trip_against_real_cursor_positions(text: str, data: st.DataObject) -> None:
    document = make_document(text)
    mapping = OffsetMap(text)
    assert mapping.qt_length == document.characterCount() - 1
    # Every cursor stop maps to a core offset and back to itself.
    for position in cursor_positions(document):
        assert mapping.to_qt(mapping.to_core(position)) == position
    # Every core offset outside a CRLF pair maps to a Qt position and back to itself.
    for offset in range(len(text) + 1):
        if not (0 < offset < len(text) and text[offset - 1:offset + 1] == "\r\n"):
            assert mapping.to_core(mapping.to_qt(offset)) == offset
    every = np.arange(-1, len(text) + 2, dtype=np.int64)
    for end_flag in (False, True):
        assert mapping.to_qt_many(every, end=end_flag).tolist() == [
            mapping.to_qt(int(o), end=end_flag) for o in every]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    qt_start, qt_end = mapping.to_qt_range(start, end)
    back = mapping.to_core_range(qt_start, qt_end)
    assert back[0] <= start and back[1] >= end
    assert back[1] - back[0] <= end - start + 2


def test_positions_inside_a_surrogate_pair_round_outward() -> None:
    mapping = OffsetMap("a😀b")
    assert mapping.to_core(2) == 1            # as a start: the emoji is kept whole
    assert mapping.to_core(2, end=True) == 2  # as an end: likewise
    assert mapping.to_qt(2) == 3


def test_offsets_are_clamped() -> None:
    mapping = OffsetMap("ab\r\nc")
    assert mapping.to_qt(-5) == 0
    assert mapping.to_qt(99) == mapping.qt_length == 4
    assert mapping.to_core(99) == 5


def test_display_text_keeps_one_position_per_character_qt_would_drop() -> None:
    text = "\ufeffa\ufdd0b\ud800c\r\n"
    shown = display_text(text)
    assert shown == "\u2060a\ufffdb\ufffdc\n"
    assert OffsetMap(text).qt_length == make_document(text).characterCount() - 1


class CountingList(list[int]):
    """A list that counts the items bisect reads from it."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        CountingList.reads += 1
        return super().__getitem__(index)


def test_lookups_are_logarithmic_on_a_megabyte() -> None:
    rng = random.Random(7)
    pieces = ["word ", "ünïcode ", "😀", "\r\n", "中文", "e\u0301 "]
    text = "".join(rng.choice(pieces) for _ in range(200_000))[:1_000_000]
    mapping = OffsetMap(text)
    marks = len(mapping._core_marks)
    assert marks > 50_000
    mapping._core_marks = CountingList(mapping._core_marks)
    mapping._qt_marks = CountingList(mapping._qt_marks)
    lookups = 2_000
    for _ in range(lookups):
        offset = rng.randrange(len(text))
        mapping.to_core(mapping.to_qt(offset, end=True), end=True)
    # Two binary searches per round trip, plus a look at the neighbouring mark: a linear
    # scan would read tens of thousands of marks per lookup.
    per_lookup = CountingList.reads / lookups
    assert per_lookup <= 2 * (marks.bit_length() + 1) + 2


@contextmanager
def small_blocks(limit: int) -> Iterator[None]:
    saved = offsets.MAX_BLOCK
    offsets.MAX_BLOCK = limit
    try:
        yield
    finally:
        offsets.MAX_BLOCK = saved


one_paragraph = st.lists(st.sampled_from([p for p in PIECES if p not in (
    "\r\n", "\r", "\n", "\u2029", "\ufdd0", "\ufdd1")] + [" ", " ", " "]),
    min_size=1, max_size=200).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(one_paragraph, tricky_text), st.integers(4, 40))
@example(text="aaaa 🇫🇷", limit=6)
def test_long_paragraphs_split_into_blocks_with_the_same_positions(text: str,
                                                                   limit: int) -> None:
    with small_blocks(limit):
        layout = display_layout(text)
    document = make_document_from(layout.text)
    mapping = OffsetMap(text)
    # Same positions as the unsplit text; blocks where display_layout says they are.
    assert mapping.qt_length == document.characterCount() - 1
    assert len(layout.block_starts) == document.blockCount()
    block = document.begin()
    for start in layout.block_starts:
        assert mapping.to_qt(start) == block.position()
        block = block.next()
    for position in cursor_positions(document):
        assert mapping.to_qt(mapping.to_core(position)) == position
    # Only spaces become breaks, never the first or last character of a paragraph.
    assert set(layout.soft_starts) <= set(layout.block_starts)
    assert all(text[s - 1] == " " and s - 1 not in layout.block_starts
               for s in layout.soft_starts)
    # Every display block but the ones without a space stays short.
    ends = [*layout.block_starts[1:], len(text) + 1]
    for start, end in zip(layout.block_starts, ends, strict=True):
        window_end = end - 3 if end <= len(text) else len(text) - 1
        assert end - start - 1 <= limit + 2 or " " not in text[start + limit // 2:window_end]


def test_a_megabyte_paragraph_is_shown_in_bounded_blocks() -> None:
    text = " ".join(["word"] * 200_000)
    layout = display_layout(text)
    assert layout.text.count("\n") == len(layout.soft_starts) > 100
    ends = [*layout.block_starts[1:], len(text) + 1]
    assert max(e - s for s, e in zip(layout.block_starts, ends, strict=True)) <= MAX_BLOCK + 1
    assert layout.text.replace("\n", " ") == text


@pytest.mark.parametrize(("text", "expected"), [
    ("plain", offsets.TextChecks(True, False, False, False)),
    ("two\r\nlines", offsets.TextChecks(True, True, False, False)),
    ("caf\u00e9 \u4e2d", offsets.TextChecks(False, False, False, False)),
    ("emoji \U0001f600\r", offsets.TextChecks(False, True, True, False, (6,))),
    ("\U0001f600 \u4e2d\U0001d518\U0001f600",
     offsets.TextChecks(False, False, True, False, (0, 3, 4))),
    ("lone \ud800 surrogate", offsets.TextChecks(False, False, False, True)),
    ("both \ud800 and \U0001f600", offsets.TextChecks(False, False, True, True)),
])
def test_text_checks_are_made_once_and_given_to_map_and_layout(
        text: str, expected: offsets.TextChecks) -> None:
    # One set of scans serves both: given the checks, each answers as it does alone.
    checks = offsets.checks_of(text)
    assert checks == expected
    alone = OffsetMap(text)
    given_checks = OffsetMap(text, checks)
    assert given_checks.qt_length == alone.qt_length
    assert [given_checks.to_qt(i) for i in range(len(text) + 1)] == [
        alone.to_qt(i) for i in range(len(text) + 1)]
    assert display_layout(text, checks) == display_layout(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(tricky_text, st.lists(st.sampled_from(
    [*PIECES, "\ud800", "\udfff", *(chr(0x1F600 + i) for i in range(12))]),
    max_size=40).map("".join)))
@example("emoji \U0001f600 and \U0001d518\r\n\U0001f600")
@example("".join(chr(0x1F600 + i) for i in range(12)))  # many distinct astral characters
def test_qt_string_gives_qt_the_same_text(text: str) -> None:
    # The surrogate pairs handed over as code points are one QString with the original.
    checks = offsets.checks_of(text)
    shown = display_layout(text, checks).text
    units = qt_string(shown, checks)
    assert make_document_from(units).toPlainText() == make_document_from(shown).toPlainText()
    assert len(units) == OffsetMap(text).qt_length or "\r" in text or checks.surrogates \
        or units is shown


def test_qt_string_is_narrow_for_a_few_astral_characters() -> None:
    # What makes it cheap: no code point above U+FFFF left for PySide's UCS-4 conversion.
    text = "emoji \U0001f600 and \U0001d518, again \U0001f600." * 100
    checks = offsets.checks_of(text)
    units = qt_string(text, checks)
    assert max(units) <= "\uffff"
    assert len(units) == len(text) + 300
    assert units.encode("utf-16-le", "surrogatepass") == text.encode("utf-16-le")
    assert qt_string("plain", offsets.checks_of("plain")) == "plain"


def _pairs(shown: str, checks: offsets.TextChecks) -> str:
    """What qt_string gives, character by character: each astral one as its surrogate
    pair (nothing changed without astral characters, or with lone surrogates)."""
    if not checks.astral_at:
        return shown
    return "".join(c if c <= "\uffff" else
                   chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + (ord(c) & 0x3FF))
                   for c in shown)


# Units from U+D800 up that are no surrogates (U+E000-U+FFFF) are where checks_of looks
# for high surrogates too, and the strings qt_string copies units from.
HIGH_BMP = ["\ue000", "\uf8ff", "\ufb01", "\ufeff", "\ufdd0", "\ufdd1", "\uff0c", "\uffef",
            "\ufffd", "\uffff", "\U0010ffff", "\U00010000", "\x00"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    [*PIECES, *HIGH_BMP, "\ud800", "\udc00", "\udbff", *(chr(0x1F600 + i) for i in range(10))]),
    max_size=60).map("".join))
@example("")
@example("\x00\U0001f600\x00")
@example("\ufeff\U0001f600\r\n\ufdd0\U0010ffff\uffff")
@example("".join(chr(0x1F600 + i) for i in range(8)) + "\uff0c")
@example("".join(chr(0x1F600 + i) for i in range(9)))  # more than an earlier construction took
def test_checks_and_qt_string_match_a_code_point_scan_and_pairs(text: str) -> None:
    checks = offsets.checks_of(text)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    surrogates = bool(((points >= 0xD800) & (points < 0xE000)).any())
    expected_at = () if surrogates else tuple(np.flatnonzero(points > 0xFFFF).tolist())
    assert checks.astral_at == expected_at
    assert checks.astral == bool((points > 0xFFFF).any())
    assert checks.surrogates == surrogates
    layout = display_layout(text, checks)
    units = qt_string(layout.text, checks)
    expected = _pairs(layout.text, checks)
    assert type(units) is str
    assert units == expected
    if expected is layout.text:
        assert units is layout.text
    else:
        assert max(units, default="\x00") <= "\uffff"


def test_qt_string_on_a_long_paragraph_with_soft_breaks_and_crlf() -> None:
    text = ("word \U0001f600 \uff0c\ufeff " * 700 + "\r\n") * 3 + "\U0001d518 end\x00"
    checks = offsets.checks_of(text)
    layout = display_layout(text, checks)
    assert layout.soft_starts  # the display text differs from the core one
    units = qt_string(layout.text, checks)
    assert units == _pairs(layout.text, checks)
    assert units.encode("utf-16-le", "surrogatepass") == layout.text.encode("utf-16-le")
