"""Claims without a source in the open document, kept in text order as annotations change.

Rebuilding the list, and a :class:`Mark` for each claim, on every key press cost ~100 ms
on a document with 3,000 such claims. Here one changed annotation costs a dictionary
look-up and a bisect, and the overlay's marks are made only where the painter looks
(:class:`ClaimMarks`, bisected over the visible range), so drawing them costs what is on
screen.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import overload

from annotator.records import AnnotationRecord
from ui.workspace.overlay import Mark

_Key = tuple[int, int, str]  # (start, end, id): text order, as the annotation table's
_ID = itemgetter(2)  # of a key


class ClaimMarks(Sequence[Mark]):
    """The unsourced claims' marks in text order, each made when first asked for.

    A new object after every change of the claims, so an :class:`Overlay` holding it
    compares unequal to the one before and the view repaints. It shares the claims' list
    (copying it would cost a key press time proportional to the document): an old one is
    stale once a newer one exists."""

    def __init__(self, keys: list[_Key], mark: Callable[[str], Mark | None]) -> None:
        self._keys = keys
        self._mark = mark
        self._made: dict[int, Mark] = {}

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, i: int) -> Mark: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Mark]: ...

    def __getitem__(self, i: int | slice) -> Mark | Sequence[Mark]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self._keys)
        made = self._made.get(i)
        if made is None:
            start, end, annotation_id = self._keys[i]
            # The view and the table change together, so the mark is always there; were
            # it not, an uncoloured one keeps the sequence's length honest.
            made = self._mark(annotation_id) or Mark(start, end, "#999999", "")
            self._made[i] = made
        return made


class UnsourcedClaims:
    """Which annotations of the open document are claims no ``attributed_to`` link leaves.

    ``mark`` makes the overlay's mark of an annotation (None: not shown)."""

    def __init__(self, mark: Callable[[str], Mark | None]) -> None:
        self._mark = mark
        self._fits: Callable[[AnnotationRecord], bool] = lambda _: False
        self._attributed: frozenset[str] = frozenset()
        self._keys: list[_Key] = []
        self._key_of: dict[str, _Key] = {}
        self._marks = ClaimMarks(self._keys, mark)

    def rebuild(self, candidates: Iterable[_Key],
                fits: Callable[[AnnotationRecord], bool], attributed: Iterable[str]) -> None:
        """Start again from the (start, end, id) of the shown annotations that may be
        claims (each one ``fits``: the caller picks them, in C where it can); ``fits``
        judges the changed ones later."""
        self._fits = fits
        self._attributed = frozenset(attributed)
        # map/zip in C: at an open, no Python frame per annotation (not even `fits`).
        claims = list(candidates)
        if self._attributed:
            claims = [key for key in claims if key[2] not in self._attributed]
        self._key_of = dict(zip(map(_ID, claims), claims, strict=True))
        self._keys = sorted(self._key_of.values())
        self._marks = ClaimMarks(self._keys, self._mark)

    def update(self, records: Iterable[tuple[str, AnnotationRecord | None]]) -> bool:
        """Follow changed annotations, each (id, its shown record or None when it is not
        shown any more); True if the claims changed."""
        changed = False
        for annotation_id, record in records:
            old = self._key_of.get(annotation_id)
            new = (None if record is None or not self._fits(record)
                   or annotation_id in self._attributed
                   else (record.start, record.end, record.id))
            if old is None and new is None:
                continue
            # Even in place, a claim may have changed colour: its mark is made again.
            changed = True
            if old == new:
                continue
            if old is not None:
                del self._keys[bisect_left(self._keys, old)]
                del self._key_of[annotation_id]
            if new is not None:
                insort(self._keys, new)
                self._key_of[annotation_id] = new
        if changed:
            self._marks = ClaimMarks(self._keys, self._mark)
        return changed

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, annotation_id: object) -> bool:
        return annotation_id in self._key_of

    def marks(self) -> Sequence[Mark]:
        """Their marks in text order, made lazily (see :class:`ClaimMarks`)."""
        return self._marks
