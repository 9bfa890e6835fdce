"""Gold layer, curation of disagreements, and the review workflow around them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.review_records import GOLD
from tests.core.review_support import TEXT, open_at


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[Project, str]]:
    """One project where alice and bob both annotated the same article."""
    with open_at(tmp_path / "team.db", "alice") as project:
        doc = project.add_document(TEXT, "Growth")
        yield project, doc


def _as(project: Project, user: str, doc: str, *spans: tuple[int, int, str]) -> list[str]:
    project.set_user(user)
    return [project.add_annotation(doc, s, e, label) for s, e, label in spans]


def test_copy_to_gold_is_idempotent(shared: tuple[Project, str]) -> None:
    project, doc = shared
    (first,) = _as(project, "bob", doc, (4, 12, "claim"))
    gold = project.copy_to_gold(first)
    assert project.copy_to_gold(first) == gold
    (twin,) = _as(project, "carol", doc, (4, 12, "claim"))
    assert project.copy_to_gold(twin) == gold
    record = project.annotation(gold)
    assert (record.annotator, record.start, record.end, record.label) == (GOLD, 4, 12, "claim")
    assert [a.id for a in project.gold_annotations(doc)] == [gold]
    assert project.copy_to_gold(gold) == gold


def test_disagreement_kinds(shared: tuple[Project, str]) -> None:
    project, doc = shared
    _as(project, "alice", doc, (0, 3, "source"), (4, 12, "claim"), (13, 17, "fact"),
        (50, 60, "claim"))
    _as(project, "bob", doc, (0, 3, "source"), (4, 12, "fact"), (13, 20, "fact"),
        (70, 75, "source"))
    found = project.disagreements(doc)
    assert [(d.start, d.end, d.kind) for d in found] == [
        (4, 12, "label"), (13, 20, "boundaries"), (50, 60, "missing"), (70, 75, "missing"),
    ]
    label = found[0]
    assert [a.label for a in label.versions["alice"]] == ["claim"]
    assert [a.label for a in label.versions["bob"]] == ["fact"]
    assert found[3].versions["alice"] == ()
    assert all(d.resolution is None for d in found)
    # An explicit user list decides who is compared: carol has nothing anywhere.
    assert all(d.kind == "missing" for d in project.disagreements(doc, ["alice", "carol"]))
    assert project.disagreement_counts() == {doc: 4}


def test_overlapping_chains_form_one_cluster(shared: tuple[Project, str]) -> None:
    project, doc = shared
    _as(project, "alice", doc, (0, 10, "claim"), (20, 30, "claim"))
    _as(project, "bob", doc, (5, 25, "claim"))
    (cluster,) = project.disagreements(doc)
    assert (cluster.start, cluster.end, cluster.kind) == (0, 30, "boundaries")
    assert len(cluster.annotations) == 3


def test_resolve_with_a_user_puts_their_version_in_gold(shared: tuple[Project, str]) -> None:
    project, doc = shared
    _as(project, "alice", doc, (4, 12, "claim"))
    _as(project, "bob", doc, (4, 12, "fact"))
    (d,) = project.disagreements(doc)
    ids = project.resolve_disagreement(d, user="bob")
    assert [(a.start, a.end, a.label) for a in project.gold_annotations(doc)] == [(4, 12, "fact")]
    assert [a.id for a in project.gold_annotations(doc)] == ids
    assert project.disagreements(doc) == []
    (again,) = project.disagreements(doc, include_resolved=True)
    assert again.resolution == "gold" and [g.id for g in again.gold] == ids
    # Changing one's mind replaces gold's span there instead of adding a second.
    project.resolve_disagreement(again, user="alice")
    assert [(a.start, a.label) for a in project.gold_annotations(doc)] == [(4, "claim")]


def test_resolve_with_edited_spans_or_chosen_annotations(shared: tuple[Project, str]) -> None:
    project, doc = shared
    (a1,) = _as(project, "alice", doc, (4, 12, "claim"))
    _as(project, "bob", doc, (0, 12, "claim"))
    (d,) = project.disagreements(doc)
    project.resolve_disagreement(d, spans=[(4, 11, "claim")])
    assert [(a.start, a.end) for a in project.gold_annotations(doc)] == [(4, 11)]
    project.resolve_disagreement(d, annotation_ids=[a1])
    assert [(a.start, a.end) for a in project.gold_annotations(doc)] == [(4, 12)]
    with pytest.raises(AnnotatorError, match="exactly one"):
        project.resolve_disagreement(d, user="alice", dismiss=True)
    with pytest.raises(AnnotatorError, match="outside the text"):
        project.resolve_disagreement(d, spans=[(4, 10_000, "claim")])
    with pytest.raises(AnnotatorError, match="not one of the compared"):
        project.resolve_disagreement(d, user="zed")


def test_dismissed_until_the_annotations_change(shared: tuple[Project, str]) -> None:
    project, doc = shared
    (mine,) = _as(project, "alice", doc, (4, 12, "claim"))
    _as(project, "bob", doc, (4, 12, "fact"))
    project.set_user("carol")
    (d,) = project.disagreements(doc)
    assert project.resolve_disagreement(d, dismiss=True) == []
    assert project.disagreements(doc) == []
    assert project.disagreements(doc, include_resolved=True)[0].resolution == "dismissed"
    assert project.gold_annotations(doc) == []
    assert project.review_statuses() == {}  # dismissals are not verdicts
    project.set_user("alice")
    project.update_annotation(mine, end=13)
    (changed,) = project.disagreements(doc)
    assert changed.kind == "boundaries" and changed.key != d.key


def test_picking_the_missing_side_dismisses(shared: tuple[Project, str]) -> None:
    project, doc = shared
    _as(project, "alice", doc, (4, 12, "claim"))
    project.set_user("bob")
    project.set_status(doc, "done")
    (d,) = project.disagreements(doc, ["alice", "bob"])
    assert d.kind == "missing"
    assert project.resolve_disagreement(d, user="bob") == []
    assert project.disagreements(doc, ["alice", "bob"]) == []


def test_dismissals_travel_in_bundles(tmp_path: Path, shared: tuple[Project, str]) -> None:
    project, doc = shared
    _as(project, "alice", doc, (4, 12, "claim"))
    _as(project, "bob", doc, (4, 12, "fact"))
    project.resolve_disagreement(project.disagreements(doc)[0], dismiss=True)
    project.bundle(tmp_path / "team.zip")
    with open_at(tmp_path / "copy.db", "dave") as copy:
        copy.merge(tmp_path / "team.zip")
        copy_doc = copy.documents()[0].id
        assert copy.disagreements(copy_doc) == []
        assert copy.disagreements(copy_doc, include_resolved=True)[0].resolution == "dismissed"


def test_accept_to_gold_and_review_queue(shared: tuple[Project, str]) -> None:
    project, doc = shared
    first, second, third = _as(project, "bob", doc, (4, 12, "claim"), (13, 17, "fact"),
                               (18, 30, "claim"))
    project.set_user("alice")
    assert [a.id for a in project.review_queue("bob")] == [first, second, third]
    review = project.accept(first, "fine", to_gold=True)
    assert (review.verdict, review.reviewer, review.comment) == ("accepted", "alice", "fine")
    assert [(a.start, a.annotator) for a in project.gold_annotations(doc)] == [(4, GOLD)]
    project.reject(second, "not a fact")
    project.review_annotation(third, "comment", "hmm")
    assert [a.id for a in project.review_queue("bob")] == [third]
    assert project.my_verdicts("bob") == {first: "accepted", second: "rejected",
                                          third: "commented"}
    summary = project.review_summary("bob")
    assert (summary.total, summary.accepted, summary.rejected, summary.commented,
            summary.not_reviewed) == (3, 1, 1, 1, 0)
    assert dict(summary.status) == {"pending": 1, "accepted": 1, "rejected": 1}
    with pytest.raises(AnnotatorError, match="is you"):
        project.review_summary("alice")
    with pytest.raises(AnnotatorError, match="no annotator named"):
        project.review_queue("zed")


def test_accept_all_matching(shared: tuple[Project, str]) -> None:
    project, doc = shared
    same, other_label, elsewhere, done_before = _as(
        project, "bob", doc, (4, 12, "claim"), (13, 17, "fact"), (50, 60, "claim"),
        (0, 3, "source"))
    _as(project, "alice", doc, (4, 12, "claim"), (13, 17, "claim"), (0, 3, "source"))
    project.reject(done_before, "no")
    report = project.accept_all_matching("bob", to_gold=True)
    assert (report.accepted, report.already_reviewed, report.unmatched,
            report.copied_to_gold) == (1, 1, 2, 1)
    assert project.review_statuses() == {same: "accepted", done_before: "rejected"}
    again = project.accept_all_matching("bob")
    assert (again.accepted, again.already_reviewed, again.unmatched) == (0, 2, 2)
    assert {other_label, elsewhere}.isdisjoint(project.review_statuses())
