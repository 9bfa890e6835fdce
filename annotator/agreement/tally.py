"""Agreement counts summed batch by batch, and the report computed from them.

Every figure of the report is a function of counts that add up over tokens and
documents (confusion tables, the alpha tally, span and match counts), so the corpus never
has to be held at once: :class:`AgreementTally` keeps only those counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.agreement.batch import BatchCodes, Codes, LabelSet, batch_codes, set_order
from annotator.agreement.coefficients import (
    MISSING,
    AlphaTally,
    Statistic,
    alpha_from_tally,
    alpha_tally,
    cohen_kappa,
    span_scores,
)
from annotator.agreement.relations import RelationTally
from annotator.agreement.report import OVERALL, AgreementReport, LabelScores, PairScores
from annotator.agreement.spans import DocumentSpans


@dataclass(slots=True)
class _BlockTally:
    """The counts of one label (or overall); categories are label sets, numbered in the
    order first seen."""

    categories: dict[LabelSet, int]
    confusion: dict[tuple[str, str], Counter[tuple[int, int]]]
    units_by_m: Counter[int] = field(default_factory=Counter)
    squares_by_m: Counter[int] = field(default_factory=Counter)
    values_by_category: Counter[int] = field(default_factory=Counter)
    tokens_marked: Counter[str] = field(default_factory=Counter)
    untagged: int = 0

    def add(self, codes: Codes, sets: Sequence[LabelSet], users: tuple[str, ...],
            pairs: list[tuple[str, str]]) -> None:
        number = [self.categories.setdefault(s, len(self.categories)) for s in sets]
        row = {user: u for u, user in enumerate(users)}
        k = len(sets)
        for a, b in pairs:
            ca, cb = codes[row[a]], codes[row[b]]
            both = (ca != MISSING) & (cb != MISSING)
            local = np.bincount(ca[both] * k + cb[both], minlength=k * k).reshape(k, k)
            counts = self.confusion[a, b]
            for i, j in zip(*np.nonzero(local), strict=True):
                counts[number[int(i)], number[int(j)]] += int(local[i, j])
        tally = alpha_tally(codes)
        self.units_by_m.update(tally.units_by_m)
        self.squares_by_m.update(tally.squares_by_m)
        self.values_by_category.update(
            {number[c]: n for c, n in tally.values_by_category.items()})
        tagged = codes > 0
        for user in users:
            self.tokens_marked[user] += int(tagged[row[user]].sum())
        self.untagged += int((~tagged.any(axis=0)).sum())


class AgreementTally:
    """Agreement of ``users`` per label in ``labels`` and overall, fed batches of
    documents by :meth:`add` and read out by :meth:`report`."""

    def __init__(self, users: tuple[str, ...], labels: tuple[str, ...]) -> None:
        self.users = users
        self.labels = labels
        self.pairs = list(combinations(sorted(users), 2))
        self.documents = 0
        self.tokens = 0

        def block(sets: list[LabelSet]) -> _BlockTally:
            return _BlockTally({s: i for i, s in enumerate(sets)},
                               {pair: Counter() for pair in self.pairs})
        self._label_blocks = [block([(), (i,)]) for i in range(len(labels))]
        self._overall = block([()])
        self._spans: dict[str, Counter[str]] = {u: Counter() for u in users}
        self._span_counts: dict[tuple[str, str, str], list[int]] = {
            (a, b, label): [0, 0, 0, 0] for a, b in self.pairs for label in labels
        }
        self._relations = RelationTally(users)

    def add(self, documents: Sequence[DocumentSpans]) -> None:
        """Count one batch of documents (the next ones of the corpus, in order)."""
        codes: BatchCodes = batch_codes(documents, self.documents + 1, self.users,
                                        self.labels)
        self.documents += len(documents)
        self.tokens += codes.tokens
        self._relations.add(documents)
        for index, block in enumerate(self._label_blocks):
            block.add(codes.label_codes[index], ((), (index,)), self.users, self.pairs)
        self._overall.add(codes.overall_codes, codes.overall_sets, self.users, self.pairs)
        for user, by_label in codes.spans.items():
            self._spans[user].update(by_label)
        for key, counts in codes.span_counts.items():
            total = self._span_counts[key]
            for i, n in enumerate(counts):
                total[i] += n

    def report(self) -> AgreementReport:
        """The report over every document added so far."""
        blocks = tuple(
            self._scores(label, self._label_blocks[i],
                         {(a, b): self._summed([label], a, b) for a, b in self.pairs},
                         {u: self._spans[u][label] for u in self.users})
            for i, label in enumerate(self.labels)
        )
        overall = self._scores(
            OVERALL, self._overall,
            {(a, b): self._summed(self.labels, a, b) for a, b in self.pairs},
            {u: sum(self._spans[u][label] for label in self.labels) for u in self.users},
        )
        return AgreementReport(self.documents, self.tokens, self.users, blocks, overall,
                               self._relations.scores())

    def _summed(self, labels: Sequence[str], a: str, b: str) -> tuple[int, int, int, int]:
        counts = [self._span_counts[a, b, label] for label in labels]
        first, second, exact, overlap = (sum(c[k] for c in counts) for k in range(4))
        return first, second, exact, overlap

    def _scores(self, name: str, block: _BlockTally,
                span_counts: dict[tuple[str, str], tuple[int, int, int, int]],
                spans: dict[str, int]) -> LabelScores:
        ordered = sorted(block.categories, key=set_order(self.labels))
        position = {block.categories[s]: p for p, s in enumerate(ordered)}
        categories = tuple("+".join(sorted(self.labels[b] for b in s)) if s else "O"
                           for s in ordered)
        what = "" if name == OVERALL else f" labelled {name}"
        # Reasons say "not claim" where the confusion matrix says "O".
        shown = categories if name == OVERALL else (f"not {name}", name)
        k = len(categories)
        pair_scores = []
        for a, b in self.pairs:
            confusion = np.zeros((k, k), dtype=np.int64)
            for (i, j), n in block.confusion[a, b].items():
                confusion[position[i], position[j]] = n
            tokens = int(confusion.sum())
            agreeing = int(np.trace(confusion))
            observed = (Statistic(agreeing / tokens) if tokens else
                        Statistic.undefined(f"no token was coded by both {a} and {b}"))
            spans_a, spans_b, exact, overlap = span_counts[a, b]
            p_e, r_e, f_e = span_scores(exact, spans_a, spans_b, names=(a, b), what=what)
            p_o, r_o, f_o = span_scores(overlap, spans_a, spans_b, names=(a, b), what=what)
            pair_scores.append(PairScores(
                first=a, second=b,
                kappa=cohen_kappa(confusion, names=(a, b), categories=shown),
                observed=observed,
                precision_exact=p_e, recall_exact=r_e, f1_exact=f_e,
                precision_overlap=p_o, recall_overlap=r_o, f1_overlap=f_o,
                tokens=tokens, agreeing_tokens=agreeing,
                confusion=_sparse(confusion, categories),
                spans=(spans_a, spans_b), matched_exact=exact, matched_overlap=overlap,
            ))
        alpha = AlphaTally(
            dict(block.units_by_m), dict(block.squares_by_m),
            {position[c]: n for c, n in sorted(block.values_by_category.items(),
                                                key=lambda item: position[item[0]])},
        )
        return LabelScores(
            name=name,
            alpha=alpha_from_tally(alpha, categories=shown),
            pairs=tuple(pair_scores),
            tokens_marked={user: block.tokens_marked[user] for user in self.users},
            spans=spans,
            untagged_tokens=block.untagged,
        )


def _sparse(
    confusion: npt.NDArray[np.int64], categories: tuple[str, ...]
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for i, j in zip(*np.nonzero(confusion), strict=True):
        out.setdefault(categories[int(i)], {})[categories[int(j)]] = int(confusion[i, j])
    return out
