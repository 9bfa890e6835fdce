"""A document as one row of the documents table, with the checks every way of adding one
applies (typing it in, importing files, importing annotation files that carry texts)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from annotator.errors import AnnotatorError
from annotator.models import new_uuid, utcnow
from annotator.service.checks import check_storable
from annotator.untrusted import check_meta

MAX_TITLE = 1000


def text_sha256(text: str) -> str:
    return utf8_sha256(text.encode("utf-8"))


def utf8_sha256(utf8: bytes) -> str:
    """A document's sha256 (as stored, hex) from its text's UTF-8."""
    return hashlib.sha256(utf8).hexdigest()


def checked_sha256(text: str, utf8: bytes | None = None) -> str:
    """The sha256 of a text a document may hold: see :func:`checked_utf8`."""
    return utf8_sha256(checked_utf8(text, utf8))


def checked_utf8(text: str, utf8: bytes | None = None) -> bytes:
    """The UTF-8 of a text a document may hold: not blank, no NUL, storable (encoded once:
    a 50 MB import must not encode every text three times). ``utf8``: the text's UTF-8
    encoding, when the caller has it (the bytes of a UTF-8 file), which is then not made
    again."""
    if not isinstance(text, str) or not text or text.isspace():
        raise AnnotatorError("the document has no text")
    # A NUL in the text is one in its UTF-8, where it is several times faster to look for.
    if "\x00" in text if utf8 is None else b"\x00" in utf8:
        raise AnnotatorError("the document's text contains NUL characters (a binary file?)")
    if utf8 is not None:
        return utf8
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        check_storable(text, "the document's text")
        raise


def uuid_or_none(value: str | None) -> str | None:
    """``value`` as a canonical uuid string, or None if it is not one."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def document_row(
    text: str,
    title: str | None,
    format: str,
    file_name: str | None,
    meta: dict[str, Any] | None,
    document_id: str | None,
    sha256: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The column values of a new document; ``sha256`` from :func:`checked_sha256`.

    ``document_id`` is used as the uuid when given (the caller has checked it is free);
    else a new one is made. ``now``: the time of the transaction adding it (default: the
    present). Raises AnnotatorError for an unstorable title or file name and
    UntrustedInput for metadata out of bounds.
    """
    cleaned = check_storable(" ".join((title or "").split()) or "Untitled", "the title")
    if file_name is not None:
        check_storable(file_name, "the file name")
    if now is None:
        now = utcnow()
    return {
        "uuid": document_id or new_uuid(),
        "title": cleaned[:MAX_TITLE],
        "text": text,
        "chars": len(text),
        "sha256": sha256,
        "file_name": file_name,
        "format": format,
        "meta": check_meta(meta, "the document's metadata"),
        "created": now,
        "updated": now,  # never edited (see annotator.service.document_merge)
        "deleted": False,
    }
