"""Precision and recall of the suggester's links against careful annotations.

The seed articles (our annotation, tests/fixtures/suggest/) carry the issue's targets: link
precision ≥ 0.8 and recall ≥ 0.5. ClaimPT's sample (Portuguese) is measured and printed, not
held to them: it marks only check-worthy claims in direct speech, so most right attributions
(indirect speech, opinions) have nothing to match there. Skips without ../shared/corpora.
"""

from __future__ import annotations

import pytest

from annotator.suggest import suggest_text
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


def report(name: str, score: Score) -> str:
    lines = [f"{name}: links P={score.overall.precision} R={score.recall} "
             f"({score.overall.correct}/{score.overall.proposed} right, "
             f"{score.found}/{score.gold} found)"]
    lines += [f"  {rule}: {t.correct}/{t.proposed}" for rule, t in sorted(score.rules.items())]
    return "\n".join(lines)


@needs_seeds
def test_seed_articles_meet_the_targets() -> None:
    assert SEEDS_GOLD.is_file()
    total, facts = Score(), Score()
    for document in seed_documents():
        result = suggest_text(document.text, "en")
        total.add(score_links(document.text, result, document.links))
        facts.add(score_spans(result, "fact", document.facts))
    print(report("seeds", total))
    print(report("seeds facts", facts))
    assert total.gold == 13
    assert total.overall.precision is not None and total.overall.precision >= 0.8
    assert total.recall is not None and total.recall >= 0.5
    assert facts.overall.precision is not None and facts.overall.precision >= 0.8


@needs_claimpt
def test_claimpt_sample_is_measured() -> None:
    documents = claimpt_documents()
    assert len(documents) == 20
    total = Score()
    for document in documents:
        total.add(score_links(document.text, suggest_text(document.text), document.links))
    print(report("ClaimPT sample", total))
    assert total.gold == 16
    # Not the targets (see the module's docstring): a floor that catches a broken rule set.
    assert total.recall is not None and total.recall >= 0.5


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
