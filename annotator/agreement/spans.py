"""What agreement is computed from: each document's text and each annotator's spans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """One annotation: ``text[start:end]`` (code point offsets) tagged ``label``."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Link:
    """One relation: the span it starts at (``source``), the one it points to, its type."""

    source: tuple[int, int]
    target: tuple[int, int]
    type: str


@dataclass(frozen=True, slots=True)
class DocumentSpans:
    """A document's text and, per user, that user's spans in it.

    A user with a key here (even with no spans) annotated the document: tokens they did
    not mark count as "not marked". A user without a key did not annotate it: their
    values for its tokens are missing, so it counts for alpha among the others only and
    for no pair that includes that user.
    """

    text: str
    spans: Mapping[str, Sequence[Span]]
    relations: Mapping[str, Sequence[Link]] = field(default_factory=dict)
    """Per user, that user's relations in the document (a user annotated it as above)."""
