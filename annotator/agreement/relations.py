"""Relation agreement per pair of annotators: precision, recall and F1 over (from, to, type).

Two relations match when they have the same type and their ends match: exactly (the same
start and end at both ends) or by overlap (each end overlaps its counterpart). Matches are
one to one (a maximum matching), counted over the documents both annotated, with the
first user of a pair as the reference, as for spans.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from annotator.agreement.span_matching import maximum_matching, overlaps
from annotator.agreement.spans import DocumentSpans, Link

if TYPE_CHECKING:  # numpy comes with the coefficients, not with the tables
    from annotator.agreement.coefficients import Statistic

SCORES = ("precision_exact", "recall_exact", "f1_exact",
          "precision_overlap", "recall_overlap", "f1_overlap")


@dataclass(frozen=True, slots=True)
class RelationPairScores:
    """Relation agreement of two annotators (``first`` < ``second``, ``first`` the reference)."""

    first: str
    second: str
    relations: tuple[int, int]
    """Relations of first and second in the documents both annotated."""
    matched_exact: int
    matched_overlap: int
    precision_exact: Statistic
    recall_exact: Statistic
    f1_exact: Statistic
    precision_overlap: Statistic
    recall_overlap: Statistic
    f1_overlap: Statistic

    @property
    def key(self) -> str:
        return f"{self.first}|{self.second}"

    def statistic(self, name: str) -> Statistic:
        stat: Statistic = getattr(self, name)
        return stat

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: self.statistic(name).value for name in SCORES}
        out["undefined"] = {name: self.statistic(name).reason for name in SCORES
                            if self.statistic(name).reason is not None}
        out["counts"] = {"relations": list(self.relations), "matched_exact": self.matched_exact,
                         "matched_overlap": self.matched_overlap}
        return out


def exact_relation_matches(first: Sequence[Link], second: Sequence[Link]) -> int:
    """Relations with the same type and the same offsets at both ends, one to one."""
    counts = Counter(first)
    return sum(min(n, counts[link]) for link, n in Counter(second).items() if link in counts)


def overlap_relation_matches(first: Sequence[Link], second: Sequence[Link]) -> int:
    """Size of a maximum one-to-one matching of same-type relations whose ends overlap."""
    by_type: dict[str, tuple[list[Link], list[Link]]] = defaultdict(lambda: ([], []))
    for link in first:
        by_type[link.type][0].append(link)
    for link in second:
        by_type[link.type][1].append(link)
    total = 0
    for left, right in by_type.values():
        if left and right:
            adjacency = [
                [j for j, r in enumerate(right)
                 if overlaps(link.source, r.source) and overlaps(link.target, r.target)]
                for link in left
            ]
            total += maximum_matching(adjacency, len(right))
    return total


class RelationTally:
    """Relation counts per pair of users, added a batch of documents at a time (agreement
    streams documents; only these counts outlive a batch)."""

    def __init__(self, users: Sequence[str]) -> None:
        self.pairs = list(combinations(sorted(dict.fromkeys(users)), 2))
        # (relations of a, relations of b, exact matches, overlap matches) per pair
        self._counts = {pair: [0, 0, 0, 0] for pair in self.pairs}

    def add(self, documents: Iterable[DocumentSpans]) -> None:
        for doc in documents:
            for a, b in self.pairs:
                if a not in doc.spans or b not in doc.spans:
                    continue
                links_a, links_b = doc.relations.get(a, ()), doc.relations.get(b, ())
                counts = self._counts[a, b]
                counts[0] += len(links_a)
                counts[1] += len(links_b)
                counts[2] += exact_relation_matches(links_a, links_b)
                counts[3] += overlap_relation_matches(links_a, links_b)

    def scores(self) -> tuple[RelationPairScores, ...]:
        from annotator.agreement.coefficients import span_scores  # numpy, when computing

        out = []
        for a, b in self.pairs:
            count_a, count_b, exact, overlap = self._counts[a, b]
            p_e, r_e, f_e = span_scores(exact, count_a, count_b, names=(a, b), unit="relation")
            p_o, r_o, f_o = span_scores(overlap, count_a, count_b, names=(a, b),
                                        unit="relation")
            out.append(RelationPairScores(a, b, (count_a, count_b), exact, overlap,
                                          p_e, r_e, f_e, p_o, r_o, f_o))
        return tuple(out)


def relation_agreement(
    documents: Iterable[DocumentSpans], users: Sequence[str]
) -> tuple[RelationPairScores, ...]:
    """Relation agreement of every pair of ``users`` (sorted) over ``documents``."""
    tally = RelationTally(users)
    tally.add(documents)
    return tally.scores()
