"""Claims without a source in the open document, kept in text order as annotations change.

Rebuilding the list, and a :class:`Mark` for each claim, on every key press cost ~100 ms
on a document with 3,000 such claims. Here one changed annotation costs a dictionary
look-up and a bisect, and the overlay's marks are made only where the painter looks
(:class:`ClaimMarks`, bisected over the visible range), so drawing them costs what is on
screen.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from operator import itemgetter, not_
from typing import cast, overload

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

    def __init__(self, keys: Sequence[_Key], mark: Callable[[str], Mark | None]) -> None:
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


class _KeyColumns(Sequence[_Key]):
    """The (start, end, id) keys of claims given as three columns in text order, each key
    made when read: an open counts the claims and marks those on screen."""

    __slots__ = ("_ends", "_ids", "_starts")

    def __init__(self, starts: Sequence[int], ends: Sequence[int], ids: Sequence[str]) -> None:
        self._starts, self._ends, self._ids = starts, ends, ids

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, i: int) -> _Key: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[_Key]: ...

    def __getitem__(self, i: int | slice) -> _Key | Sequence[_Key]:
        if isinstance(i, slice):
            return list(zip(self._starts[i], self._ends[i], self._ids[i], strict=True))
        return (self._starts[i], self._ends[i], self._ids[i])

    def __iter__(self) -> Iterator[_Key]:
        return zip(self._starts, self._ends, self._ids, strict=True)


class UnsourcedClaims:
    """Which annotations of the open document are claims no ``attributed_to`` link leaves.

    ``mark`` makes the overlay's mark of an annotation (None: not shown)."""

    def __init__(self, mark: Callable[[str], Mark | None]) -> None:
        self._mark = mark
        self._fits: Callable[[AnnotationRecord], bool] = lambda _: False
        self._attributed: frozenset[str] = frozenset()
        # The claims' keys in text order: their columns from a rebuild until the first
        # change or lookup by id, then a list (and `_key_of`, None until then).
        self._keys: Sequence[_Key] = []
        self._key_of: dict[str, _Key] | None = {}
        self._marks = ClaimMarks(self._keys, mark)

    def rebuild(self, starts: Sequence[int], ends: Sequence[int], ids: Sequence[str],
                fits: Callable[[AnnotationRecord], bool], attributed: Iterable[str]) -> None:
        """Start again from the shown annotations that may be claims, as the columns of
        their starts, ends and ids, in text order, each id once (the table's rows; each
        one ``fits``: the caller picks them, in C where it can); ``fits`` judges the
        changed ones later."""
        self._fits = fits
        self._attributed = frozenset(attributed)
        # compress/map in C: at an open, no Python frame and no object per annotation.
        if self._attributed:
            kept = list(map(not_, map(self._attributed.__contains__, ids)))
            starts, ends, ids = (tuple(compress(starts, kept)), tuple(compress(ends, kept)),
                                 tuple(compress(ids, kept)))
        self._keys, self._key_of = _KeyColumns(starts, ends, ids), None
        self._marks = ClaimMarks(self._keys, self._mark)

    def _by_id(self) -> dict[str, _Key]:
        """The keys by id, with the keys made a list (to change): on first need."""
        if self._key_of is None:
            keys = list(self._keys)
            self._keys, self._key_of = keys, dict(zip(map(_ID, keys), keys, strict=True))
        return self._key_of

    def update(self, records: Iterable[tuple[str, AnnotationRecord | None]]) -> bool:
        """Follow changed annotations, each (id, its shown record or None when it is not
        shown any more); True if the claims changed."""
        changed = False
        key_of = self._by_id()
        keys = cast(list[_Key], self._keys)  # a list once _by_id made it one
        for annotation_id, record in records:
            old = key_of.get(annotation_id)
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
                del keys[bisect_left(keys, old)]
                del key_of[annotation_id]
            if new is not None:
                insort(keys, new)
                key_of[annotation_id] = new
        if changed:
            self._marks = ClaimMarks(self._keys, self._mark)
        return changed

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, annotation_id: object) -> bool:
        return annotation_id in self._by_id()

    def marks(self) -> Sequence[Mark]:
        """Their marks in text order, made lazily (see :class:`ClaimMarks`)."""
        return self._marks
