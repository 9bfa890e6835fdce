"""Checks of the values callers pass to the service, shared by every part of it.

Each raises :class:`AnnotatorError` with a message meant for people, before anything is
written, so an invalid call changes nothing.
"""

from __future__ import annotations

from annotator.errors import AnnotatorError

MAX_NOTE = 100_000
MAX_NAME = 200


def check_span(text_length: int, start: int, end: int) -> None:
    """Offsets are whole code-point numbers with ``0 <= start < end <= text_length``."""
    if isinstance(start, bool) or isinstance(end, bool):
        raise AnnotatorError("offsets must be whole numbers")
    if not isinstance(start, int) or not isinstance(end, int):
        raise AnnotatorError("offsets must be whole numbers")
    if start < 0 or end > text_length:
        raise AnnotatorError(
            f"offsets {start}-{end} fall outside the text (0-{text_length} characters)"
        )
    if start >= end:
        raise AnnotatorError(f"start ({start}) must be before end ({end})")


def check_storable(value: str, what: str) -> str:
    """``value`` itself, refused if it holds lone surrogates, which no database can store.

    They come from file names or command-line arguments in a mismatched encoding
    (Python's ``surrogateescape``).
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AnnotatorError(
            f"{what} contains characters that are not valid Unicode "
            f"(position {exc.start}); was it typed in another encoding?"
        ) from exc
    return value


def check_annotator_name(name: str, what: str = "the user name") -> str:
    """An annotator's name as stored: stripped, 1 to MAX_NAME characters, storable, with no
    '|' (``A|B`` names a pair of annotators in agreement reports) and no control characters
    (tabs, line breaks, escapes), whether it is typed or arrives in a file or a bundle."""
    cleaned = check_storable((name or "").strip(), what)
    if not cleaned:
        raise AnnotatorError(f"{what} must not be empty")
    if len(cleaned) > MAX_NAME:
        raise AnnotatorError(f"{what} is longer than {MAX_NAME} characters")
    if "|" in cleaned or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cleaned):
        raise AnnotatorError(
            f"invalid annotator name {cleaned!r}: no '|', tabs, line breaks or other "
            "control characters"
        )
    return cleaned


def repair_name(value: str) -> str:
    """A file-derived name with undecodable bytes shown as U+FFFD, so it can be stored."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def clean_note(note: str | None) -> str | None:
    """A note as stored: None for no note or blank text; refused if not text or too long."""
    if note is None:
        return None
    if not isinstance(note, str):
        raise AnnotatorError("a note must be text")
    if len(note) > MAX_NOTE:
        raise AnnotatorError(f"a note may have at most {MAX_NOTE} characters")
    check_storable(note, "the note")
    return note if note.strip() else None
