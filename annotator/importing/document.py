"""What an extractor hands back, and the one way it says no."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError

DEFAULT_SIZE_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """One document read from a file, ready to be stored.

    ``text`` is what offsets index into; ``meta`` is JSON-serialisable; ``external_id`` is
    the record's own ``id`` (jsonl/json/csv only), always as a string; ``utf8`` is the
    text's UTF-8 encoding when the file held exactly those bytes (a plain UTF-8 text file
    with LF line endings), so that storing it need not encode the text again to hash it.
    """

    title: str
    text: str
    format: str
    meta: dict[str, Any]
    external_id: str | None = None
    utf8: bytes | None = None


class ImportFailure(AnnotatorError):
    """A file cannot be imported; the message says why, naming the file when known.

    ``reason`` reads as the rest of a sentence after the file name ("is empty", "line 3:
    invalid JSON ..."), for a per-file report that already shows the path; ``path`` is the
    file it concerns, if any. The message is "<file name> <reason>".
    """

    def __init__(self, reason: str, path: Path | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path.name} {reason}" if path is not None else reason)

    def for_file(self, path: Path) -> ImportFailure:
        """The same failure, attributed to ``path``."""
        return ImportFailure(self.reason, path)
