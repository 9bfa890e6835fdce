"""compute_agreement end to end against an independent, slow implementation."""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import (
    TOKEN_PATTERN,
    AgreementReport,
    DocumentSpans,
    Span,
    compute_agreement,
    format_table,
    report_rows,
    write_csv,
)
from annotator.errors import AnnotatorError
from tests.core.test_agreement_spans import brute_force_exact, brute_force_overlap

LABELS = ["claim", "fact"]


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[DocumentSpans], list[str]]:
    users = ["ann", "bob", "cy"][: draw(st.integers(2, 3))]
    docs = []
    for _ in range(draw(st.integers(1, 3))):
        text = draw(st.text(alphabet="ab c.字🙂\u0301\n", max_size=25))
        n = len(text)
        span = st.builds(
            lambda a, b, label: Span(min(a, b), max(a, b), label),
            st.integers(0, n), st.integers(0, n), st.sampled_from([*LABELS, "other"]))
        spans = {}
        for user in users:
            # Sometimes a user did not annotate this document at all (missing values).
            if draw(st.integers(0, 5)) > 0:
                spans[user] = draw(st.lists(span, max_size=4))
        docs.append(DocumentSpans(text, spans))
    return docs, users


def reference(docs: list[DocumentSpans], users: list[str], label: str | None) -> dict:
    """Per-token categories by brute force, then sklearn / krippendorff / brute-force F1."""
    wanted = LABELS if label is None else [label]
    categories: dict[str, list[str | None]] = {u: [] for u in users}
    for doc in docs:
        for m in TOKEN_PATTERN.finditer(doc.text):
            for user in users:
                if user not in doc.spans:
                    categories[user].append(None)
                    continue
                marked = sorted({s.label for s in doc.spans[user] if s.label in wanted
                                 and s.start < m.end() and m.start() < s.end})
                categories[user].append("+".join(marked) if marked else "O")
    out: dict = {"kappa": {}, "f1_exact": {}, "f1_overlap": {}}
    for a, b in combinations(sorted(users), 2):
        both = [(x, y) for x, y in zip(categories[a], categories[b], strict=True)
                if x is not None and y is not None]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kappa = (cohen_kappa_score([x for x, _ in both], [y for _, y in both])
                     if both else math.nan)
        out["kappa"][f"{a}|{b}"] = None if math.isnan(kappa) else kappa
        exact = overlap = count = 0
        for doc in docs:
            if a not in doc.spans or b not in doc.spans:
                continue
            for name in wanted:
                sa = [(s.start, s.end) for s in doc.spans[a] if s.label == name]
                sb = [(s.start, s.end) for s in doc.spans[b] if s.label == name]
                exact += brute_force_exact(sa, sb)
                overlap += brute_force_overlap(sa, sb)
                count += len(sa) + len(sb)
        out["f1_exact"][f"{a}|{b}"] = 2 * exact / count if count else None
        out["f1_overlap"][f"{a}|{b}"] = 2 * overlap / count if count else None
    values = sorted({c for cs in categories.values() for c in cs if c is not None})
    data = np.array([[np.nan if c is None else values.index(c) for c in categories[u]]
                     for u in users], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:
        alpha = math.nan
    out["alpha"] = None if not np.isfinite(alpha) else float(alpha)
    return out


def assert_close(actual: float | None, expected: float | None) -> None:
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(corpora())
def test_every_figure_matches_independent_implementations(
    corpus: tuple[list[DocumentSpans], list[str]],
) -> None:
    docs, users = corpus
    result = compute_agreement(docs, users, LABELS).to_json()
    assert result["tokens"] == sum(len(TOKEN_PATTERN.findall(d.text)) for d in docs)
    for name, block in [*((lab, result["labels"][lab]) for lab in LABELS),
                        (None, result["overall"])]:
        expected = reference(docs, users, name)
        assert_close(block["alpha"], expected["alpha"])
        if block["alpha"] is None:
            assert block["undefined"]["alpha"]
        for stat in ("kappa", "f1_exact", "f1_overlap"):
            assert block[stat].keys() == expected[stat].keys()
            for pair, value in block[stat].items():
                assert_close(value, expected[stat][pair])
                if value is None:
                    assert block["undefined"][stat][pair]
    json.dumps(result, allow_nan=False)


def example() -> list[DocumentSpans]:
    text = "The cat sat on the mat. Dogs bark!"
    return [DocumentSpans(text, {
        "bob": [Span(4, 11, "claim"), Span(24, 28, "fact"), Span(29, 33, "fact"),
                Span(0, 3, "ignored")],
        "alice": [Span(0, 7, "claim"), Span(24, 33, "fact")],
    })]


def test_json_contract_shape() -> None:
    result = compute_agreement(example(), ["bob", "alice"], ["claim", "fact"]).to_json()
    assert result["documents"] == 1
    assert result["tokens"] == 10
    assert result["users"] == ["bob", "alice"]
    assert list(result["labels"]) == ["claim", "fact"]
    for block in [*result["labels"].values(), result["overall"]]:
        assert set(block["kappa"]) == set(block["f1_exact"]) == {"alice|bob"}
        assert set(block["f1_overlap"]) == {"alice|bob"}
        assert isinstance(block["alpha"], float)
    claim = result["labels"]["claim"]
    # alice: The cat | bob: cat sat → confusion O/O 7, O/claim 1, claim/O 1, claim/claim 1.
    assert claim["confusion"]["alice|bob"] == {"O": {"O": 7, "claim": 1},
                                               "claim": {"O": 1, "claim": 1}}
    assert claim["kappa"]["alice|bob"] == pytest.approx((0.8 - 0.68) / 0.32)
    assert claim["f1_exact"]["alice|bob"] == 0.0
    assert claim["f1_overlap"]["alice|bob"] == 1.0
    fact = result["labels"]["fact"]
    # alice (reference) has 1 fact span, bob 2: recall 1/1, precision 1/2.
    assert fact["recall_overlap"]["alice|bob"] == 1.0
    assert fact["precision_overlap"]["alice|bob"] == 0.5
    overall = result["overall"]
    assert overall["counts"]["spans"] == {"bob": 3, "alice": 2}
    assert overall["counts"]["pairs"]["alice|bob"]["matched_overlap"] == 2
    assert overall["untagged_tokens"] == 5
    assert overall["observed"]["alice|bob"] == 0.8


def test_nothing_at_all_is_undefined_with_reasons() -> None:
    docs = [DocumentSpans("Nobody tagged anything here.", {"a": [], "b": []})]
    result = compute_agreement(docs, ["a", "b"], ["claim"]).to_json()
    for block in (result["labels"]["claim"], result["overall"]):
        assert block["kappa"]["a|b"] is None
        assert block["alpha"] is None
        assert block["f1_exact"]["a|b"] is None and block["f1_overlap"]["a|b"] is None
        assert "expected agreement is 1" in block["undefined"]["kappa"]["a|b"]
        assert "no disagreement" in block["undefined"]["alpha"]
        assert "neither a nor b" in block["undefined"]["f1_exact"]["a|b"]
        assert block["untagged_tokens"] == 5
    text = json.dumps(result, allow_nan=False)
    assert "null" in text and "NaN" not in text


def test_nothing_in_common_is_not_perfect_agreement() -> None:
    text = "one two three four five six seven eight"
    docs = [DocumentSpans(text, {"a": [Span(0, 13, "claim")], "b": [Span(24, 39, "claim")]})]
    result = compute_agreement(docs, ["a", "b"], ["claim"]).to_json()
    for block in (result["labels"]["claim"], result["overall"]):
        assert block["alpha"] is not None and block["alpha"] < 0.05
        assert block["kappa"]["a|b"] is not None and block["kappa"]["a|b"] < 0.05
        assert block["f1_overlap"]["a|b"] == 0.0


def test_user_absent_from_a_document_is_missing_not_empty() -> None:
    docs = [DocumentSpans("a b c", {"a": [Span(0, 1, "claim")], "b": [Span(0, 1, "claim")]}),
            DocumentSpans("d e f", {"a": [Span(0, 5, "claim")]})]
    report = compute_agreement(docs, ["a", "b"], ["claim"])
    pair = report.label("claim").pairs[0]
    assert pair.tokens == 3 and pair.kappa.value == 1.0
    assert pair.spans == (1, 1) and pair.matched_exact == 1
    assert report.label("claim").spans == {"a": 2, "b": 1}


def test_many_labels_take_the_wide_path() -> None:
    labels = [f"l{i:02d}" for i in range(70)]
    text = "w0 w1 w2 w3 w4 w5"
    docs = [DocumentSpans(text, {
        "a": [Span(0, 2, "l69"), Span(0, 2, "l00"), Span(3, 5, "l05")],
        "b": [Span(0, 2, "l69"), Span(0, 2, "l00"), Span(6, 8, "l05")],
    })]
    overall = compute_agreement(docs, ["a", "b"], labels).overall
    confusion = overall.pairs[0].confusion
    assert confusion["l00+l69"] == {"l00+l69": 1}
    assert confusion["l05"] == {"O": 1} and confusion["O"] == {"O": 3, "l05": 1}


def test_invalid_input_raises_annotator_error() -> None:
    with pytest.raises(AnnotatorError, match="two annotators"):
        compute_agreement(example(), ["bob"], ["claim"])
    bad = [DocumentSpans("abc", {"a": [Span(1, 9, "claim")], "b": []})]
    with pytest.raises(AnnotatorError, match="outside"):
        compute_agreement(bad, ["a", "b"], ["claim"])


def test_progress_reaches_total() -> None:
    seen: list[tuple[int, int]] = []
    compute_agreement(example(), ["alice", "bob"], ["claim", "fact"],
                      progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1]


def report_with_undefined() -> AgreementReport:
    return compute_agreement(example(), ["alice", "bob"], ["claim", "fact", "source"])


def test_table_shows_dash_and_reason() -> None:
    table = format_table(report_with_undefined())
    assert "alice|bob" in table and "overall" in table
    assert "—[1]" in table
    assert "[1] alice and bob put every token in the same single category (not source)" in table
    assert "0.375" in table  # claim kappa


def test_csv_rows_round_trip() -> None:
    report = report_with_undefined()
    buffer = io.StringIO()
    write_csv(report, buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == report_rows(report)
    assert rows[0] == ["label", "statistic", "who", "value", "undefined_reason"]
    by_key = {(r[0], r[1], r[2]): r for r in rows[1:]}
    assert float(by_key["claim", "kappa", "alice|bob"][3]) == report.label(
        "claim").pairs[0].kappa.value
    source_alpha = by_key["source", "alpha", "all"]
    assert source_alpha[3] == "" and "no disagreement" in source_alpha[4]
