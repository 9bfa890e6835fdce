"""Relation agreement: precision, recall and F1 over (from, to, type), checked against a
brute-force maximum matching, and as the project and the CLI report it."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from annotator.agreement import (
    DocumentSpans,
    Link,
    Span,
    compute_agreement,
    format_table,
    relation_agreement,
    report_rows,
)
from annotator.agreement.span_matching import overlaps
from tests.core.review_support import TEXT, open_at

Match = Callable[[Link, Link], bool]


def _exact(a: Link, b: Link) -> bool:
    return a == b


def _overlap(a: Link, b: Link) -> bool:
    return a.type == b.type and overlaps(a.source, b.source) and overlaps(a.target, b.target)


def brute_force(first: Sequence[Link], second: Sequence[Link], match: Match) -> int:
    """The largest one-to-one matching, by trying every assignment of ``first``."""
    if len(first) > len(second):
        first, second, match = second, first, (lambda a, b, m=match: m(b, a))
    best = 0
    slots = [None, *range(len(second))]
    for choice in itertools.product(slots, repeat=len(first)):
        taken = [c for c in choice if c is not None]
        if len(taken) != len(set(taken)):
            continue
        if all(c is None or match(first[i], second[c]) for i, c in enumerate(choice)):
            best = max(best, len(taken))
    return best


def _random_links(rng: random.Random, count: int) -> list[Link]:
    def span() -> tuple[int, int]:
        start = rng.randrange(0, 12)
        return (start, start + rng.randrange(1, 5))

    return [Link(span(), span(), rng.choice(("attributed_to", "supports"))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(60))
def test_figures_match_a_brute_force_matching(seed: int) -> None:
    rng = random.Random(seed)
    text = "x" * 20
    documents = []
    expected = {"alice": 0, "bob": 0, "exact": 0, "overlap": 0}
    for _ in range(rng.randrange(1, 3)):
        links = {"alice": _random_links(rng, rng.randrange(0, 5)),
                 "bob": _random_links(rng, rng.randrange(0, 5))}
        if rng.random() < 0.5 and links["alice"]:  # some exact twins too
            links["bob"].append(links["alice"][0])
        documents.append(DocumentSpans(text, {"alice": [], "bob": []}, links))
        expected["alice"] += len(links["alice"])
        expected["bob"] += len(links["bob"])
        expected["exact"] += brute_force(links["alice"], links["bob"], _exact)
        expected["overlap"] += brute_force(links["alice"], links["bob"], _overlap)
    [pair] = relation_agreement(documents, ["bob", "alice"])
    assert pair.key == "alice|bob"
    assert pair.relations == (expected["alice"], expected["bob"])
    assert (pair.matched_exact, pair.matched_overlap) == (expected["exact"], expected["overlap"])
    for kind in ("exact", "overlap"):
        matched = expected[kind]
        precision = pair.statistic(f"precision_{kind}").value
        recall = pair.statistic(f"recall_{kind}").value
        f1 = pair.statistic(f"f1_{kind}").value
        assert precision == (matched / expected["bob"] if expected["bob"] else None)
        assert recall == (matched / expected["alice"] if expected["alice"] else None)
        total = expected["alice"] + expected["bob"]
        assert f1 == (2 * matched / total if total else None)


def test_documents_one_user_did_not_annotate_are_left_out() -> None:
    link = Link((0, 3), (4, 7), "attributed_to")
    documents = [
        DocumentSpans("abc def", {"alice": [], "bob": []}, {"alice": [link], "bob": [link]}),
        DocumentSpans("abc def", {"alice": []}, {"alice": [link, link]}),
    ]
    [pair] = relation_agreement(documents, ["alice", "bob"])
    assert pair.relations == (1, 1) and pair.f1_exact.value == 1.0


def test_report_json_table_and_csv_carry_relations() -> None:
    text = "The mayor said the bridge is safe."
    spans = [Span(0, 9, "source"), Span(15, 34, "claim")]
    documents = [DocumentSpans(
        text, {"alice": spans, "bob": spans},
        {"alice": [Link((15, 34), (0, 9), "attributed_to")],
         "bob": [Link((15, 33), (4, 9), "attributed_to")]},
    )]
    report = compute_agreement(documents, ["alice", "bob"], ["claim", "source"])
    block = report.to_json()["relations"]["alice|bob"]
    assert (block["f1_exact"], block["f1_overlap"]) == (0.0, 1.0)
    assert block["counts"] == {"relations": [1, 1], "matched_exact": 0, "matched_overlap": 1}
    assert "Relations of pair" in format_table(report)
    rows = {(r[0], r[1], r[2]): r[3] for r in report_rows(report)[1:]}
    assert rows["relations", "f1_overlap", "alice|bob"] == "1.0"
    nothing = relation_agreement([DocumentSpans(text, {"alice": [], "bob": []})],
                                 ["alice", "bob"])[0]
    assert nothing.f1_exact.reason == "neither alice nor bob has a relation"


def test_project_agreement_reports_relation_agreement(tmp_path: Path) -> None:
    with open_at(tmp_path / "p.db", "alice") as project:
        document = project.add_document(TEXT, "Growth")
        for user, claim_end in (("alice", 48), ("bob", 47)):
            project.set_user(user)
            source = project.add_annotation(document, 0, 12, "source")
            claim = project.add_annotation(document, 18, claim_end, "claim")
            project.add_relation(claim, source, "attributed_to")
            project.set_status(document, "done")
        pair = project.agreement().relations[0]
        assert pair.relations == (1, 1)
        assert (pair.matched_exact, pair.matched_overlap) == (0, 1)
        assert pair.f1_overlap.value == 1.0
