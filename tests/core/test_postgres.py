"""The same service API on a real PostgreSQL server (skipped when none answers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import annotator

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({exc})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_project_on_postgresql(postgres_url: str) -> None:
    with annotator.open_project(postgres_url, user="alice") as project:
        assert [lb.name for lb in project.labels()] == ["claim", "source", "fact"]
        text = "Emoji 😀 and CJK 中文 stay code points.\r\nSecond line."
        doc = project.add_document(text, "PG")
        start = text.index("😀")
        annotation_id = project.add_annotation(doc, start, start + 9, "claim", note="n")
        project.set_status(doc, "done")
        project.review_annotation(annotation_id, "accepted")
    with annotator.open_project(postgres_url, user="alice") as project:
        [record] = project.annotations()
        assert text[record.start : record.end] == "😀 and CJK"
        assert project.document(doc).text == text
        assert project.documents()[0].status == "done"
        assert project.review_statuses() == {annotation_id: "accepted"}
        with pytest.raises(annotator.AnnotatorError):
            project.add_annotation(doc, 0, len(text) + 1, "claim")
        snapshot = project.delete_annotation(annotation_id)
        assert project.restore_annotation(snapshot).id == annotation_id
        assert project.check() == []


def test_review_merge_gold_and_agreement_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    """The whole review workflow on PostgreSQL: a colleague's SQLite work merged in (from
    a bundle and from the project file), reviewed, adjudicated and compared."""
    text = "The minister said growth was 3 percent. Critics disagree. Inflation fell."
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        doc = bob.add_document(text, "Growth")
        bob_same = bob.add_annotation(doc, 0, 12, "source")
        bob_other = bob.add_annotation(doc, 18, 39, "claim", note="check")
        bob.set_status(doc, "done")
        bob.bundle(tmp_path / "bob.zip")
    with annotator.open_project(postgres_url, user="alice") as alice:
        first = alice.merge(tmp_path / "bob.zip")
        assert (first.documents_added, first.annotations_added) == (1, 2)
        # Idempotent, from the project file too.
        assert alice.merge(tmp_path / "bob.db").annotations_added == 0
        alice.add_annotation(doc, 0, 12, "source")
        alice.add_annotation(doc, 18, 39, "fact")
        alice.set_status(doc, "done")

        matched = alice.accept_all_matching("bob", to_gold=True)
        assert (matched.accepted, matched.unmatched, matched.copied_to_gold) == (1, 1, 1)
        alice.reject(bob_other, comment="a fact, not a claim")
        assert alice.review_statuses(doc) == {bob_same: "accepted", bob_other: "rejected"}
        assert alice.review_queue("bob") == []

        [open_one] = alice.disagreements(doc, ["alice", "bob"])
        assert open_one.kind == "label"
        alice.resolve_disagreement(open_one, user="alice")
        assert alice.disagreements(doc, ["alice", "bob"]) == []
        gold = {(a.start, a.end, a.label) for a in alice.gold_annotations(doc)}
        assert gold == {(0, 12, "source"), (18, 39, "fact")}

        report = alice.agreement(["alice", "bob"])
        assert report.documents == 1 and report.users == ("alice", "bob")
        alice.bundle(tmp_path / "alice.zip", users=["alice"])
        assert alice.check() == []
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        back = bob.merge(tmp_path / "alice.zip")
        assert back.annotations_added == 2 and back.reviews_added == 2
        assert bob.review_statuses(doc) == {bob_same: "accepted", bob_other: "rejected"}


def test_change_log_and_follower_on_postgresql(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes are logged in commit order; a follower is woken by NOTIFY, and one that
    missed notifications still catches up from the log (the log is the truth)."""
    import threading

    from annotator.service import follow

    with annotator.open_project(postgres_url, user="alice") as window, \
            annotator.open_project(postgres_url, user="bob") as colleague:
        doc = window.add_document("The mayor said the bridge is safe.", "PG")
        follower = window.follow()
        try:
            follower.poll()                         # the first look reads the log once
            assert follower.poll() is None          # nothing new, nothing notified
            first = colleague.add_annotation(doc, 4, 9, "source")
            changes = follower.poll(wait=10)        # woken by the notification
            assert changes is not None and changes.annotations_added == {first}
            assert follower.poll() is None
            ids: list[str] = []
            lock = threading.Lock()

            def write(user: str, offset: int) -> None:
                with annotator.open_project(postgres_url, user=user) as project:
                    for n in range(10):
                        made = project.add_annotation(doc, offset + n, offset + n + 1, "claim")
                        with lock:
                            ids.append(made)

            threads = [threading.Thread(target=write, args=(f"writer{i}", i * 11))
                       for i in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            # Whatever the notifications did, reading the log now catches up with all of it.
            monkeypatch.setattr(follow, "CATCH_UP_SECONDS", 0.0)
            changes = follower.poll()
            assert changes is not None and changes.annotations_added == set(ids)
            assert follower.poll() is None          # and nothing is reported twice
        finally:
            follower.close()
        # Sequence order is commit order: a reader from 0 sees every change exactly once.
        everything = window.changes_since(0, include_own=True)
        assert everything.annotations_added == set(ids) | {first}


def test_relations_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """Relations, their cascade and their merge on PostgreSQL, from a SQLite colleague."""
    text = "The mayor said the bridge is safe. Engineers found cracks."
    with annotator.open_project(tmp_path / "bob.db", user="bob") as bob:
        doc = bob.add_document(text, "Bridge")
        source = bob.add_annotation(doc, 0, 9, "source")
        claim = bob.add_annotation(doc, 15, 33, "claim")
        relation = bob.add_relation(claim, source, "attributed_to")
        bob.bundle(tmp_path / "bob.zip")
    with annotator.open_project(postgres_url, user="alice") as alice:
        assert [t.name for t in alice.relation_types()] == [
            "attributed_to", "supports", "contradicts"]
        report = alice.merge(tmp_path / "bob.zip")
        assert report.relations_added == 1
        assert alice.merge(tmp_path / "bob.zip").relations_unchanged == 1
        [record] = alice.relations(doc)
        assert (record.id, record.from_id, record.to_id) == (relation, claim, source)
        fact = alice.add_annotation(doc, 35, 57, "fact")
        supports = alice.add_relation(fact, claim, "supports")
        with pytest.raises(annotator.AnnotatorError, match="itself"):
            alice.add_relation(fact, fact, "supports")
        snapshot = alice.delete_annotation(claim, as_reviewer=True)
        assert alice.relations() == []
        alice.restore_annotation(snapshot, as_reviewer=True)
        assert {r.id for r in alice.relations()} == {relation, supports}
        assert alice.claims_without_source() == []
        pair = alice.agreement(all_docs=True).relations[0]
        assert (pair.key, pair.relations, pair.matched_overlap) == ("alice|bob", (1, 1), 0)


def test_batched_import_and_export_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """The import's Core inserts and the export's times (datetimes here, not SQLite's text)."""
    import json

    folder = tmp_path / "texts"
    folder.mkdir()
    for n in range(5):
        (folder / f"t{n}.txt").write_text(f"Text {n} with 😀 and 中文.", encoding="utf-8")
    (folder / "again.txt").write_text("Text 0 with 😀 and 中文.", encoding="utf-8")
    with annotator.open_project(postgres_url, user="alice") as project:
        report = project.import_paths([folder])
        assert (report.imported, report.skipped) == (5, 1)
        doc = report.document_ids[0]
        annotation_id = project.add_annotation(doc, 18, 20, "claim")
        project.export("jsonl", tmp_path / "out.jsonl")
        project.export("csv", tmp_path / "out.csv")
        assert project.check() == []
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    [span] = [s for line in lines for s in line["spans"]]
    assert span["id"] == annotation_id and span["text"] == "中文"
    assert len(span["created"]) == len("2024-05-01T12:00:00.000000Z") and span["created"][-1] == "Z"
    assert span["created"] in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")


def test_window_reads_on_postgresql(postgres_url: str) -> None:
    """What the window reads through paths of their own on SQLite (a document with its
    annotations from the driver's cursor; the change log's state for its follower) gives
    the same answers on PostgreSQL."""
    with annotator.open_project(postgres_url, user="alice") as alice, \
            annotator.open_project(postgres_url, user="bob") as bob:
        text = "Emoji 😀 and CJK 中文: the mayor said the bridge is safe."
        doc = alice.add_document(text, "PG")
        made = [alice.add_annotation(doc, 0, 5, "claim"),
                bob.add_annotation(doc, 6, 7, "source"),
                alice.add_annotation(doc, 6, 7, "fact", note="same span, other label")]
        alice.update_annotation(made[0], label="source")
        made.append(alice.add_annotation(doc, 10, 13, "claim"))
        link = alice.add_relation(made[-1], made[1], "attributed_to")
        document, records, relations = alice.document_contents(doc)
        assert document == alice.document(doc)
        assert relations == alice.relations(doc) and [r.id for r in relations] == [link]
        assert {r.id for r in records} == set(made)
        by_id = {r.id: r for r in alice.annotations(document_id=doc, annotator=None)}
        assert all(r == by_id[r.id] for r in records)
        assert [(r.start, r.end) for r in records] == sorted((r.start, r.end) for r in records)

        seq = alice.last_change()
        state = alice.log_state(seq)
        assert (state.head, state.others_since) == (seq, False)
        alice.add_annotation(doc, 8, 11, "claim")        # alice's own write: not "others"
        assert alice.log_state(seq).others_since is False
        bob.add_annotation(doc, 12, 15, "claim")         # bob's: alice's follower must read
        state = alice.log_state(seq)
        assert state.others_since is True and state.head > seq


def test_key_press_write_on_postgresql(postgres_url: str) -> None:
    """The press's prepared statements (pyformat parameters, PostgreSQL's types)."""
    with annotator.open_project(postgres_url, user="alice") as project:
        doc = project.add_document("Officials said the dam is safe.", "Dam")
        seen: list[annotator.Changes] = []
        project.subscribe(seen.append)
        first = project.add_annotation_record(doc, 0, 9, "claim")
        second = project.add_annotation_record(doc, 10, 14, "claim", note="n")
        assert project.annotation(first.id) == first
        assert project.annotation(second.id) == second
        assert seen[-1].seq == project.last_change()
        assert seen[-1].annotations_added == {second.id}
        with pytest.raises(annotator.AnnotatorError, match="identical annotation"):
            project.add_annotation_record(doc, 0, 9, "claim")
        with pytest.raises(annotator.AnnotatorError, match="no label named"):
            project.add_annotation_record(doc, 0, 9, "nope")
        assert project.last_change() == seen[-1].seq
