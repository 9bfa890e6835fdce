"""Accepted suggestions remember their rule and confidence; rejected ones are recorded too;
per rule, how many an analyst kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.suggest import Suggestion, apply_suggestions
from annotator.suggest.outcomes import ACCEPTED, REJECTED, RuleOutcome
from tests.project_files import new_project

ARTICLE = (
    "Kim met the envoy on Oct. 23. “The talks went well,” said Anna Berg. "
    "Kim left early. According to the embassy, the envoy stayed for two days."
)


@pytest.fixture
def document(project: Project) -> str:
    return project.add_document(ARTICLE, "talks")


def test_accepting_records_rule_and_confidence(project: Project, document: str) -> None:
    result = project.suggest(document)
    applied = apply_suggestions(project, document, result, project.add_relation)
    origins = {o.annotation_id: o for o in project.suggestion_origins(document)}
    assert len(origins) == len(result.annotations)
    for suggestion, annotation_id in applied.added:
        origin = origins[annotation_id]
        assert (origin.outcome, origin.rule, origin.confidence, origin.label, origin.start,
                origin.end, origin.annotator, origin.kept) == (
            ACCEPTED, suggestion.rule, suggestion.confidence, suggestion.label,
            suggestion.start, suggestion.end, "alice", True)


def test_a_plain_annotation_has_no_origin(project: Project, document: str) -> None:
    project.add_annotation(document, 0, 3, "source")
    assert project.suggestion_origins() == []


def test_rejecting_is_recorded_and_checked(project: Project, document: str) -> None:
    proposal = Suggestion("source", 58, 67, "Anna Berg", 0.9, "quote_then_speaker")
    record_id = project.reject_suggestion(document, proposal)
    [origin] = project.suggestion_origins(annotator="alice")
    assert (origin.id, origin.outcome, origin.annotation_id, origin.kept) == (
        record_id, REJECTED, None, False)
    assert (origin.rule, origin.label, origin.start, origin.end, origin.confidence) == (
        "quote_then_speaker", "source", 58, 67, 0.9)
    with pytest.raises(AnnotatorError, match="outside the text"):
        project.reject_suggestion(document, Suggestion("source", 5, 500, "", 0.5, "r"))
    with pytest.raises(AnnotatorError, match="no label"):
        project.reject_suggestion(document, Suggestion("nope", 0, 3, "Kim", 0.5, "r"))
    with pytest.raises(AnnotatorError, match="no document"):
        project.reject_suggestion("missing", proposal)
    with pytest.raises(AnnotatorError, match="one line"):
        project.reject_suggestion(document, Suggestion("source", 0, 3, "Kim", 0.5, "a\nb"))
    with pytest.raises(AnnotatorError, match="one line"):
        project.add_annotation(document, 0, 3, "source", rule=" ")
    assert len(project.suggestion_origins()) == 1


def test_outcomes_per_rule_count_each_proposal_once(project: Project, document: str) -> None:
    kept = project.add_annotation(document, 0, 3, "source", rule="r1", confidence=0.8)
    undone = project.add_annotation(document, 30, 50, "claim", rule="r1", confidence=0.8)
    project.delete_annotation(undone)
    project.reject_suggestion(document, Suggestion("fact", 21, 28, "Oct. 23", 0.6, "r2"))
    # Accepted, undone, accepted again: one proposal, kept.
    again = project.add_annotation(document, 4, 7, "source", rule="r2")
    project.delete_annotation(again)
    project.restore_annotation(again)
    assert project.suggestion_outcomes() == [
        RuleOutcome("r1", decided=2, accepted=2, kept=1, rejected=0),
        RuleOutcome("r2", decided=2, accepted=1, kept=1, rejected=1),
    ]
    assert project.suggestion_outcomes()[0].kept_rate == 0.5
    assert project.suggestion_outcomes(annotator="bob") == []
    assert kept


def test_origins_survive_reopening(project_path: Path) -> None:
    with new_project(project_path, "alice") as project:
        document = project.add_document(ARTICLE, "talks")
        project.add_annotation(document, 0, 3, "source", rule="r1", confidence=0.8)
    with new_project(project_path, "bob") as project:
        [origin] = project.suggestion_origins()
        assert (origin.rule, origin.annotator, origin.kept) == ("r1", "alice", True)


def test_a_refused_write_stops_applying_and_reports_what_was_added(
    project: Project, document: str
) -> None:
    project.remove_relation_type("attributed_to")
    result = project.suggest(document)
    applied = apply_suggestions(project, document, result, project.add_relation)
    assert applied.failure is not None and "attributed_to" in applied.failure
    assert len(applied.added) == len(result.annotations) and not applied.links_added
    assert len(project.annotations(document_id=document)) == len(result.annotations)
