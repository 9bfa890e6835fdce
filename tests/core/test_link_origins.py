"""Suggested links remember their rule like suggested annotations; rejections (links with
them) are logged so other open projects follow, and are not offered to their analyst again."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.suggest import apply_suggestions
from annotator.suggest.outcomes import ACCEPTED, LINK, REJECTED, RuleOutcome
from tests.project_files import new_project

ARTICLE = (
    "Kim met the envoy on Oct. 23. “The talks went well,” said Anna Berg. "
    "Kim left early. According to the embassy, the envoy stayed for two days."
)
TALKS, BERG, EMBASSY, ENVOY = (31, 50), (58, 67), (98, 109), (111, 140)


@pytest.fixture
def document(project: Project) -> str:
    return project.add_document(ARTICLE, "talks")


def _index(project: Project, document: str, span: tuple[int, int]) -> int:
    annotations = project.suggest(document).annotations
    return next(i for i, s in enumerate(annotations) if (s.start, s.end) == span)


def test_an_accepted_link_records_its_rule_confidence_and_relation(
    project: Project, document: str
) -> None:
    result = project.suggest(document)
    applied = apply_suggestions(project, document, result, project.add_relation)
    assert len(applied.links_added) == 2
    relations = {(r.from_id, r.to_id): r.id for r in project.relations(document)}
    origins = project.link_origins(document)
    assert len(origins) == 2
    for origin in origins:
        relation = next(r for r in result.relations if r.rule == origin.rule)
        claim, speaker = result.annotations[relation.source], result.annotations[relation.target]
        assert (origin.outcome, origin.type, origin.annotator, origin.kept) == (
            ACCEPTED, "attributed_to", "alice", True)
        assert origin.source == ("claim", claim.start, claim.end)
        assert origin.target == ("source", speaker.start, speaker.end)
        assert origin.confidence == min(claim.confidence, speaker.confidence)
        ids = dict(applied.added)
        assert origin.relation_id == relations[(ids[claim], ids[speaker])]
    # Taking a link back: it was accepted, not kept.
    taken_back = next(o for o in origins if o.rule == "according_to")
    assert taken_back.relation_id is not None
    project.delete_relation(taken_back.relation_id)
    assert project.link_outcomes() == [
        RuleOutcome("according_to", 1, 1, 0, 0, LINK),
        RuleOutcome("quote_then_speaker", 1, 1, 1, 0, LINK),
    ]
    assert project.link_outcomes(annotator="bob") == []


def test_a_link_typed_by_hand_has_no_origin(project: Project, document: str) -> None:
    claim = project.add_annotation(document, *TALKS, "claim")
    source = project.add_annotation(document, *BERG, "source")
    project.add_relation(claim, source, "attributed_to")
    assert project.link_origins() == []
    envoy = project.add_annotation(document, *ENVOY, "claim")
    embassy = project.add_annotation(document, *EMBASSY, "source")
    with pytest.raises(AnnotatorError, match="one line"):
        project.add_relation(envoy, embassy, "attributed_to", rule="bad\nrule")
    assert len(project.relations(document)) == 1  # the refused one was not written


def test_rejecting_a_proposal_rejects_its_links_and_hides_both(
    project: Project, document: str
) -> None:
    before = project.suggest(document)
    talks = _index(project, document, TALKS)
    ids = project.reject_suggestions(document, before, [talks])
    assert len(ids) == 2
    [no] = project.suggestion_origins(document)
    assert (no.outcome, no.label, (no.start, no.end)) == (REJECTED, "claim", TALKS)
    [link] = project.link_origins(document)
    assert (link.outcome, link.rule, link.relation_id, link.kept) == (
        REJECTED, "quote_then_speaker", None, False)
    assert (link.source, link.target) == (("claim", *TALKS), ("source", *BERG))
    # Not offered again; the speaker stays (other claims may need it), without the link.
    after = project.suggest(document)
    spans = {(s.start, s.end) for s in after.annotations}
    assert TALKS not in spans and BERG in spans
    assert [r.rule for r in after.relations] == ["according_to"]
    assert project.suggest(document, include_rejected=True) == before
    assert project.without_rejected(document, before) == after
    # Another analyst is still offered everything.
    project.set_user("bob")
    assert project.suggest(document) == before
    # Accepting it after all is the latest decision: offered again once deleted.
    project.set_user("alice")
    accepted = project.add_annotation(document, *TALKS, "claim", rule="quote_then_speaker")
    project.delete_annotation(accepted)
    assert TALKS in {(s.start, s.end) for s in project.suggest(document).annotations}


def test_a_bad_index_is_refused_and_nothing_is_written(project: Project, document: str) -> None:
    result = project.suggest(document)
    seq = project.last_change()
    with pytest.raises(AnnotatorError, match="no proposal numbered 9"):
        project.reject_suggestions(document, result, [0, 9])
    assert project.suggestion_origins() == [] and project.link_origins() == []
    assert project.last_change() == seq


def test_tag_all_occurrences_leaves_out_what_the_user_rejected(project: Project) -> None:
    document = project.add_document("Kim said it. Kim left. Kim stayed.", "kims")
    first = project.add_annotation(document, 0, 3, "source")
    proposals = project.tag_all_occurrences(first)
    assert [p.start for p in proposals] == [13, 23]
    from annotator.suggest import Suggestion, Suggestions

    rejected = Suggestions("", (Suggestion("source", 13, 16, "Kim", 1.0, "same_passage"),), ())
    project.reject_suggestions(document, rejected, [0])
    assert [p.start for p in project.tag_all_occurrences(first)] == [23]


def test_another_open_project_follows_a_rejection(project_path: Path, document: str,
                                                  project: Project) -> None:
    """Two windows on one file: the other's follower hears of the rejection."""
    with new_project(project_path, "alice") as other:
        follower = other.follow()
        try:
            talks = _index(project, document, TALKS)
            project.reject_suggestions(document, project.suggest(document), [talks])
            changes = follower.poll()
            assert changes is not None
            assert changes.suggestion_documents == {document}
            assert len(changes.suggestions) == 2
            # ... and, asked, leaves the proposal out there too.
            assert TALKS not in {(s.start, s.end) for s in other.suggest(document).annotations}
            # Accepting is logged the same way.
            result = other.suggest(document)
            apply_suggestions(other, document, result, other.add_relation)
            changes = project.changes_since(0)  # the other's writes only
            assert changes.suggestion_documents == {document}
            assert len(changes.suggestions) == len(result.annotations) + 1
            everything = project.changes_since(0, include_own=True)
            assert len(everything.suggestions) == 2 + len(result.annotations) + 1
        finally:
            follower.close()


def test_link_origins_survive_reopening(project_path: Path) -> None:
    with new_project(project_path, "alice") as project:
        document = project.add_document(ARTICLE, "talks")
        result = project.suggest(document)
        project.reject_suggestions(document, result, [_index(project, document, ENVOY)])
    with new_project(project_path, "alice") as project:
        [origin] = project.link_origins(annotator="alice")
        assert (origin.rule, origin.source, origin.target) == (
            "according_to", ("claim", *ENVOY), ("source", *EMBASSY))
