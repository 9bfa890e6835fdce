"""How many spans of two annotators match, exactly or by overlap, one to one.

Spans here are (start, end) pairs of one document and one label; the caller groups them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

Interval = tuple[int, int]


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two half-open spans share at least one character position."""
    return a[0] < b[1] and b[0] < a[1]


def exact_matches(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """Spans with the same start and end, one to one (duplicates match at most once each)."""
    if not first or not second:
        return 0
    counts = Counter(first)
    return sum(min(n, counts[span]) for span, n in Counter(second).items() if span in counts)


def overlap_matches(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """Size of a maximum one-to-one matching of overlapping spans.

    Spans are cut into clusters of chained overlaps with one sweep (no span overlaps one
    in another cluster); each cluster with spans from both sides gets an exact maximum
    matching by augmenting paths, visited in sorted order so the result is deterministic.
    """
    if not first or not second:
        return 0
    items = sorted([(s, e, 0, i) for i, (s, e) in enumerate(first)]
                   + [(s, e, 1, i) for i, (s, e) in enumerate(second)])
    total = 0
    left: list[Interval] = []
    right: list[Interval] = []
    reach = items[0][0]
    for start, end, side, _ in items:
        if start >= reach and (left or right):
            total += _cluster_matching(left, right)
            left, right = [], []
        (left if side == 0 else right).append((start, end))
        reach = max(reach, end)
    return total + _cluster_matching(left, right)


def _cluster_matching(left: list[Interval], right: list[Interval]) -> int:
    if not left or not right:
        return 0
    if len(left) == 1 and len(right) == 1:
        return int(overlaps(left[0], right[0]))
    adjacency = [[j for j, r in enumerate(right) if overlaps(span, r)] for span in left]
    return maximum_matching(adjacency, len(right))


def maximum_matching(adjacency: list[list[int]], right_count: int) -> int:
    """Maximum bipartite matching size (Kuhn's augmenting paths, iterative)."""
    owner = [-1] * right_count
    size = 0
    for root in range(len(adjacency)):
        # Cheap first: a free neighbour needs no search.
        free = next((r for r in adjacency[root] if owner[r] == -1), None)
        if free is not None:
            owner[free] = root
            size += 1
            continue
        seen: set[int] = set()
        stack = [(root, iter(adjacency[root]))]
        via: list[int] = []  # via[d]: the right vertex taken from stack[d] to stack[d + 1]
        while stack:
            node, pending = stack[-1]
            advanced = False
            for r in pending:
                if r in seen:
                    continue
                seen.add(r)
                if owner[r] == -1:
                    owner[r] = node
                    for depth in range(len(via) - 1, -1, -1):
                        owner[via[depth]] = stack[depth][0]
                    size += 1
                    stack = []
                else:
                    via.append(r)
                    stack.append((owner[r], iter(adjacency[owner[r]])))
                advanced = True
                break
            if not advanced:
                stack.pop()
                if via:
                    via.pop()
    return size
