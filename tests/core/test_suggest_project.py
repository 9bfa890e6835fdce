"""Suggestions through the project: suggest, apply once, the rule recorded, tag all occurrences."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator import AnnotatorError, Project
from annotator.models import ChangeLogEntry
from annotator.suggest import apply_suggestions

ARTICLE = (
    "Kim met the envoy on Oct. 23. “The talks went well,” said Anna Berg. "
    "Kim left early. According to the embassy, the envoy stayed for two days."
)


@pytest.fixture
def document(project: Project) -> str:
    return project.add_document(ARTICLE, "talks")


def test_suggest_reads_the_stored_text(project: Project, document: str) -> None:
    result = project.suggest(document)
    assert result.language == "en"
    assert {(a.label, a.text) for a in result.annotations} >= {
        ("claim", "The talks went well"), ("source", "Anna Berg"), ("fact", "Oct. 23"),
        ("source", "the embassy"), ("claim", "the envoy stayed for two days"),
    }
    assert len(result.relations) == 2
    assert project.annotations(document_id=document) == []  # reading writes nothing


def test_apply_adds_once_and_links_through_the_writer(project: Project, document: str) -> None:
    result = project.suggest(document)
    links: list[tuple[str, str, str]] = []

    def add_relation(source: str, target: str, kind: str, *, rule: str | None = None,
                     confidence: float | None = None) -> None:
        links.append((source, target, kind))

    first = apply_suggestions(project, document, result, add_relation)
    assert len(first.added) == len(result.annotations) and not first.existing
    stored = {(a.start, a.end, a.label): a.id for a in project.annotations(document_id=document)}
    assert len(stored) == len(result.annotations)
    assert len(links) == 2 and all(kind == "attributed_to" for *_, kind in links)
    for relation, (source, target, _) in zip(result.relations, links, strict=True):
        claim, speaker = result.annotations[relation.source], result.annotations[relation.target]
        assert stored[(claim.start, claim.end, "claim")] == source
        assert stored[(speaker.start, speaker.end, "source")] == target

    again = apply_suggestions(project, document, result, add_relation,
                              existing_relations=links)
    assert not again.added and len(again.existing) == len(result.annotations)
    assert again.links_existing == 2 and not again.links_added
    assert len(project.annotations(document_id=document)) == len(result.annotations)


def test_apply_without_relations_counts_the_links(project: Project, document: str) -> None:
    applied = apply_suggestions(project, document, project.suggest(document))
    assert applied.links_not_written == 2 and not applied.links_added


def test_a_colleagues_identical_tag_does_not_stop_mine(project: Project, document: str) -> None:
    result = project.suggest(document)
    project.set_user("bob")
    apply_suggestions(project, document, result)
    project.set_user("alice")
    applied = apply_suggestions(project, document, result)
    assert len(applied.added) == len(result.annotations)


def test_an_accepted_suggestion_remembers_its_rule(project: Project, document: str) -> None:
    result = project.suggest(document)
    apply_suggestions(project, document, result)
    with project.engine.connect() as connection:
        actions = set(connection.scalars(select(ChangeLogEntry.action)))
    assert {f"suggestion: {a.rule}" for a in result.annotations} <= actions
    assert "suggestion: quote_then_speaker" in actions


def test_tag_all_occurrences_in_the_document_and_the_project(
    project: Project, document: str
) -> None:
    other = project.add_document("Kim said nothing. Kimberley and Kim.", "other")
    kim = project.add_annotation(document, 0, 3, "source")
    here = project.tag_all_occurrences(kim)
    second = ARTICLE.index("Kim left")
    assert [(p.document_id, p.start, p.end, p.label) for p in here] == [
        (document, second, second + 3, "source")]
    everywhere = project.tag_all_occurrences(kim, whole_project=True)
    assert {(p.document_id, p.start) for p in everywhere} == {
        (document, second), (other, 0), (other, len("Kim said nothing. Kimberley and "))}
    project.add_annotation(document, second, second + 3, "source")
    assert project.tag_all_occurrences(kim) == []


def test_unknown_document_is_refused(project: Project) -> None:
    with pytest.raises(AnnotatorError):
        project.suggest("no-such-document")
