"""Chance-corrected agreement coefficients and span scores, with undefined cases named.

Every function returns a :class:`Statistic`: a value, or ``None`` with the reason a
person can read. Undefined never becomes NaN, 1.0 or an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np
import numpy.typing as npt

MISSING = -1
"""Category code of a unit a coder did not code (nominal alpha allows gaps)."""


@dataclass(frozen=True, slots=True)
class Statistic:
    """A figure, or ``value is None`` and ``reason`` says why it is undefined."""

    value: float | None
    reason: str | None = None

    @classmethod
    def undefined(cls, reason: str) -> Statistic:
        return cls(None, reason)

    @property
    def defined(self) -> bool:
        return self.value is not None


def cohen_kappa(confusion: npt.NDArray[np.int64], *, names: tuple[str, str] = ("A", "B"),
                categories: tuple[str, ...] | None = None) -> Statistic:
    """Cohen's kappa from a square confusion matrix (rows: first coder, columns: second).

    kappa = (p_o - p_e) / (1 - p_e); undefined when no unit was coded by both or when
    both coders used one and the same category only (p_e = 1). ``names`` and
    ``categories`` only word the reason.
    """
    total = int(confusion.sum())
    if total == 0:
        return Statistic.undefined(f"no token was coded by both {names[0]} and {names[1]}")
    rows = confusion.sum(axis=1)
    cols = confusion.sum(axis=0)
    agree = int(np.trace(confusion))
    chance = sum(int(r) * int(c) for r, c in zip(rows.tolist(), cols.tolist(), strict=True))
    # Exact integer test: p_e == 1 exactly when chance == total².
    if chance == total * total:
        only = int(np.argmax(rows))
        what = categories[only] if categories else f"category {only}"
        return Statistic.undefined(
            f"{names[0]} and {names[1]} put every token in the same single category "
            f"({what}), so expected agreement is 1 and kappa is 0/0"
        )
    p_o = agree / total
    p_e = chance / (total * total)
    return Statistic((p_o - p_e) / (1.0 - p_e))


@dataclass(frozen=True, slots=True)
class AlphaTally:
    """What nominal alpha needs from a set of units, summed unit by unit.

    ``units_by_m[m]``: pairable units with m values; ``squares_by_m[m]``: the sum of
    Σ_c n_uc² over those units; ``values_by_category[c]``: pairable values of category c.
    Tallies of disjoint sets of units add up (key by key) to the tally of their union, so
    alpha over a corpus can be computed a batch of units at a time.
    """

    units_by_m: dict[int, int]
    squares_by_m: dict[int, int]
    values_by_category: dict[int, int]


def alpha_tally(codes: npt.NDArray[np.int64]) -> AlphaTally:
    """The :class:`AlphaTally` of ``codes`` (coders × units, ``MISSING`` where uncoded)."""
    coders, units = codes.shape
    present = codes != MISSING
    everywhere = bool(present.all())
    # Σ_c n_uc² = m_u + 2 × (number of agreeing coder pairs in unit u).
    agreeing = np.zeros(units, dtype=np.int64)
    for i, j in combinations(range(coders), 2):
        same = codes[i] == codes[j]
        agreeing += same if everywhere else same & present[i] & present[j]
    if everywhere:
        # Every coder coded every unit (the usual case): no masks, no copies.
        if coders < 2 or not units:
            return AlphaTally({}, {}, {})
        counts = np.bincount(codes.ravel())
        return AlphaTally(
            {coders: units}, {coders: coders * units + 2 * int(agreeing.sum())},
            {c: int(n) for c, n in enumerate(counts.tolist()) if n},
        )
    per_unit = present.sum(axis=0)
    pairable = per_unit >= 2
    square_sums = per_unit + 2 * agreeing
    units_by_m = np.bincount(per_unit[pairable])
    squares_by_m = np.bincount(per_unit[pairable], weights=square_sums[pairable])
    in_pairable = codes[:, pairable]
    counts = np.bincount(in_pairable[in_pairable != MISSING])
    return AlphaTally(
        {m: int(n) for m, n in enumerate(units_by_m.tolist()) if n},
        {m: round(n) for m, n in enumerate(squares_by_m.tolist()) if units_by_m[m]},
        {c: int(n) for c, n in enumerate(counts.tolist()) if n},
    )


def nominal_alpha(codes: npt.NDArray[np.int64], *, categories: tuple[str, ...] | None = None
                  ) -> Statistic:
    """Krippendorff's alpha for nominal data.

    ``codes`` is coders × units of non-negative category codes, ``MISSING`` (-1) where a
    coder did not code a unit. Units with fewer than two values are not pairable and
    drop out, as in Krippendorff (2011). With n pairable values, n_c of category c and
    m_u values in unit u:

        alpha = 1 - (n - 1) * Σ_u (m_u² - Σ_c n_uc²) / (m_u - 1)  /  (n² - Σ_c n_c²)
    """
    return alpha_from_tally(alpha_tally(codes), categories=categories)


def alpha_from_tally(tally: AlphaTally, *, categories: tuple[str, ...] | None = None
                     ) -> Statistic:
    """Nominal alpha (see :func:`nominal_alpha`) from the tally of its units."""
    values = sum(m * n for m, n in tally.units_by_m.items())
    if values < 2:
        return Statistic.undefined(
            "fewer than 2 pairable values: no token was coded by at least two annotators"
        )
    # Units with the same m_u share the divisor m_u - 1: sum each group in integers so
    # the result is exact.
    observed = Fraction(0)
    for m, units in sorted(tally.units_by_m.items()):
        disagreement = m * m * units - tally.squares_by_m[m]
        observed += Fraction(disagreement, m - 1)
    expected = values * values - sum(n * n for n in tally.values_by_category.values())
    if expected == 0:
        only = max(tally.values_by_category, key=tally.values_by_category.__getitem__)
        what = categories[only] if categories else f"category {only}"
        return Statistic.undefined(
            f"every pairable value is the same category ({what}), so no disagreement "
            "is possible and alpha is 0/0"
        )
    return Statistic(float(1 - (values - 1) * observed / expected))


def span_scores(matched: int, reference: int, other: int, *, names: tuple[str, str],
                what: str = "", unit: str = "span") -> tuple[Statistic, Statistic, Statistic]:
    """(precision, recall, F1) with ``names[0]``'s spans as the reference.

    recall = matched / reference spans, precision = matched / other spans,
    F1 = 2 · matched / (reference + other). ``what`` (e.g. " labelled claim") and
    ``unit`` (what is counted: spans, relations) word the reasons.
    """
    ref_name, other_name = names
    if other:
        precision = Statistic(matched / other)
    else:
        precision = Statistic.undefined(
            f"{other_name} has no {unit}{what}, so precision (matched / {unit}s of "
            f"{other_name}) is 0/0"
        )
    if reference:
        recall = Statistic(matched / reference)
    else:
        recall = Statistic.undefined(
            f"{ref_name} has no {unit}{what}, so recall (matched / {unit}s of {ref_name}) "
            "is 0/0"
        )
    if reference + other:
        f1 = Statistic(2 * matched / (reference + other))
    else:
        f1 = Statistic.undefined(f"neither {ref_name} nor {other_name} has a {unit}{what}")
    return precision, recall, f1
