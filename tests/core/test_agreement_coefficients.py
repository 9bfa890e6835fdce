"""Kappa and alpha against worked examples and against sklearn / krippendorff."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import MISSING, Statistic, cohen_kappa, nominal_alpha


def test_cohen_textbook_two_by_two() -> None:
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → p_o 0.7, p_e 0.5, kappa 0.4.
    stat = cohen_kappa(np.array([[20, 5], [10, 15]], dtype=np.int64))
    assert stat.value == pytest.approx(0.4)
    assert stat.reason is None


def test_krippendorff_2011_nominal_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
    # 4 observers, 12 units, missing values; nominal alpha = 0.743.
    m = MISSING
    data = np.array([
        [1, 2, 3, 3, 2, 1, 4, 1, 2, m, m, m],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, m, 3],
        [m, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, m],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, m],
    ], dtype=np.int64)
    stat = nominal_alpha(data)
    assert stat.value is not None
    assert round(stat.value, 3) == 0.743
    # 113/152 is the exact value behind the paper's rounded figure.
    assert stat.value == pytest.approx(113 / 152, abs=1e-12)


def test_kappa_undefined_when_one_shared_category() -> None:
    stat = cohen_kappa(np.array([[7, 0], [0, 0]], dtype=np.int64), names=("ann", "bo"),
                       categories=("not claim", "claim"))
    assert stat.value is None
    assert stat.reason is not None and "not claim" in stat.reason and "ann" in stat.reason


def test_kappa_defined_when_each_uses_a_different_single_category() -> None:
    stat = cohen_kappa(np.array([[0, 4], [0, 0]], dtype=np.int64))
    assert stat == Statistic(0.0)


def test_kappa_undefined_without_units() -> None:
    stat = cohen_kappa(np.zeros((2, 2), dtype=np.int64))
    assert stat.value is None and stat.reason


def test_alpha_undefined_cases() -> None:
    same = nominal_alpha(np.zeros((2, 5), dtype=np.int64))
    assert same.value is None and same.reason and "no disagreement" in same.reason
    lonely = nominal_alpha(np.array([[0, MISSING], [MISSING, 1]], dtype=np.int64))
    assert lonely.value is None and lonely.reason and "pairable" in lonely.reason


def test_alpha_of_total_disagreement_is_not_one() -> None:
    stat = nominal_alpha(np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=np.int64))
    assert stat.value is not None and stat.value < 0


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=60))
def test_kappa_matches_sklearn(pairs: list[tuple[int, int]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    confusion = np.zeros((4, 4), dtype=np.int64)
    for x, y in pairs:
        confusion[x, y] += 1
    stat = cohen_kappa(confusion)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(a, b)
    if np.isnan(expected):
        assert stat.value is None and stat.reason
    else:
        assert stat.value == pytest.approx(expected, abs=1e-12)


@given(st.integers(2, 4).flatmap(lambda coders: st.lists(
    st.lists(st.integers(-1, 3), min_size=coders, max_size=coders), min_size=1, max_size=40)))
def test_alpha_matches_krippendorff_package(units: list[list[int]]) -> None:
    codes = np.array(units, dtype=np.int64).T
    stat = nominal_alpha(codes)
    data = np.where(codes == MISSING, np.nan, codes.astype(float))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:
        expected = float("nan")
    if stat.value is None:
        assert stat.reason
        assert np.isnan(expected) or not np.isfinite(expected)
    else:
        assert expected == pytest.approx(stat.value, abs=1e-9)
