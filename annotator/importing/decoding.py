"""Bytes to text by one deterministic rule, and the checks that refuse binary files.

The rule: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); else strict UTF-8;
else cp1252 when every byte is defined in it; else latin-1, which decodes any byte. A guessing
detector (charset-normalizer) is not used: its guess may change with the text's length or the
library's version, and the same bytes must always give the same text, since stored offsets
depend on it.
"""

from __future__ import annotations

import codecs
import re

from annotator.importing.document import ImportFailure

# UTF-32 LE starts with the UTF-16 LE mark, so the longer marks are tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_BYTES = tuple(bom for bom, _ in _BOMS)

# Every C0 control but those that turn up in real text files (tab, LF, VT, FF, CR, the DOS
# end-of-file mark, escape), DEL and the C1 controls. One regular expression: a loop over
# the characters in Python cost 0.2 s per 1,000 files of 5 kB, the search 10 ms.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f-\x9f]")
# The same controls in UTF-8: C0 and DEL are their own bytes, C1 is 0xC2 and one of 0x80-0x9F.
# Ruling them out on the bytes costs half as much as on the decoded text.
_UTF8_C0 = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])
_UTF8_C1 = re.compile(b"\xc2[\x80-\x9f]")
_C1 = re.compile("[\x80-\x9f]")
_BINARY_CONTROL_SHARE = 0.01


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a leading byte-order mark announces and the mark's length, if any."""
    if not data.startswith(_BOM_BYTES):  # the usual answer, in one call
        return None
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
        refuse_nul(text)
    else:
        text, encoding = decode_unmarked(data)
        # In UTF-8, cp1252 and latin-1 a NUL byte is a NUL character, and memchr is fast.
        if b"\x00" in data:
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
    if _C1.search(text) is not None:
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
    if _CONTROLS.search(text) is None:
        return
    controls = len(_CONTROLS.findall(text))
    if controls > _BINARY_CONTROL_SHARE * len(text):
        raise ImportFailure(
            f"looks like a binary file, not text ({controls} control characters)"
        )


def refuse_blank(text: str) -> None:
    """Raise ImportFailure if ``text`` is empty or only whitespace."""
    if not text or text.isspace():  # as "not text.strip()", without copying the text
        raise ImportFailure("holds only whitespace" if text else "is empty")


def decode_document_bytes(data: bytes) -> tuple[str, str]:
    """decode_text plus the checks every text-based format shares: not binary, not blank."""
    text, encoding = decode_text(data)
    # b"\xc2" first: memchr finds it (or not) many times faster than the pattern's search
    if (encoding not in ("utf-8", "utf-8-sig")
            or (b"\xc2" in data and _UTF8_C1.search(data) is not None)
            or len(data.translate(None, _UTF8_C0)) != len(data)):
        refuse_binary(text)
    refuse_blank(text)
    return text, encoding
