"""Merging a colleague's bundle or project file: counts, idempotence, conflicts, tombstones."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from tests.core.review_support import OTHER, TEXT, content, database_hash, open_at

Pair = tuple[Project, Project, str, str]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    """alice and bob, each with their own project holding the same article."""
    alice = open_at(tmp_path / "alice.db", "alice")
    bob = open_at(tmp_path / "bob.db", "bob")
    doc_a = alice.add_document(TEXT, "Growth")
    doc_b = bob.add_document(TEXT, "Growth (bob's copy)")
    yield alice, bob, doc_a, doc_b
    alice.close()
    bob.close()


def test_bundle_into_empty_project_brings_everything(tmp_path: Path, pair: Pair) -> None:
    alice, _bob, doc_a, _ = pair
    alice.add_label("quote", color="#123456", key="q", description="a quotation")
    first = alice.add_annotation(doc_a, 4, 12, "claim", note="check")
    alice.add_annotation(doc_a, 13, 17, "quote")
    alice.add_document(OTHER, "Bridge")
    alice.set_status(doc_a, "done")
    alice.review_annotation(first, "comment", "looks right")
    out = tmp_path / "alice.zip"
    summary = alice.bundle(out)
    assert (summary.documents, summary.annotations, summary.reviews) == (2, 2, 1)

    with open_at(tmp_path / "carol.db", "carol") as carol:
        report = carol.merge(out)
        assert report.kind == "bundle"
        assert (report.documents_added, report.annotations_added, report.reviews_added) == (2, 2, 1)
        assert report.labels_added == ("quote",)
        assert report.statuses_updated == 1
        quote = next(label for label in carol.labels() if label.name == "quote")
        assert (quote.color, quote.key, quote.description) == ("#123456", "q", "a quotation")
        assert content(carol) == content(alice)
        assert carol.status(doc_a, "alice") == "done"
        assert [r.comment for r in carol.reviews(first)] == ["looks right"]
        assert carol.annotation(first).note == "check"
        assert carol.check() == []


def test_merge_twice_changes_nothing(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, doc_b = pair
    alice.add_annotation(doc_a, 0, 3, "claim")
    bob.add_annotation(doc_b, 4, 12, "fact")
    bob.set_status(doc_b, "done")
    bundle = tmp_path / "bob.zip"
    bob.bundle(bundle)
    first = alice.merge(bundle)
    assert first.annotations_added == 1 and first.documents_matched == 1
    before = database_hash(tmp_path / "alice.db")
    again = alice.merge(bundle)
    assert (again.annotations_added, again.annotations_updated, again.annotations_conflicting,
            again.reviews_added, again.statuses_updated, again.documents_added) == (0,) * 6
    assert again.annotations_unchanged == 1
    assert database_hash(tmp_path / "alice.db") == before


def test_edited_on_both_sides_newer_wins_older_in_history(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, _ = pair
    shared = alice.add_annotation(doc_a, 4, 12, "claim")
    alice.bundle(tmp_path / "a0.zip")
    bob.merge(tmp_path / "a0.zip")
    alice.update_annotation(shared, label="fact")        # older edit
    bob.update_annotation(shared, start=0, note="bob", as_reviewer=True)  # newer edit
    alice.bundle(tmp_path / "a1.zip")
    bob.bundle(tmp_path / "b1.zip")

    into_alice = alice.merge(tmp_path / "b1.zip")
    assert into_alice.annotations_updated == 1 and into_alice.annotations_conflicting == 0
    into_bob = bob.merge(tmp_path / "a1.zip")
    assert into_bob.annotations_conflicting == 1 and into_bob.annotations_updated == 0
    for project in (alice, bob):
        winner = project.annotation(shared)
        assert (winner.start, winner.end, winner.label, winner.note) == (0, 12, "claim", "bob")
        assert ("fact", 4) in _history(project, shared)
    # Both sides converge, and exchanging again changes nothing on either.
    assert content(alice) == content(bob)
    again = alice.merge(tmp_path / "b1.zip")
    assert again.annotations_unchanged == 1 and again.history_added == 0
    again = bob.merge(tmp_path / "a1.zip")
    assert again.annotations_unchanged == 1 and again.history_added == 0


def _history(project: Project, annotation_id: str) -> set[tuple[str, int]]:
    from sqlalchemy import select

    from annotator.models import AnnotationVersion

    with project._reading() as session:
        rows = session.execute(
            select(AnnotationVersion.label, AnnotationVersion.start)
            .where(AnnotationVersion.annotation_id == annotation_id)
        )
        return {(label, start) for label, start in rows}


def test_deletions_travel_as_tombstones(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, doc_b = pair
    gone = alice.add_annotation(doc_a, 4, 12, "claim")
    kept = alice.add_annotation(doc_a, 13, 17, "fact")
    alice.bundle(tmp_path / "a0.zip")
    bob.merge(tmp_path / "a0.zip")
    assert {a.id for a in bob.annotations(doc_b)} == {gone, kept}
    alice.delete_annotation(gone)
    alice.bundle(tmp_path / "a1.zip")
    report = bob.merge(tmp_path / "a1.zip")
    assert report.deletions == 1 and report.annotations_updated == 1
    assert {a.id for a in bob.annotations(doc_b)} == {kept}
    assert bob.annotation(gone).deleted
    # A tombstone also arrives where the annotation never was, so it cannot come back later.
    with open_at(tmp_path / "carol.db", "carol") as carol:
        carol.merge(tmp_path / "a1.zip")
        assert carol.annotation(gone).deleted
        carol.merge(tmp_path / "a0.zip")  # the older live version loses to the tombstone
        assert carol.annotation(gone).deleted


def test_reviews_and_statuses_travel(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, doc_b = pair
    mine = alice.add_annotation(doc_a, 4, 12, "claim")
    alice.bundle(tmp_path / "a.zip")
    bob.merge(tmp_path / "a.zip")
    review = bob.accept(mine, "agreed")
    bob.set_status(doc_b, "done")
    bob.bundle(tmp_path / "b.zip", users=["bob"])
    report = alice.merge(tmp_path / "b.zip")
    assert report.reviews_added == 1 and report.statuses_updated == 1
    assert [r.id for r in alice.reviews(mine)] == [review.id]
    assert alice.review_statuses()[mine] == "accepted"
    assert alice.status(doc_a, "bob") == "done"
    assert alice.merge(tmp_path / "b.zip").reviews_added == 0
    assert len(alice.reviews(mine)) == 1


def test_status_newer_wins(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, doc_b = pair
    alice.set_status(doc_a, "done")
    alice.bundle(tmp_path / "a0.zip")
    bob.merge(tmp_path / "a0.zip")
    alice.set_status(doc_a, "in_progress")
    alice.bundle(tmp_path / "a1.zip")
    bob.merge(tmp_path / "a1.zip")
    assert bob.status(doc_b, "alice") == "in_progress"
    assert bob.merge(tmp_path / "a0.zip").statuses_updated == 0
    assert bob.status(doc_b, "alice") == "in_progress"


def test_label_key_kept_only_if_free(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, _ = pair
    alice.add_label("quote", color="#ABCDEF", key="4")
    bob.add_label("opinion", key="4")
    alice.add_annotation(doc_a, 0, 3, "quote")
    alice.bundle(tmp_path / "a.zip")
    report = bob.merge(tmp_path / "a.zip")
    assert report.labels_added == ("quote",)
    quote = next(label for label in bob.labels() if label.name == "quote")
    assert (quote.color, quote.key) == ("#ABCDEF", None)


def test_merge_from_project_file_leaves_it_untouched(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, doc_b = pair
    alice.add_annotation(doc_a, 4, 12, "claim")
    theirs = bob.add_annotation(doc_b, 13, 17, "fact")
    bob.accept(theirs, "own work is fine")  # reviewing oneself is allowed by the core
    bob.close()
    source = tmp_path / "bob.db"
    before_bytes = source.read_bytes()
    before_files = sorted(os.listdir(tmp_path))
    report = alice.merge(source)
    assert report.kind == "project"
    assert report.annotations_added == 1 and report.reviews_added == 1
    assert source.read_bytes() == before_bytes
    # Only the merging project's own backup folder appears (alice's project is there too).
    assert sorted(os.listdir(tmp_path)) == sorted({*before_files, "alice.db.backups"})
    assert alice.annotation(theirs).annotator == "bob"


def test_merge_from_open_project_file_with_wal(tmp_path: Path, pair: Pair) -> None:
    alice, bob, _doc_a, doc_b = pair
    theirs = bob.add_annotation(doc_b, 13, 17, "fact")
    source = tmp_path / "bob.db"
    # Keep a connection open so the write-ahead log stays beside the file, as while the
    # colleague's application is running.
    holder = sqlite3.connect(source)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT count(*) FROM annotations").fetchall()
    try:
        hashes = {p.name: p.read_bytes() for p in tmp_path.iterdir()
                  if p.name.startswith("bob") and p.is_file()}
        report = alice.merge(source)
        assert report.annotations_added == 1
        assert alice.annotation(theirs).start == 13
        after = {p.name: p.read_bytes() for p in tmp_path.iterdir()
                 if p.name.startswith("bob") and p.is_file()}
        assert after == hashes
    finally:
        holder.close()


def test_newer_schema_source_is_refused(tmp_path: Path, pair: Pair) -> None:
    alice, bob, _, doc_b = pair
    bob.add_annotation(doc_b, 0, 3, "claim")
    bob.close()
    newer = tmp_path / "newer.db"
    shutil.copyfile(tmp_path / "bob.db", newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = database_hash(tmp_path / "alice.db")
    with pytest.raises(AnnotatorError, match="newer version"):
        alice.merge(newer)
    assert database_hash(tmp_path / "alice.db") == before


def test_not_a_source_is_refused(tmp_path: Path, pair: Pair) -> None:
    alice = pair[0]
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(AnnotatorError, match="neither a bundle"):
        alice.merge(junk)
    with pytest.raises(AnnotatorError, match="does not exist"):
        alice.merge(tmp_path / "missing.zip")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    with pytest.raises(AnnotatorError, match="not an Annotator project"):
        alice.merge(other)


def test_bundle_of_one_user_brings_reviewed_annotations(tmp_path: Path, pair: Pair) -> None:
    alice, bob, doc_a, _ = pair
    mine = alice.add_annotation(doc_a, 4, 12, "claim")
    alice.bundle(tmp_path / "a.zip")
    bob.merge(tmp_path / "a.zip")
    bob.reject(mine, "not a claim")
    bob.bundle(tmp_path / "b.zip", users=["bob"])
    with open_at(tmp_path / "carol.db", "carol") as carol:
        report = carol.merge(tmp_path / "b.zip")
        assert report.reviews_added == 1
        assert carol.review_statuses()[mine] == "rejected"
    with pytest.raises(AnnotatorError, match="no annotator named 'zed'"):
        bob.bundle(tmp_path / "z.zip", users=["zed"])
