"""Agreement with the suggester: a virtual annotator named ``suggester`` who annotated every
compared document with what the rules propose, reported against each analyst."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.agreement.spans import DocumentSpans, Link, Span
from annotator.agreement.suggester import WithSuggester, suggester_layer
from annotator.suggest import apply_suggestions, suggest_text
from tests.project_files import new_project

ARTICLE = (
    "Kim met the envoy on Oct. 23. “The talks went well,” said Anna Berg. "
    "Kim left early. According to the embassy, the envoy stayed for two days."
)


def test_the_layer_is_the_proposals_spans_and_links() -> None:
    result = suggest_text(ARTICLE)
    spans, links = suggester_layer(result)
    assert spans == [Span(s.start, s.end, s.label) for s in result.annotations]
    claim = next(s for s in result.annotations if s.text == "The talks went well")
    speaker = next(s for s in result.annotations if s.text == "Anna Berg")
    assert Link((claim.start, claim.end), (speaker.start, speaker.end), "attributed_to") in links
    assert len(links) == len(result.relations)


def test_with_suggester_adds_one_user_to_every_document() -> None:
    documents = [DocumentSpans(ARTICLE, {"alice": [Span(0, 3, "source")]}),
                 DocumentSpans("Nothing to see.", {"alice": []})]
    joined = WithSuggester(documents, suggest_text, "suggester")
    assert len(joined) == 2
    first, second = list(joined)
    assert set(first.spans) == {"alice", "suggester"} and first.spans["alice"] == [
        Span(0, 3, "source")]
    assert first.spans["suggester"] and first.relations["suggester"]
    assert second.spans["suggester"] == []
    assert list(joined) == [first, second]  # iterable more than once


def test_agreement_reports_the_suggester_against_each_analyst(project: Project) -> None:
    document = project.add_document(ARTICLE, "talks")
    # alice takes every proposal; bob marks only one source.
    apply_suggestions(project, document, project.suggest(document), project.add_relation)
    project.set_user("bob")
    project.add_annotation(document, 58, 67, "source")
    report = project.agreement(all_docs=True, with_suggester=True)
    assert report.users == ("alice", "bob", "suggester")
    overall = report.to_json()["overall"]
    assert overall["f1_exact"]["alice|suggester"] == 1.0
    assert 0 < overall["f1_exact"]["bob|suggester"] < 1
    assert report.to_json()["relations"]["alice|suggester"]["f1_exact"] == 1.0
    # One analyst is enough with the suggester, not without it.
    alone = project.agreement(["bob"], all_docs=True, with_suggester=True)
    assert alone.users == ("bob", "suggester")
    with pytest.raises(AnnotatorError, match="at least two annotators"):
        project.agreement(["bob"], all_docs=True)


def test_an_annotator_named_suggester_is_refused(project: Project) -> None:
    document = project.add_document(ARTICLE, "talks")
    project.add_annotation(document, 0, 3, "source")
    project.set_user("suggester")
    project.add_annotation(document, 0, 3, "source")
    with pytest.raises(AnnotatorError, match="the name the suggester goes by"):
        project.agreement(all_docs=True, with_suggester=True)
    assert project.agreement(["alice"], all_docs=True, with_suggester=True).users == (
        "alice", "suggester")


def test_done_documents_are_those_the_analysts_finished(tmp_path: Path) -> None:
    with new_project(tmp_path / "p.db", "alice") as project:
        done = project.add_document(ARTICLE, "done")
        project.add_document("Open, said Kim.", "open")
        project.add_annotation(done, 0, 3, "source")
        project.set_status(done, "done")
        report = project.agreement(["alice"], with_suggester=True)
        assert report.documents == 1
