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
    outcomes = {(o.rule, o.kind): o for o in run_session(project, [gold])}
    assert outcomes["quote_then_speaker", "annotation"] == RuleOutcome(
        "quote_then_speaker", 2, 2, 2, 0)
    assert outcomes["date", "annotation"] == RuleOutcome("date", 1, 1, 1, 0)
    assert outcomes["according_to", "annotation"] == RuleOutcome("according_to", 2, 0, 0, 2)
    # The quotation's link is kept; the embassy's goes with its rejected ends.
    assert outcomes["quote_then_speaker", "link"] == RuleOutcome(
        "quote_then_speaker", 1, 1, 1, 0, "link")
    assert outcomes["according_to", "link"] == RuleOutcome("according_to", 1, 0, 0, 1, "link")
    assert len(outcomes) == 5
    kept = {(a.label, a.start, a.end) for a in project.annotations()}
    assert kept == {("claim", *_span("The talks went well")), ("source", *_span("Anna Berg")),
                    ("fact", *_span("Oct. 23"))}
    rejected = [o for o in project.suggestion_origins() if o.outcome == "rejected"]
    assert {o.label for o in rejected} == {"claim", "source"}
    [relation] = project.relations()
    assert [(o.outcome, o.relation_id) for o in project.link_origins()
            if o.rule == "quote_then_speaker"] == [("accepted", relation.id)]


def test_a_link_between_kept_ends_to_the_wrong_source_is_accepted_not_kept(
    project: Project
) -> None:
    # Both spans are true, but the careful annotation gives the quotation another speaker.
    gold = GoldDocument("talks", TEXT, (
        GoldLink(_span("The talks went well"), (_span("Kim"),)),
        GoldLink(_span("Kim left early"), (_span("Anna Berg"),))), ())
    outcomes = {(o.rule, o.kind): o for o in run_session(project, [gold])}
    assert outcomes["quote_then_speaker", "annotation"].kept == 2
    assert outcomes["quote_then_speaker", "link"] == RuleOutcome(
        "quote_then_speaker", 1, 1, 0, 0, "link")
    assert project.relations() == []
