"""Renaming, deleting and restoring documents: tombstones hidden everywhere, restored with
the same ids, carried by bundles and project files (the newer edit wins)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator import AnnotatorError, Changes, Project
from tests.core.review_support import OTHER, TEXT, database_hash, open_at


@pytest.fixture
def alice(tmp_path: Path) -> Iterator[Project]:
    with open_at(tmp_path / "alice.db", "alice") as project:
        yield project


def _annotated(project: Project) -> tuple[str, str, list[str], str]:
    """A document with two annotations and a relation, and another document."""
    doc = project.add_document(TEXT, "Growth")
    other = project.add_document(OTHER, "Bridge")
    first = project.add_annotation(doc, 0, 3, "claim")
    second = project.add_annotation(doc, 4, 12, "source")
    relation = project.add_relation(first, second, "attributed_to")
    project.add_annotation(other, 0, 3, "fact")
    return doc, other, [first, second], relation


def test_rename_changes_the_title_and_says_so(alice: Project) -> None:
    doc = alice.add_document(TEXT, "Growth")
    seen: list[Changes] = []
    alice.subscribe(seen.append)
    mark = alice.last_change()
    assert alice.rename_document(doc, "  Growth,\n revised ") == "Growth"
    assert alice.document(doc).title == "Growth, revised"
    assert [d.title for d in alice.documents()] == ["Growth, revised"]
    assert seen[-1].documents_updated == {doc}
    assert alice.changes_since(mark, include_own=True).documents_updated == {doc}


@pytest.mark.parametrize(("title", "message"), [
    ("", "must not be empty"), (" \n\t", "must not be empty"), ("x" * 1001, "longer than 1000"),
])
def test_bad_titles_are_refused(alice: Project, title: str, message: str) -> None:
    doc = alice.add_document(TEXT, "Growth")
    with pytest.raises(AnnotatorError, match=message):
        alice.rename_document(doc, title)
    assert alice.document(doc).title == "Growth"


def test_unknown_ids_are_refused(alice: Project) -> None:
    for write in (alice.delete_document, alice.restore_document,
                  lambda d: alice.rename_document(d, "T")):
        with pytest.raises(AnnotatorError, match="no document with id"):
            write("6f1c1a8e-4a43-4c1e-9a55-0d3c9f6f2a10")


def test_delete_hides_the_document_everywhere(alice: Project, tmp_path: Path) -> None:
    doc, other, _annotations, _relation = _annotated(alice)
    alice.set_user("bob")
    alice.add_annotation(doc, 0, 3, "claim")
    alice.set_user("alice")
    seen: list[Changes] = []
    alice.subscribe(seen.append)

    removed = alice.delete_document(doc)

    assert (removed.id, removed.title, removed.annotations) == (doc, "Growth", 3)
    assert seen[-1].documents_removed == {doc}
    assert [d.id for d in alice.documents()] == [other]
    assert [d.id for d in alice.documents(deleted=True)] == [doc]
    assert {a.document_id for a in alice.annotations()} == {other}
    assert alice.relations() == []
    assert alice.check() == []
    with pytest.raises(AnnotatorError, match="was deleted"):
        alice.annotations(doc)
    with pytest.raises(AnnotatorError, match="was deleted"):
        alice.add_annotation(doc, 0, 3, "claim")
    with pytest.raises(AnnotatorError, match="was deleted"):
        alice.find_document("Growth")
    assert alice.find_document("Growth", deleted=True).id == doc
    with pytest.raises(AnnotatorError, match="already deleted"):
        alice.delete_document(doc)
    # Exports and agreement leave it out (alice and bob annotated only the deleted one).
    out = tmp_path / "out.jsonl"
    alice.export("jsonl", out)
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["title"] for e in exported] == ["Bridge"]
    with pytest.raises(AnnotatorError):
        alice.agreement(users=["alice", "bob"])
    with pytest.raises(AnnotatorError, match="already in the project as 'Growth' \\(deleted"):
        alice.add_document(TEXT, "Again")


def test_restore_brings_back_the_same_ids(alice: Project) -> None:
    doc, _other, annotations, relation = _annotated(alice)
    before = (alice.annotations(doc), alice.relations(doc))
    alice.delete_document(doc)
    seen: list[Changes] = []
    alice.subscribe(seen.append)
    restored = alice.restore_document(doc)
    assert (restored.id, restored.annotations) == (doc, 2)
    assert seen[-1].documents_added == {doc}
    assert (alice.annotations(doc), alice.relations(doc)) == before
    assert [a.id for a in alice.annotations(doc)] == annotations
    assert [r.id for r in alice.relations(doc)] == [relation]
    with pytest.raises(AnnotatorError, match="is not deleted"):
        alice.restore_document(doc)


def test_a_deleted_document_can_not_be_renamed(alice: Project) -> None:
    doc = alice.add_document(TEXT, "Growth")
    alice.delete_document(doc)
    with pytest.raises(AnnotatorError, match="was deleted"):
        alice.rename_document(doc, "New")


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Project, Project, str]]:
    """alice and bob share a document (bob merged alice's bundle)."""
    alice = open_at(tmp_path / "alice.db", "alice")
    bob = open_at(tmp_path / "bob.db", "bob")
    doc = alice.add_document(TEXT, "Growth")
    alice.add_annotation(doc, 0, 3, "claim")
    alice.bundle(tmp_path / "first.zip")
    bob.merge(tmp_path / "first.zip")
    yield alice, bob, doc
    alice.close()
    bob.close()


def test_deletion_and_rename_travel_and_merge_twice_changes_nothing(
    tmp_path: Path, pair: tuple[Project, Project, str]
) -> None:
    alice, bob, doc = pair
    alice.rename_document(doc, "Growth (final)")
    alice.delete_document(doc)
    alice.bundle(tmp_path / "deleted.zip")
    seen: list[Changes] = []
    bob.subscribe(seen.append)
    report = bob.merge(tmp_path / "deleted.zip")
    assert (report.documents_renamed, report.documents_deleted) == (1, 1)
    assert "documents deleted: 1" in report.lines()
    assert bob.documents() == []
    assert bob.documents(deleted=True)[0].title == "Growth (final)"
    assert seen[-1].documents_removed == {doc}
    before = database_hash(tmp_path / "bob.db")
    again = bob.merge(tmp_path / "deleted.zip")
    assert (again.documents_renamed, again.documents_deleted, again.documents_restored) == (0,) * 3
    assert database_hash(tmp_path / "bob.db") == before


def test_an_older_bundle_never_brings_a_deleted_document_back(
    tmp_path: Path, pair: tuple[Project, Project, str]
) -> None:
    alice, bob, doc = pair
    bob.add_annotation(doc, 4, 12, "fact")
    bob.bundle(tmp_path / "bob-old.zip")  # written before alice's deletion arrives
    alice.delete_document(doc)
    alice.bundle(tmp_path / "deleted.zip")
    bob.merge(tmp_path / "deleted.zip")
    alice.merge(tmp_path / "bob-old.zip")
    assert alice.documents() == [] and bob.documents() == []
    # the annotation bob made meanwhile arrived, hidden with its document
    alice.restore_document(doc)
    assert {a.annotator for a in alice.annotations(doc)} == {"alice", "bob"}


def test_a_newer_restore_travels_back(
    tmp_path: Path, pair: tuple[Project, Project, str]
) -> None:
    alice, bob, doc = pair
    alice.delete_document(doc)
    alice.bundle(tmp_path / "deleted.zip")
    bob.merge(tmp_path / "deleted.zip")
    bob.restore_document(doc)
    bob.rename_document(doc, "Growth (kept)")
    bob.bundle(tmp_path / "restored.zip")
    report = alice.merge(tmp_path / "restored.zip")
    assert (report.documents_restored, report.documents_renamed) == (1, 1)
    assert [(d.id, d.title) for d in alice.documents()] == [(doc, "Growth (kept)")]
    assert len(alice.annotations(doc)) == 1
    # and alice's older deletion, merged again into bob, changes nothing
    alice_old = tmp_path / "deleted.zip"
    bob.merge(alice_old)
    assert [d.title for d in bob.documents()] == ["Growth (kept)"]


def test_unedited_titles_never_overwrite_each_other(tmp_path: Path) -> None:
    with open_at(tmp_path / "a.db", "alice") as alice, open_at(tmp_path / "b.db", "bob") as bob:
        alice.add_document(TEXT, "Alice's title")
        bob.add_document(TEXT, "Bob's title")
        bob.bundle(tmp_path / "bob.zip")
        report = alice.merge(tmp_path / "bob.zip")
        assert report.documents_renamed == 0
        assert [d.title for d in alice.documents()] == ["Alice's title"]


def test_a_deleted_document_new_here_arrives_deleted(tmp_path: Path) -> None:
    with open_at(tmp_path / "a.db", "alice") as alice, open_at(tmp_path / "c.db", "carol") as carol:
        doc = alice.add_document(TEXT, "Growth")
        alice.add_annotation(doc, 0, 3, "claim")
        alice.delete_document(doc)
        alice.bundle(tmp_path / "alice.zip")
        carol.merge(tmp_path / "alice.zip")
        assert carol.documents() == [] and carol.annotations() == []
        carol.restore_document(doc)
        assert len(carol.annotations(doc)) == 1


def test_project_files_carry_deletions(tmp_path: Path, pair: tuple[Project, Project, str]) -> None:
    alice, bob, doc = pair
    alice.delete_document(doc)
    alice.close()
    report = bob.merge(tmp_path / "alice.db")
    assert report.documents_deleted == 1 and bob.documents() == []


def test_project_files_from_before_document_edits_merge(
    tmp_path: Path, pair: tuple[Project, Project, str]
) -> None:
    alice, bob, doc = pair
    bob.delete_document(doc)
    alice.close()
    old = tmp_path / "alice.db"
    with sqlite3.connect(old) as connection:
        connection.execute("ALTER TABLE documents DROP COLUMN deleted")
        connection.execute("ALTER TABLE documents DROP COLUMN updated")
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    connection.close()
    report = bob.merge(old)
    assert report.documents_restored == 0 and bob.documents() == []


def test_a_restored_backup_is_followed_as_a_reset(tmp_path: Path) -> None:
    """The log of a restored backup is not a continuation of the one followed: a window
    must reload everything, not apply a partial diff (nor see nothing at all)."""
    path = tmp_path / "shared.db"
    with open_at(path, "alice") as alice, open_at(path, "bob") as bob:
        doc = alice.add_document(TEXT, "Growth")
        backup = alice.back_up()
        follower = bob.follow()
        try:
            alice.add_annotation(doc, 0, 3, "claim")
            alice.delete_document(doc)
            seen = follower.poll()
            assert seen is not None and not seen.reset and seen.documents_removed == {doc}
            alice.restore_backup(backup.name)
            replaced = follower.poll()
            assert replaced is not None and replaced.reset
            assert [d.id for d in bob.documents()] == [doc] and bob.annotations() == []
            # and it goes on following the restored log
            alice.rename_document(doc, "Growth again")
            after = follower.poll()
            assert after is not None and not after.reset and after.documents_updated == {doc}
        finally:
            follower.close()


def test_importing_annotations_into_a_deleted_document_is_refused(
    alice: Project, tmp_path: Path
) -> None:
    doc = alice.add_document(TEXT, "Growth")
    alice.add_annotation(doc, 0, 3, "claim")
    out = tmp_path / "growth.jsonl"
    alice.export("jsonl", out)
    alice.delete_document(doc)
    with pytest.raises(AnnotatorError, match="'Growth' was deleted; restore it"):
        alice.import_annotations(out, "jsonl")
    assert alice.documents() == []


def test_an_edit_older_than_our_copy_still_converges(tmp_path: Path) -> None:
    """carol renamed the text twice before alice imported it: alice takes the newer title
    and an older bundle of carol's does not bring the older one back."""
    with open_at(tmp_path / "c.db", "carol") as carol, open_at(tmp_path / "a.db", "alice") as alice:
        doc = carol.add_document(TEXT, "C")
        carol.rename_document(doc, "C1")
        carol.bundle(tmp_path / "carol1.zip")
        carol.rename_document(doc, "C2")
        carol.bundle(tmp_path / "carol2.zip")
        alice.add_document(TEXT, "A")
        assert alice.merge(tmp_path / "carol2.zip").documents_renamed == 1
        assert alice.merge(tmp_path / "carol1.zip").documents_renamed == 0
        assert [d.title for d in alice.documents()] == ["C2"]
