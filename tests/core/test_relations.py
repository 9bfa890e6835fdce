"""Relations (who said it): links between annotations, their types, and the cascade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator import AnnotatorError, Project
from annotator.changes import Changes
from tests.core.review_support import OTHER, TEXT, open_at

# TEXT: "The minister said growth was 3 percent last year. Critics disagree strongly. ..."
SOURCE = (0, 12)    # "The minister"
CLAIM = (18, 48)    # "growth was 3 percent last year"
FACT = (100, 127)   # "inflation fell to 2 percent"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Project, str, dict[str, str]]]:
    project = open_at(tmp_path / "p.db", "alice")
    document = project.add_document(TEXT, "News")
    ids = {
        "source": project.add_annotation(document, *SOURCE, "source"),
        "claim": project.add_annotation(document, *CLAIM, "claim"),
        "fact": project.add_annotation(document, *FACT, "fact"),
    }
    yield project, document, ids
    project.close()


def published(project: Project) -> list[Changes]:
    seen: list[Changes] = []
    project.subscribe(seen.append)
    return seen


def test_new_project_has_the_default_relation_types(project: Project) -> None:
    assert [(t.name, t.from_labels, t.to_labels) for t in project.relation_types()] == [
        ("attributed_to", ("claim",), ("source",)),
        ("supports", ("fact",), ("claim",)),
        ("contradicts", ("fact",), ("claim",)),
    ]


def test_add_list_and_delete_a_relation(setup: tuple[Project, str, dict[str, str]]) -> None:
    project, document, ids = setup
    seen = published(project)
    relation_id = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    [record] = project.relations(document_id=document)
    assert (record.id, record.type, record.from_id, record.to_id, record.annotator) == (
        relation_id, "attributed_to", ids["claim"], ids["source"], "alice")
    assert record.created.tzinfo is not None and record.document_id == document
    assert project.relations(annotator="bob") == []
    [added] = seen
    assert added.relations_added == {relation_id}
    assert added.relation_documents == {relation_id: document}
    assert added.touches_document(document)
    snapshot = project.delete_relation(relation_id)
    assert snapshot.id == relation_id and not snapshot.deleted
    assert project.relations() == []
    assert seen[-1].relations_removed == {relation_id}
    assert project.restore_relation(snapshot).id == relation_id
    assert [r.id for r in project.relations()] == [relation_id]


def test_relations_are_logged_for_other_windows(
    setup: tuple[Project, str, dict[str, str]], tmp_path: Path
) -> None:
    project, document, ids = setup
    other = open_at(tmp_path / "p.db", "alice")
    try:
        before = other.last_change()
        relation_id = project.add_relation(ids["fact"], ids["claim"], "supports")
        changes = other.changes_since(before)
        assert changes.relations_added == {relation_id}
        assert changes.relation_documents[relation_id] == document
        project.add_relation_type("quotes", ["source"], ["claim"])
        assert other.changes_since(changes.seq).relation_types == {"quotes"}
    finally:
        other.close()


@pytest.mark.parametrize(
    ("ends", "kind", "message"),
    [
        (("source", "claim"), "attributed_to", "attributed_to links claim to source; the from"),
        (("claim", "fact"), "supports", "the from annotation .* is a 'claim'"),
        (("claim", "claim"), "attributed_to", "cannot link an annotation to itself"),
        (("claim", "source"), "said_by", "no relation type named 'said_by'"),
    ],
)
def test_refusals_write_nothing(
    setup: tuple[Project, str, dict[str, str]], ends: tuple[str, str], kind: str, message: str
) -> None:
    project, _, ids = setup
    seen = published(project)
    before = project.last_change()
    with pytest.raises(AnnotatorError, match=message):
        project.add_relation(ids[ends[0]], ids[ends[1]], kind)
    assert project.relations() == [] and seen == [] and project.last_change() == before


def test_links_across_documents_are_refused(setup: tuple[Project, str, dict[str, str]]) -> None:
    project, _, ids = setup
    second = project.add_document(OTHER, "Bridge")
    elsewhere = project.add_annotation(second, 2, 8, "source")
    with pytest.raises(AnnotatorError, match="same document"):
        project.add_relation(ids["claim"], elsewhere, "attributed_to")
    with pytest.raises(AnnotatorError, match="no annotation with id"):
        project.add_relation(ids["claim"], "nope", "attributed_to")


def test_an_identical_relation_is_refused_but_a_colleague_may_add_theirs(
    setup: tuple[Project, str, dict[str, str]]
) -> None:
    project, _, ids = setup
    first = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    with pytest.raises(AnnotatorError, match=f"identical relation already exists \\({first}\\)"):
        project.add_relation(ids["claim"], ids["source"], "attributed_to")
    project.set_user("bob")
    second = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    assert {r.annotator for r in project.relations()} == {"alice", "bob"}
    # Only its owner deletes a relation, unless as a reviewer.
    with pytest.raises(AnnotatorError, match="belongs to alice"):
        project.delete_relation(first)
    project.delete_relation(first, as_reviewer=True)
    assert [r.id for r in project.relations()] == [second]


def test_deleting_an_annotation_takes_its_relations_and_restoring_brings_them_back(
    setup: tuple[Project, str, dict[str, str]]
) -> None:
    project, _, ids = setup
    attributed = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    supports = project.add_relation(ids["fact"], ids["claim"], "supports")
    contradicts = project.add_relation(ids["fact"], ids["claim"], "contradicts")
    # Deleted on its own before: the annotation's restore must not bring it back.
    project.delete_relation(contradicts)
    seen = published(project)
    snapshot = project.delete_annotation(ids["claim"])
    [deleted] = seen
    assert deleted.annotations_removed == {ids["claim"]}
    assert deleted.relations_removed == {attributed, supports}
    assert project.relations() == []
    assert project.relation(attributed).deleted
    project.restore_annotation(snapshot)
    assert seen[-1].relations_added == {attributed, supports}
    assert sorted(r.id for r in project.relations()) == sorted([attributed, supports])


def test_restore_waits_for_both_ends_whatever_the_order(
    setup: tuple[Project, str, dict[str, str]]
) -> None:
    project, _, ids = setup
    relation_id = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    claim = project.delete_annotation(ids["claim"])
    source = project.delete_annotation(ids["source"])
    project.restore_annotation(claim)   # not undo order: the source is still deleted
    assert project.relations() == []
    project.restore_annotation(source)
    assert [r.id for r in project.relations()] == [relation_id]


def test_forced_label_removal_takes_relations(setup: tuple[Project, str, dict[str, str]]) -> None:
    project, _, ids = setup
    relation_id = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    seen = published(project)
    assert project.remove_label("source", force=True) == 1
    assert seen[-1].relations_removed == {relation_id}
    assert project.relations() == []


def test_relation_types_are_managed_like_labels(
    setup: tuple[Project, str, dict[str, str]]
) -> None:
    project, _, ids = setup
    kind = project.add_relation_type("quotes", ["claim"], ["source"], "Quoted verbatim.")
    assert (kind.name, kind.from_labels, kind.order) == ("quotes", ("claim",), 3)
    with pytest.raises(AnnotatorError, match="already exists"):
        project.add_relation_type("quotes")
    with pytest.raises(AnnotatorError, match="no label named 'opinion'"):
        project.add_relation_type("opines", ["opinion"])
    relation_id = project.add_relation(ids["claim"], ids["source"], "quotes")
    project.update_relation_type("quotes", new_name="cites")
    assert project.relation(relation_id).type == "cites"
    with pytest.raises(AnnotatorError, match="used by 1 relation"):
        project.remove_relation_type("cites")
    assert project.remove_relation_type("cites", force=True) == 1
    assert "cites" not in [t.name for t in project.relation_types()]
    assert project.relations() == []
    # A type with no labels connects any two annotations.
    project.add_relation_type("related")
    project.add_relation(ids["source"], ids["fact"], "related")


def test_renaming_a_label_carries_over_to_relation_types(
    setup: tuple[Project, str, dict[str, str]]
) -> None:
    project, _, ids = setup
    project.update_label("source", new_name="speaker")
    [attributed] = [t for t in project.relation_types() if t.name == "attributed_to"]
    assert attributed.to_labels == ("speaker",)
    project.add_relation(ids["claim"], ids["source"], "attributed_to")


def test_schema_check_lists_claims_without_a_source_and_misfits(
    setup: tuple[Project, str, dict[str, str]]
) -> None:
    project, document, ids = setup
    assert project.claims_without_source() == [(ids["claim"], document, *CLAIM, "claim")]
    relation_id = project.add_relation(ids["claim"], ids["source"], "attributed_to")
    assert project.claims_without_source() == []
    assert project.misfit_relations() == []
    project.update_annotation(ids["source"], label="fact")
    [misfit] = project.misfit_relations()
    assert relation_id in misfit and "'fact'" in misfit


def test_a_merged_deletion_hides_relations_to_it(
    setup: tuple[Project, str, dict[str, str]], tmp_path: Path
) -> None:
    """A colleague's relation to an annotation deleted elsewhere is not shown as live."""
    project, _, ids = setup
    project.add_relation(ids["claim"], ids["source"], "attributed_to")
    with project.engine.begin() as connection:
        connection.execute(text("UPDATE annotations SET deleted = 1 WHERE id = :i"),
                           {"i": ids["source"]})
    assert project.relations() == []
    assert project.claims_without_source() != []
