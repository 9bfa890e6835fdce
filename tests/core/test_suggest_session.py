"""The simulated analyst session behind the README's ``suggest-stats`` figures."""

from __future__ import annotations

from annotator import Project
from annotator.suggest.outcomes import RuleOutcome
from annotator.suggest.scoring import GoldLink
from tests.core.suggest_corpora import GoldDocument
from tests.core.suggest_session import run_session

TEXT = (
    "Kim met the envoy on Oct. 23. “The talks went well,” said Anna Berg. "
    "Kim left early. According to the embassy, the envoy stayed for two days."
)


def _span(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def test_the_analyst_keeps_what_matches_and_rejects_the_rest(project: Project) -> None:
    # The careful annotation knows the quotation and the date, not the embassy's claim.
    gold = GoldDocument("talks", TEXT, (GoldLink(_span("The talks went well"),
                                                 (_span("Anna Berg"),)),),
                        (_span("Oct. 23"),))
    outcomes = {o.rule: o for o in run_session(project, [gold])}
    assert outcomes["quote_then_speaker"] == RuleOutcome("quote_then_speaker", 2, 2, 2, 0)
    assert outcomes["date"] == RuleOutcome("date", 1, 1, 1, 0)
    assert outcomes["according_to"] == RuleOutcome("according_to", 2, 0, 0, 2)
    kept = {(a.label, a.start, a.end) for a in project.annotations()}
    assert kept == {("claim", *_span("The talks went well")), ("source", *_span("Anna Berg")),
                    ("fact", *_span("Oct. 23"))}
    rejected = [o for o in project.suggestion_origins() if o.outcome == "rejected"]
    assert {o.label for o in rejected} == {"claim", "source"}
