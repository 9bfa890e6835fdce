"""Bytes to text by one deterministic rule, and the checks that refuse binary files.

The rule: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); else strict UTF-8;
else cp1252 when every byte is defined in it; else latin-1, which decodes any byte. A guessing
detector (charset-normalizer) is not used: its guess may change with the text's length or the
library's version, and the same bytes must always give the same text, since stored offsets
depend on it.
"""

from __future__ import annotations

import codecs

from annotator.importing.document import ImportFailure

# UTF-32 LE starts with the UTF-16 LE mark, so the longer marks are tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Controls that turn up in real text files: tab, LF, VT, FF, CR, DOS end-of-file, escape.
_TEXT_CONTROLS = frozenset("\t\n\x0b\x0c\r\x1a\x1b")
_BINARY_CONTROL_SHARE = 0.01


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a leading byte-order mark announces and the mark's length, if any."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text by the module's rule; returns (text, encoding name).

    The BOM is not part of the text. Raises ImportFailure when text behind a BOM does not
    decode, or when the text holds NUL characters (checked after decoding: UTF-16 bytes
    contain NULs legitimately).
    """
    marked = bom_encoding(data)
    if marked is not None:
        encoding, length = marked
        try:
            text = data[length:].decode(encoding.removesuffix("-sig"))
        except UnicodeDecodeError as exc:
            raise ImportFailure(
                f"cannot be decoded as {encoding} although it starts with a {encoding} "
                f"byte-order mark (bad byte at offset {exc.start + length})"
            ) from exc
    else:
        text, encoding = decode_unmarked(data)
    refuse_nul(text)
    return text, encoding


def decode_unmarked(data: bytes) -> tuple[str, str]:
    """Strict UTF-8, else cp1252 when fully defined and free of C1 controls, else latin-1."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
    if any("\x80" <= char <= "\x9f" for char in text):
        return data.decode("latin-1"), "latin-1"
    return text, "cp1252"


def refuse_nul(text: str) -> None:
    """Raise ImportFailure if ``text`` holds a NUL character."""
    if "\x00" in text:
        raise ImportFailure("contains NUL bytes – it looks like a binary file, not text")


def refuse_binary(text: str) -> None:
    """Raise ImportFailure if ``text`` looks like decoded binary data.

    More than 1% control characters (other than tab, line breaks, form feed, escape and the
    DOS end-of-file mark) is not something a person wrote.
    """
    refuse_nul(text)
    controls = sum(
        1
        for char in text
        if (char < " " and char not in _TEXT_CONTROLS) or "\x7f" <= char <= "\x9f"
    )
    if controls and controls > _BINARY_CONTROL_SHARE * len(text):
        raise ImportFailure(
            f"looks like a binary file, not text ({controls} control characters)"
        )


def refuse_blank(text: str) -> None:
    """Raise ImportFailure if ``text`` is empty or only whitespace."""
    if not text.strip():
        raise ImportFailure("holds only whitespace" if text else "is empty")


def decode_document_bytes(data: bytes) -> tuple[str, str]:
    """decode_text plus the checks every text-based format shares: not binary, not blank."""
    text, encoding = decode_text(data)
    refuse_binary(text)
    refuse_blank(text)
    return text, encoding
