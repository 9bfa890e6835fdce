"""SharedIndex answers as a dict that was copied from its base and then changed, and never
changes the base."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.workspace.shared_index import SharedIndex

keys = st.sampled_from([f"k{i}" for i in range(8)])
changes = st.lists(st.tuples(st.sampled_from(["set", "del", "pop"]), keys, st.integers(0, 9)),
                   max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, st.integers(0, 9)), changes)
def test_a_shared_index_answers_as_a_changed_copy_and_leaves_its_base(
        base: dict[str, int], ops: list[tuple[str, str, int]]) -> None:
    shared = MappingProxyType(dict(base))  # read-only: a write to it would raise
    index: SharedIndex[int] = SharedIndex(shared)
    copy = dict(base)
    for op, key, value in ops:
        if op == "set":
            index[key] = value
            copy[key] = value
        elif op == "pop":
            assert index.pop(key, None) == copy.pop(key, None)
        elif key in copy:
            del index[key]
            del copy[key]
        else:
            with pytest.raises(KeyError):
                del index[key]
        assert len(index) == len(copy)
    assert dict(index) == copy and sorted(index) == sorted(copy)
    assert all(index.get(k) == copy.get(k) and (k in index) == (k in copy)
               for k in [f"k{i}" for i in range(8)])
    assert shared == base
