"""Agreement from the database: which documents, users and labels are compared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.agreement import DocumentSpans, Span, compute_agreement
from tests.core.review_support import OTHER, TEXT, open_at


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Project, str, str]]:
    with open_at(tmp_path / "team.db", "alice") as project:
        first = project.add_document(TEXT, "Growth")
        second = project.add_document(OTHER, "Bridge")
        for user, spans in (
            ("alice", [(first, 4, 12, "claim"), (first, 13, 17, "fact"), (second, 2, 8, "claim")]),
            ("bob", [(first, 4, 12, "claim"), (first, 20, 30, "source"), (second, 2, 9, "claim")]),
        ):
            project.set_user(user)
            for doc, start, end, label in spans:
                project.add_annotation(doc, start, end, label)
            project.set_status(first, "done")
        project.set_user("gold")
        project.add_annotation(first, 4, 12, "claim")
        project.set_user("alice")
        yield project, first, second


def test_only_documents_done_by_everyone(team: tuple[Project, str, str]) -> None:
    project, first, _second = team
    selection = project.agreement_selection()
    assert selection.users == ("alice", "bob")  # gold is never compared by default
    assert selection.document_ids == (first,)
    assert selection.labels == ("claim", "source", "fact")
    expected = compute_agreement(
        [DocumentSpans(TEXT, {
            "alice": [Span(4, 12, "claim"), Span(13, 17, "fact")],
            "bob": [Span(4, 12, "claim"), Span(20, 30, "source")],
        })],
        ["alice", "bob"], ["claim", "source", "fact"],
    )
    assert project.agreement().to_json() == expected.to_json()


def test_all_docs_and_filters(team: tuple[Project, str, str]) -> None:
    project, first, _second = team
    report = project.agreement(all_docs=True)
    assert report.documents == 2
    only_claims = project.agreement(labels=["claim"], documents=["2"], all_docs=True)
    assert only_claims.documents == 1
    assert [s.name for s in only_claims.labels] == ["claim"]
    assert only_claims.to_json()["labels"]["claim"]["f1_exact"] == {"alice|bob": 0.0}
    assert only_claims.to_json()["labels"]["claim"]["f1_overlap"] == {"alice|bob": 1.0}
    with_gold = project.agreement(users=["alice", "gold"], documents=[first], all_docs=True)
    assert with_gold.users == ("alice", "gold")


def test_all_docs_counts_only_who_annotated(team: tuple[Project, str, str]) -> None:
    project, _first, _second = team
    third = project.add_document("A third text that only alice read.", "Third")
    project.add_annotation(third, 0, 1, "claim")
    selection = project.agreement_selection(all_docs=True)
    assert [sorted(d.spans) for d in selection.documents] == [
        ["alice", "bob"], ["alice", "bob"], ["alice"],
    ]


def test_clear_errors(team: tuple[Project, str, str]) -> None:
    project, _first, second = team
    with pytest.raises(AnnotatorError, match="no document is marked done by all of alice, bob"):
        project.agreement(documents=[second])
    with pytest.raises(AnnotatorError, match="at least two annotators"):
        project.agreement(users=["alice"])
    with pytest.raises(AnnotatorError, match="no annotator named 'zed'"):
        project.agreement(users=["alice", "zed"])
    with pytest.raises(AnnotatorError, match="no label named 'opinion'"):
        project.agreement(labels=["opinion"])
    with pytest.raises(AnnotatorError, match="no document"):
        project.agreement(documents=["99"])
