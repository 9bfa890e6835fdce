"""What the reading pane draws over the text besides annotations: the links of the
annotation in focus, unsaved proposals, and claims still without a source.

Plain frozen records in core offsets, set by the features (links, suggestions) and painted
by :mod:`ui.workspace.overlay_painter` for the visible lines only, as find matches are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mark:
    """A passage to outline: an annotation or a proposal (core code-point offsets)."""

    start: int
    end: int
    color: str
    label: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A connector from the passage in focus (``source``) to a partner (``target``);
    ``outgoing`` False when the relation runs the other way, ``proposed`` ones are dashed."""

    source: Mark
    target: Mark
    kind: str
    outgoing: bool = True
    proposed: bool = False


@dataclass(frozen=True, slots=True)
class Overlay:
    links: tuple[Link, ...] = ()
    """The links of the annotation in focus (selected, hovered, or being linked)."""
    proposals: tuple[Mark, ...] = ()
    """Unsaved proposals, in text order."""
    focused_proposal: int | None = None
    hint: str = ""
    """A short caption over the focused proposal (what its keys do)."""
    unsourced: Sequence[Mark] = ()
    """Claims no ``attributed_to`` link leaves from, in text order (made lazily: see
    :mod:`ui.workspace.unsourced`; compared by identity)."""

    def partners(self) -> list[Mark]:
        """The far ends of the links in focus, each once."""
        seen: dict[tuple[int, int], Mark] = {}
        for link in self.links:
            seen.setdefault((link.target.start, link.target.end), link.target)
        return list(seen.values())
