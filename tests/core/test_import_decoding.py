"""Bytes to text: BOMs, UTF-8, the cp1252/latin-1 fallback, NUL and binary refusal."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.importing import ImportFailure, decode_text
from annotator.importing.decoding import decode_document_bytes, refuse_binary
from annotator.importing.lines import line_ending_kind, normalize_line_endings

# Every character UTF-8 can encode (so no lone surrogates), except NUL, refused by design.
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"))


def test_utf8_without_bom() -> None:
    assert decode_text("Olá “mundo” €".encode()) == ("Olá “mundo” €", "utf-8")


def test_utf8_bom_is_dropped() -> None:
    assert decode_text(codecs.BOM_UTF8 + "café".encode()) == ("café", "utf-8-sig")


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom: bytes, codec: str, name: str) -> None:
    text = "Ünïcode “quotes” – 😀\nline two"
    assert decode_text(bom + text.encode(codec)) == (text, name)


def test_cp1252_curly_quotes_and_euro() -> None:
    data = "He said “it costs 5 €” – don’t".encode("cp1252")
    assert decode_text(data) == ("He said “it costs 5 €” – don’t", "cp1252")


def test_latin1_when_cp1252_lacks_a_byte() -> None:
    # 0x81 is undefined in cp1252, so the bytes can only be latin-1 (where it is a C1 control)
    data = b"caf\xe9 \x81 na\xefve"
    assert decode_text(data) == ("café \x81 naïve", "latin-1")


def test_plain_ascii_reads_as_utf8() -> None:
    assert decode_text(b"hello") == ("hello", "utf-8")


def test_nul_bytes_are_refused() -> None:
    with pytest.raises(ImportFailure, match="NUL"):
        decode_text(b"abc\x00def")


def test_utf16_without_nul_characters_is_accepted_despite_nul_bytes() -> None:
    data = codecs.BOM_UTF16_LE + "abc".encode("utf-16-le")
    assert b"\x00" in data
    assert decode_text(data) == ("abc", "utf-16-le")


def test_truncated_utf16_is_refused() -> None:
    data = codecs.BOM_UTF16_LE + "abc".encode("utf-16-le")[:-1]
    with pytest.raises(ImportFailure, match="utf-16-le"):
        decode_text(data)


def test_binary_looking_text_is_refused() -> None:
    with pytest.raises(ImportFailure, match="binary"):
        refuse_binary("\x01\x02\x03PNG\x04\x05 data")


def test_a_stray_form_feed_or_control_in_long_text_is_accepted() -> None:
    refuse_binary("page one\x0cpage two " + "word " * 100 + "\x01")


CONTROLS_AND_TEXT = st.text(
    st.sampled_from("ab é\t\n\x0b\x0c\r\x1a\x1b\x01\x08\x0e\x1f\x7f\x85\x9f\xa0\u0100"),
    min_size=1)


def _binary_by_the_rule(text: str) -> bool:
    kept = frozenset("\t\n\x0b\x0c\r\x1a\x1b")
    controls = sum(1 for c in text if (c < " " and c not in kept) or "\x7f" <= c <= "\x9f")
    return controls > 0.01 * len(text)


def _refused(check: Callable[[], object]) -> bool:
    try:
        check()
    except ImportFailure:
        return True
    return False


@given(CONTROLS_AND_TEXT)
def test_binary_refusal_counts_controls_as_the_rule_says(text: str) -> None:
    assert _refused(lambda: refuse_binary(text)) == _binary_by_the_rule(text)


@given(CONTROLS_AND_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_files_are_refused_as_binary_by_the_same_rule_in_any_encoding(
    text: str, encoding: str
) -> None:
    """UTF-8 files are checked on their bytes first: the outcome must not change."""
    assume(not text.isspace())
    refused = _refused(lambda: decode_document_bytes(text.encode(encoding)))
    assert refused == _binary_by_the_rule(text)


@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_decode_round_trips_any_text(text: str, encoding: str) -> None:
    if encoding == "utf-8" and text.startswith("\ufeff"):
        text = "x" + text  # a leading U+FEFF in bare UTF-8 is indistinguishable from a BOM
    decoded, _ = decode_text(text.encode(encoding))
    assert decoded == text


@given(TEXT)
def test_line_ending_normalisation_of_any_text(text: str) -> None:
    normalized, _ = normalize_line_endings(text)
    assert normalized == text.replace("\r\n", "\n").replace("\r", "\n")


@given(st.lists(st.sampled_from(["a", " ", "\t", "\r", "\n", "\r\n", "\u2028", "é"])))
def test_line_ending_normalisation(pieces: list[str]) -> None:
    text = "".join(pieces)
    normalized, kind = normalize_line_endings(text)
    assert normalized == text.replace("\r\n", "\n").replace("\r", "\n")
    assert kind == line_ending_kind(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a\nb\n", "lf"),
        ("a\r\nb\r\n", "crlf"),
        ("a\rb\r", "cr"),
        ("a\r\nb\n", "mixed"),
        ("a\rb\n", "mixed"),
        ("no breaks\u2028here", "none"),
    ],
)
def test_line_ending_kinds(text: str, kind: str) -> None:
    assert line_ending_kind(text) == kind
