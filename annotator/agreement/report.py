"""The agreement report: plain frozen records and their JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy comes with the coefficients, not with the tables
    from annotator.agreement.coefficients import Statistic

from annotator.agreement.relations import RelationPairScores

OVERALL = "overall"

PAIR_STATISTICS = (
    "kappa", "observed",
    "precision_exact", "recall_exact", "f1_exact",
    "precision_overlap", "recall_overlap", "f1_overlap",
)


def pair_key(first: str, second: str) -> str:
    """The JSON key of a pair: the two users sorted and joined by ``|``."""
    a, b = sorted((first, second))
    return f"{a}|{b}"


@dataclass(frozen=True, slots=True)
class PairScores:
    """Two annotators (``first`` < ``second``; ``first`` is the reference) on one label."""

    first: str
    second: str
    kappa: Statistic
    observed: Statistic
    precision_exact: Statistic
    recall_exact: Statistic
    f1_exact: Statistic
    precision_overlap: Statistic
    recall_overlap: Statistic
    f1_overlap: Statistic
    tokens: int
    """Tokens both coded (documents both annotated)."""
    agreeing_tokens: int
    confusion: Mapping[str, Mapping[str, int]]
    """Token counts by category: ``confusion[first's category][second's category]``."""
    spans: tuple[int, int]
    """Spans of first and second in the documents both annotated."""
    matched_exact: int
    matched_overlap: int

    @property
    def key(self) -> str:
        return f"{self.first}|{self.second}"

    def statistic(self, name: str) -> Statistic:
        stat: Statistic = getattr(self, name)
        return stat


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Agreement on one label (binary: marked with it or not), or ``overall``."""

    name: str
    alpha: Statistic
    pairs: tuple[PairScores, ...]
    tokens_marked: Mapping[str, int]
    """Per user: tokens marked with the label (overall: with any label)."""
    spans: Mapping[str, int]
    untagged_tokens: int
    """Tokens nobody marked with the label (overall: with any label)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kappa": _per_pair(self.pairs, "kappa"), "alpha": self.alpha.value}
        for name in ("f1_exact", "f1_overlap", "observed", "precision_exact", "recall_exact",
                     "precision_overlap", "recall_overlap"):
            out[name] = _per_pair(self.pairs, name)
        undefined: dict[str, Any] = {}
        if self.alpha.reason is not None:
            undefined["alpha"] = self.alpha.reason
        for name in PAIR_STATISTICS:
            reasons = {p.key: p.statistic(name).reason for p in self.pairs
                       if p.statistic(name).reason is not None}
            if reasons:
                undefined[name] = reasons
        out["undefined"] = undefined
        out["counts"] = {
            "tokens": dict(self.tokens_marked),
            "spans": dict(self.spans),
            "pairs": {
                p.key: {
                    "tokens": p.tokens,
                    "agreeing_tokens": p.agreeing_tokens,
                    "spans": list(p.spans),
                    "matched_exact": p.matched_exact,
                    "matched_overlap": p.matched_overlap,
                }
                for p in self.pairs
            },
        }
        out["untagged_tokens"] = self.untagged_tokens
        out["confusion"] = {p.key: {r: dict(c) for r, c in p.confusion.items()}
                            for p in self.pairs}
        return out


def _per_pair(pairs: tuple[PairScores, ...], name: str) -> dict[str, float | None]:
    return {p.key: p.statistic(name).value for p in pairs}


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Everything ``annotator agreement`` reports; :meth:`to_json` is the contract shape."""

    documents: int
    tokens: int
    users: tuple[str, ...]
    labels: tuple[LabelScores, ...]
    overall: LabelScores
    relations: tuple[RelationPairScores, ...] = ()
    """Relation agreement per pair (see :mod:`annotator.agreement.relations`)."""

    def label(self, name: str) -> LabelScores:
        """The scores of one label, or of ``"overall"``."""
        if name == OVERALL:
            return self.overall
        for scores in self.labels:
            if scores.name == name:
                return scores
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """``{"documents", "tokens", "users", "labels": {LABEL: {...}}, "overall": {...}}``.

        Each label block holds "kappa", "f1_exact", "f1_overlap" (and precision, recall,
        "observed") as ``{"A|B": value}``, "alpha" as a value, undefined values as
        ``None`` with their reasons under "undefined", plus "counts",
        "untagged_tokens" and a per-pair "confusion" of token categories. "relations"
        holds, per pair, precision, recall and F1 of relations (exact and overlap), their
        "undefined" reasons and "counts".
        """
        return {
            "documents": self.documents,
            "tokens": self.tokens,
            "users": list(self.users),
            "labels": {scores.name: scores.to_json() for scores in self.labels},
            "overall": self.overall.to_json(),
            "relations": {pair.key: pair.to_json() for pair in self.relations},
        }
