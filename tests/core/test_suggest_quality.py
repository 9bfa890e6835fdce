"""Precision and recall of the suggester's links against careful annotations.

The seed articles (our annotation, tests/fixtures/suggest/) carry the issue's targets: link
precision ≥ 0.8 and recall ≥ 0.5. ClaimPT's sample (Portuguese) is split by document into a
tuning half, on which the Portuguese claim check was tuned, and a held-out half; both are
printed and held to the figures measured when the check was tuned (floors that catch a
broken rule set, not the targets: the held-out half misses them, see the README). Skips
without ../shared/corpora.
"""

from __future__ import annotations

import re

import pytest

from annotator.suggest import suggest_text
from annotator.suggest.curve import Point, above, at, choose, curve, two_fold
from annotator.suggest.evaluation import (
    GoldDocument,
    evaluate,
    halves,
    report,
    wrong_links,
)
from annotator.suggest.records import ProposedRelation, Suggestion, Suggestions
from annotator.suggest.scoring import GoldLink, Score, score_links, score_spans
from tests.core.suggest_corpora import (
    CLAIMPT,
    CORPORA,
    SEEDS_GOLD,
    claimpt_documents,
    seed_documents,
)

needs_seeds = pytest.mark.skipif(not (CORPORA / "seeds").is_dir(),
                                 reason="../shared/corpora/seeds is absent")
needs_claimpt = pytest.mark.skipif(not CLAIMPT.is_dir(),
                                   reason="../shared/corpora/claimpt-sample is absent")


def at_least(score: Score, precision: float, recall: float) -> bool:
    measured = score.overall.precision, score.recall
    return None not in measured and measured[0] >= precision and measured[1] >= recall


@needs_seeds
def test_seed_articles_meet_the_targets() -> None:
    assert SEEDS_GOLD.is_file()
    documents = seed_documents()
    total, facts = evaluate(documents, "en"), Score()
    for document in documents:
        facts.add(score_spans(suggest_text(document.text, "en"), "fact", document.facts))
    print("\n".join(report("seeds", total) + report("seeds", facts, "facts")))
    assert total.gold == 13
    assert at_least(total, 0.8, 0.5)
    assert facts.overall.precision is not None and facts.overall.precision >= 0.8


@needs_claimpt
def test_claimpt_halves_are_measured() -> None:
    documents = claimpt_documents()
    assert len(documents) == 20
    tuning, held_out = halves(documents)
    assert [d.name for d in tuning][:3] == ["news_0008.txt", "news_0028.txt", "news_0046.txt"]
    assert len(tuning) == len(held_out) == 10
    scores = {name: (evaluate(half, "pt"), evaluate(half, "pt", same_name=True))
              for name, half in (("tuning", tuning), ("held-out", held_out))}
    for name, (strict, same_name) in scores.items():
        print("\n".join(report(f"ClaimPT {name}", strict)
                        + report(f"ClaimPT {name}, same name", same_name)[:1]))
    assert scores["tuning"][0].gold == 10 and scores["held-out"][0].gold == 6
    assert at_least(scores["tuning"][0], 0.85, 0.7)
    assert at_least(scores["held-out"][1], 0.4, 0.6)


@needs_claimpt
def test_claimpt_two_fold_swap() -> None:
    """A threshold tuned on either half is tested on the other; the figures are floors."""
    tuning, held_out = halves(claimpt_documents())
    rows = two_fold(tuning, held_out, "pt", same_name=True, names=("tuning", "held-out"))
    assert [row[0] for row in rows] == ["tuned on tuning, tested on held-out",
                                        "tuned on held-out, tested on tuning"]
    for _, threshold, tuned, tested in rows:
        assert 0 < threshold <= 1 and tuned.proposed and tested.proposed
    assert (rows[0][3].precision or 0) >= 0.4 and (rows[1][3].precision or 0) >= 0.6
    # The default threshold of the claim check is a point of the tuning half's curve.
    points = curve(tuning, "pt")
    default = min((p for p in points if p.threshold >= 0.5), key=lambda p: p.threshold)
    assert (default.correct, default.proposed) == (evaluate(tuning, "pt").overall.correct,
                                                   evaluate(tuning, "pt").overall.proposed)


@needs_claimpt
def test_wrong_links_say_what_claimpt_marks_there() -> None:
    document = next(d for d in claimpt_documents() if d.name == "news_0060.txt")
    wrong = wrong_links(document, suggest_text(document.text, "pt", min_confidence=0))
    kinds = {w.kind for w in wrong}
    assert kinds == {"non-claim", "source", "unmarked"}
    # "Estamos na estação …", criticou: ClaimPT names Mariana Mortágua at an earlier mention.
    assert not any(w.claim.startswith("Estamos na estação")
                   for w in wrong_links(document, suggest_text(document.text, "pt"),
                                        same_name=True))


def test_halves_alternate_by_name() -> None:
    documents = [GoldDocument(name, "", ()) for name in ("c", "a", "d", "b", "e")]
    tuning, held_out = halves(documents)
    assert [d.name for d in tuning] == ["a", "c", "e"]
    assert [d.name for d in held_out] == ["b", "d"]


def test_the_matching_rule() -> None:
    text = "Anna Berg said the dam on the river leaked for ten long years before anyone knew."
    gold = [GoldLink((15, 80), ((0, 9),))]

    def one(source: tuple[int, int], claim: tuple[int, int]) -> Score:
        suggestions = Suggestions("en", (
            Suggestion("source", *source, text[slice(*source)], 0.9, "r"),
            Suggestion("claim", *claim, text[slice(*claim)], 0.9, "r"),
        ), (ProposedRelation("attributed_to", 1, 0, "r"),))
        return score_links(text, suggestions, gold)

    assert one((5, 9), (15, 80)).overall.correct == 1  # source overlaps: enough
    assert one((10, 14), (15, 80)).overall.correct == 0  # source elsewhere
    assert one((0, 9), (15, 50)).overall.correct == 1  # 8 of 15 tokens shared: half or more
    assert one((0, 9), (15, 45)).overall.correct == 0  # 7 of 15: less than half
    assert one((0, 9), (15, 50)).recall == 1.0


def test_same_name_counts_another_mention_of_the_true_source() -> None:
    text = "Anna Berg spoke. The dam on the river leaked for ten years, said Anna Berg."
    gold = [GoldLink((17, 58), ((0, 9),))]
    suggestions = Suggestions("en", (
        Suggestion("claim", 17, 58, text[17:58], 0.9, "r"),
        Suggestion("source", 65, 74, text[65:74], 0.9, "r"),
    ), (ProposedRelation("attributed_to", 0, 1, "r"),))
    assert score_links(text, suggestions, gold).overall.correct == 0
    assert score_links(text, suggestions, gold, same_name=True).overall.correct == 1
    other = [GoldLink((17, 58), ((0, 4),))]  # "Anna" alone is another name
    assert score_links(text, suggestions, other, same_name=True).overall.correct == 0


def _claims(text: str, confidences: list[float]) -> Suggestions:
    """A source (0) and one claim per confidence, each a word of ``text`` after the first."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    annotations = [Suggestion("source", *words[0], text[slice(*words[0])], 0.9, "r")]
    annotations += [Suggestion("claim", *words[i + 1], text[slice(*words[i + 1])], c, "r")
                    for i, c in enumerate(confidences)]
    relations = tuple(ProposedRelation("attributed_to", i + 1, 0, "r")
                      for i in range(len(confidences)))
    return Suggestions("en", tuple(annotations), relations)


def test_curve_scores_every_threshold_from_one_pass() -> None:
    text = "Anna alpha beta gamma"
    gold = GoldDocument("d", text, (GoldLink((5, 10), ((0, 4),)), GoldLink((11, 15), ((0, 4),))))
    result = _claims(text, [0.9, 0.4, 0.6])  # alpha and beta are true claims, gamma is not

    points = curve([gold], "en", suggest=lambda _text, _language: result)
    assert [(p.threshold, p.correct, p.proposed, p.found) for p in points] == [
        (0.9, 1, 1, 1), (0.6, 1, 2, 1), (0.4, 2, 3, 2)]
    assert [r.source for r in above(result, 0.6).relations] == [1, 3]
    assert choose(points, 0.8) == 0.9  # precision 1.0 there, 0.5 and 0.67 below
    assert choose(points, 0.6) == 0.4  # the lowest threshold reaching it: the most recall
    # None reaches 0.95: the best F0.5 (precision counted twice) wins.
    assert choose(points, 0.95) == 0.9
    assert choose([Point(0.5, 4, 1, 1, 2)], 0.8) == 0.5 and choose([], 0.8) == 0.0
    assert at(points, 0.5, 2).threshold == 0.6  # a threshold proposes what the next level up does
    assert at(points, 0.95, 2) == Point(0.95, 0, 0, 0, 2)  # nothing above every level
