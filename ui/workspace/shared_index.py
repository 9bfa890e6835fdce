"""An index by id that starts as a shared, read-only one and keeps its own changes on top.

A document's read gives the table and the view one id -> position index (see
``annotator.records.record_index``); each changes its own as annotations come and go.
Copying 10^4 entries before the first change cost the first key press after an open ~2 ms
(~8 ms with 5 * 10^4); here a change costs one entry, whatever the size of the base.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, TypeVar

V = TypeVar("V")

_ABSENT: Any = object()  # not among the changes: the base answers
_GONE: Any = object()  # removed: the base's entry no longer counts


class SharedIndex(MutableMapping[str, V]):
    """``base`` (never changed here) with the changes made since on top."""

    __slots__ = ("_base", "_changes", "_size")

    def __init__(self, base: Mapping[str, V]) -> None:
        self._base = base
        self._changes: dict[str, Any] = {}  # key -> value, or _GONE
        self._size = len(base)

    def get(self, key: str, default: Any = None) -> Any:
        value = self._changes.get(key, _ABSENT)
        if value is _ABSENT:
            return self._base.get(key, default)
        return default if value is _GONE else value

    def __getitem__(self, key: str) -> V:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _ABSENT) is not _ABSENT

    def __setitem__(self, key: str, value: V) -> None:
        if key not in self:
            self._size += 1
        self._changes[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._changes[key] = _GONE
        self._size -= 1

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[str]:
        changes = self._changes
        for key in self._base:
            if key not in changes:
                yield key
        for key, value in changes.items():
            if value is not _GONE:
                yield key
