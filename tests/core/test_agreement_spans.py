"""Span matching: exact and one-to-one overlap against brute force."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement.span_matching import (
    Interval,
    exact_matches,
    maximum_matching,
    overlap_matches,
)

spans = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 20)).map(lambda t: (min(t), max(t))),
    max_size=6,
)


def brute_force_overlap(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """Best over every one-to-one assignment of first's spans to unused second's spans."""
    def best(i: int, used: frozenset[int]) -> int:
        if i == len(first):
            return 0
        result = best(i + 1, used)
        for j, span in enumerate(second):
            if j not in used and first[i][0] < span[1] and span[0] < first[i][1]:
                result = max(result, 1 + best(i + 1, used | {j}))
        return result
    return best(0, frozenset())


def brute_force_exact(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    remaining = list(second)
    matched = 0
    for span in first:
        if span in remaining:
            remaining.remove(span)
            matched += 1
    return matched


@given(spans, spans)
def test_overlap_matching_is_maximum(first: list[Interval], second: list[Interval]) -> None:
    assert overlap_matches(first, second) == brute_force_overlap(first, second)
    assert overlap_matches(second, first) == overlap_matches(first, second)


@given(spans, spans)
def test_exact_matching(first: list[Interval], second: list[Interval]) -> None:
    assert exact_matches(first, second) == brute_force_exact(first, second)


def test_greedy_would_be_wrong_here() -> None:
    # Matching the long span to the first short one it meets would leave one unmatched.
    first = [(0, 10), (0, 2)]
    second = [(1, 3), (8, 9)]
    assert overlap_matches(first, second) == 2
    # Needs an augmenting path: a1 takes b0 first, a0 must move to b1.
    assert maximum_matching([[0, 1], [0]], 2) == 2


def test_touching_spans_do_not_overlap() -> None:
    assert overlap_matches([(0, 5)], [(5, 9)]) == 0
    assert overlap_matches([(0, 5), (5, 9)], [(4, 6)]) == 1


def test_long_chain_needs_deep_augmenting_path() -> None:
    # Each left span overlaps two right spans; the chain forces augmenting paths whose
    # length grows with n (iterative, so no recursion limit).
    n = 3000
    first = [(10 * i + 5, 10 * i + 15) for i in range(n)]
    second = [(10 * i, 10 * i + 10) for i in range(n + 1)]
    assert overlap_matches(first, second) == n
