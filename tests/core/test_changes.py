"""The change model: writes say what changed, the log records it, others follow it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import annotator
from annotator import AnnotatorError, Project
from annotator.changes import Changes
from tests.core.review_support import TEXT, open_at


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Project, Project, str]:
    """One project file opened twice, as a window and the command line would."""
    path = tmp_path / "p.db"
    window = open_at(path, "alice")
    document = window.add_document(TEXT, "News")
    other = open_at(path, "alice")
    yield window, other, document
    window.close()
    other.close()


def published(project: Project) -> list[Changes]:
    seen: list[Changes] = []
    project.subscribe(seen.append)
    return seen


def test_add_publishes_the_new_record_and_logs_it(shared: tuple[Project, Project, str]) -> None:
    window, other, document = shared
    seen = published(window)
    before = window.last_change()
    new_id = window.add_annotation(document, 4, 12, "claim", note="check")
    [changes] = seen
    assert changes.annotations_added == {new_id}
    record = changes.records[new_id]
    assert (record.start, record.end, record.label, record.annotator, record.note) == (
        4, 12, "claim", "alice", "check")
    assert changes.documents_annotated == {document}
    # The first annotation also set the user's status: the change says so (no GUI rule).
    assert changes.statuses == {(document, "alice")}
    assert changes.seq > before == 0 or changes.seq > before
    # Another open project sees it in the log.
    elsewhere = other.changes_since(before)
    assert elsewhere.annotations_added == {new_id}
    assert elsewhere.seq == changes.seq
    # The writer itself skips its own rows (its subscribers were told already).
    assert not window.changes_since(before)
    assert window.changes_since(before, include_own=True).annotations_added == {new_id}


def test_the_added_record_is_what_a_read_gives_and_the_seq_is_the_logs_last(
        shared: tuple[Project, Project, str]) -> None:
    window, other, document = shared
    seen = published(window)
    record = window.add_annotation_record(document, 4, 12, "claim", note="  check ")
    # The key press keeps this record as its undo snapshot without reading it back.
    assert record == window.annotation(record.id) == other.annotation(record.id)
    assert record == seen[-1].records[record.id]
    # Two log rows (the annotation and the first status): seq names the last of them.
    assert seen[-1].seq == window.last_change() == other.changes_since(0).seq
    window.add_annotation(document, 20, 30, "claim")
    assert seen[-1].seq == seen[-2].seq + 1 == window.last_change()


def test_every_kind_of_write_is_published(shared: tuple[Project, Project, str]) -> None:
    window, _, document = shared
    seen = published(window)
    a = window.add_annotation(document, 0, 3, "claim")
    window.update_annotation(a, label="fact")
    window.delete_annotation(a)
    window.restore_annotation(a)
    window.set_status(document, "done")
    window.add_label("opinion", "#123456", "4")
    window.update_label("opinion", color="#654321")
    window.remove_label("opinion")
    window.add_document("Another text entirely.", "Second")
    kinds = [
        (bool(c.annotations_added), bool(c.annotations_updated), bool(c.annotations_removed),
         bool(c.statuses), bool(c.labels), bool(c.documents_added))
        for c in seen
    ]
    assert kinds == [
        (True, False, False, True, False, False),    # add (status set too)
        (False, True, False, False, False, False),   # relabel
        (False, False, True, False, False, False),   # delete
        (True, False, False, False, False, False),   # restore
        (False, False, False, True, False, False),   # status
        (False, False, False, False, True, False),   # label added
        (False, False, False, False, True, False),   # label changed
        (False, False, False, False, True, False),   # label removed
        (False, False, False, False, False, True),   # document
    ]
    assert [c.seq for c in seen] == sorted({c.seq for c in seen})


def test_a_refused_write_publishes_and_logs_nothing(shared: tuple[Project, Project, str]) -> None:
    window, other, document = shared
    seen = published(window)
    before = window.last_change()
    with pytest.raises(AnnotatorError):
        window.add_annotation(document, 5, 2, "claim")
    assert seen == []
    assert window.last_change() == before
    assert not other.changes_since(before)


def test_follower_reports_outside_changes_only(shared: tuple[Project, Project, str]) -> None:
    window, other, document = shared
    follower = window.follow()
    try:
        assert follower.poll() is None
        window.add_annotation(document, 0, 3, "claim")      # our own: not reported
        assert follower.poll() is None
        theirs = other.add_annotation(document, 4, 12, "fact")
        changes = follower.poll()
        assert changes is not None and changes.annotations_added == {theirs}
        assert follower.poll() is None                       # nothing new since
    finally:
        follower.close()


def test_follower_does_not_read_back_its_own_writes(
    shared: tuple[Project, Project, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window's own commit moves data_version (its writer is another connection), but
    the log is read back only when someone else wrote: theirs still arrive, interleaved
    with ours in either order."""
    window, other, document = shared
    follower = window.follow()
    reads: list[int] = []
    original = window.changes_since

    def counting(seq: int, **kwargs: bool) -> Changes:
        reads.append(seq)
        return original(seq, **kwargs)

    monkeypatch.setattr(window, "changes_since", counting)
    try:
        assert follower.poll() is None
        for start in (0, 4, 13):                              # a few key presses
            window.add_annotation(document, start, start + 3, "claim")
            assert follower.poll() is None
        assert reads == []
        assert follower.seq == window.last_change()
        theirs = other.add_annotation(document, 20, 25, "fact")
        ours = window.add_annotation(document, 30, 34, "claim")  # after theirs, same poll
        changes = follower.poll()
        assert changes is not None and changes.annotations_added == {theirs}
        assert ours not in changes.annotations_added
        assert len(reads) == 1
        ours = window.add_annotation(document, 40, 44, "claim")
        theirs = other.add_annotation(document, 50, 55, "fact")  # after ours, same poll
        changes = follower.poll()
        assert changes is not None and changes.annotations_added == {theirs}
        window.add_annotation(document, 60, 64, "claim")
        assert follower.poll() is None
        assert len(reads) == 2
        assert follower.seq == window.last_change()
    finally:
        follower.close()


def test_log_state_says_who_wrote_since(shared: tuple[Project, Project, str]) -> None:
    window, other, document = shared
    start = window.last_change()
    window.add_annotation(document, 0, 3, "claim")
    state = window.log_state(start)
    assert state.operation == window.change_operation(start)
    assert state.head == window.last_change() > start
    assert state.head_operation == window.change_operation(state.head)
    assert not state.others_since
    assert other.log_state(start).others_since              # for the other, it was us
    other.add_annotation(document, 4, 12, "fact")
    assert window.log_state(start).others_since
    assert not window.log_state(window.last_change()).others_since


def test_follower_sees_a_plain_sqlite_commit_of_the_log(tmp_path: Path) -> None:
    """data_version moves for any other connection's commit, not only ours."""
    path = tmp_path / "p.db"
    with open_at(path, "alice") as project:
        document = project.add_document(TEXT, "News")
        follower = project.follow()
        try:
            assert follower.poll() is None
            with open_at(path, "bob") as bob:
                made = bob.add_annotation(document, 0, 3, "source")
            changes = follower.poll()
            assert changes is not None and made in changes.annotations_added
        finally:
            follower.close()


def test_changes_since_resets_after_very_many(shared: tuple[Project, Project, str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.service import changelog

    window, other, document = shared
    before = window.last_change()
    monkeypatch.setattr(changelog, "RESET_AFTER", 2)
    for start in range(4):
        other.add_annotation(document, start, start + 1, "claim")
    changes = window.changes_since(before)
    assert changes.reset and changes.seq == window.last_change()


def test_log_is_in_the_database_file(shared: tuple[Project, Project, str]) -> None:
    window, _, document = shared
    new_id = window.add_annotation(document, 0, 3, "claim")
    connection = sqlite3.connect(window.location)
    try:
        rows = connection.execute(
            "SELECT kind, change, key, document, actor, action FROM change_log ORDER BY seq"
        ).fetchall()
    finally:
        connection.close()
    assert ("annotation", "added", new_id, document, "alice", "tag as claim") in rows


# Ownership


def test_a_colleagues_annotation_is_not_changed_by_accident(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with open_at(path, "bob") as bob:
        document = bob.add_document(TEXT, "News")
        theirs = bob.add_annotation(document, 0, 3, "claim")
    with open_at(path, "alice") as alice:
        for write in (lambda: alice.update_annotation(theirs, label="fact"),
                      lambda: alice.delete_annotation(theirs)):
            with pytest.raises(AnnotatorError, match="belongs to bob"):
                write()
        assert alice.annotation(theirs).label == "claim"
        # As a reviewer (review, curation) the change is allowed, and history keeps bob's.
        alice.update_annotation(theirs, label="fact", as_reviewer=True)
        snapshot = alice.delete_annotation(theirs, as_reviewer=True)
        with pytest.raises(AnnotatorError, match="belongs to bob"):
            alice.restore_annotation(snapshot)
        alice.restore_annotation(snapshot, as_reviewer=True)
        assert alice.annotation(theirs).annotator == "bob"


def test_expect_refuses_a_change_made_meanwhile(shared: tuple[Project, Project, str]) -> None:
    window, other, document = shared
    a = window.add_annotation(document, 0, 3, "claim")
    seen = window.annotation(a)
    other.update_annotation(a, label="fact")
    with pytest.raises(AnnotatorError, match="changed meanwhile"):
        window.update_annotation(a, label="source", expect=seen)
    with pytest.raises(AnnotatorError, match="changed meanwhile"):
        window.delete_annotation(a, expect=seen)
    assert window.annotation(a).label == "fact"


def test_every_overwritten_version_is_in_history(shared: tuple[Project, Project, str]) -> None:
    window, _, document = shared
    a = window.add_annotation(document, 0, 3, "claim", note="first")
    window.update_annotation(a, label="source")
    window.update_annotation(a, note="second", end=5)
    with window._reading() as session:
        from sqlalchemy import select

        from annotator.models import AnnotationVersion

        kept = session.execute(
            select(AnnotationVersion.label, AnnotationVersion.end, AnnotationVersion.note,
                   AnnotationVersion.reason)
            .where(AnnotationVersion.annotation_id == a).order_by(AnnotationVersion.id)
        ).all()
    assert [tuple(row) for row in kept] == [("claim", 3, "first", "edit"),
                                            ("source", 3, "first", "edit")]


# Duplicates


def test_an_identical_annotation_is_refused(shared: tuple[Project, Project, str]) -> None:
    window, _other, document = shared
    first = window.add_annotation(document, 0, 3, "claim")
    with pytest.raises(AnnotatorError, match="identical annotation already exists"):
        window.add_annotation(document, 0, 3, "claim", note="again")
    # Another label, another span or another annotator is not a duplicate.
    window.add_annotation(document, 0, 3, "fact")
    window.add_annotation(document, 0, 4, "claim")
    with open_at(Path(window.location), "bob") as bob:
        bob.add_annotation(document, 0, 3, "claim")
    # An edit or a restore that would make a twin is refused too.
    second = window.add_annotation(document, 0, 5, "claim")
    with pytest.raises(AnnotatorError, match="identical"):
        window.update_annotation(second, end=3)
    window.delete_annotation(first)
    window.update_annotation(second, end=3)
    with pytest.raises(AnnotatorError, match="identical"):
        window.restore_annotation(first)
    assert window.check() == []


def test_check_lists_existing_duplicates(shared: tuple[Project, Project, str]) -> None:
    window, _, document = shared
    a = window.add_annotation(document, 0, 3, "claim")
    connection = sqlite3.connect(window.location)
    try:
        connection.execute(
            "INSERT INTO annotations (id, document_id, start, \"end\", label_id, annotator_id, "
            "note, created, updated, deleted) SELECT 'twin-of-a', document_id, start, \"end\", "
            "label_id, annotator_id, note, created, updated, deleted FROM annotations "
            "WHERE id = ?", (a,))
        connection.commit()
    finally:
        connection.close()
    problems = window.check()
    assert len(problems) == 1
    assert "duplicate annotations" in problems[0] and a in problems[0]
    assert "twin-of-a" in problems[0]


def test_project_api_still_returns_what_it_documented(tmp_path: Path) -> None:
    with annotator.open_project(tmp_path / "p.db", user="alice") as project:
        document = project.add_document(TEXT, "News")
        new_id = project.add_annotation(document, 0, 3, "claim")
        assert isinstance(new_id, str)
        assert project.update_annotation(new_id, label="fact").label == "fact"
        assert project.delete_annotation(new_id).deleted is False
        assert project.restore_annotation(new_id).deleted is False


def test_a_verdict_stops_applying_when_the_label_or_span_changes(tmp_path: Path) -> None:
    """Relabelling a reviewed annotation used to keep the verdict given to the old version."""
    from annotator.records import review_status

    path = tmp_path / "p.db"
    with open_at(path, "bob") as bob:
        document = bob.add_document(TEXT, "News")
        theirs = bob.add_annotation(document, 0, 3, "claim")
    with open_at(path, "alice") as alice:
        alice.accept(theirs)
        assert alice.review_statuses() == {theirs: "accepted"}
        alice.update_annotation(theirs, note="only a note", as_reviewer=True)
        assert alice.review_statuses() == {theirs: "accepted"}  # a note judges nothing
    with open_at(path, "bob") as bob:
        seen: list[Changes] = []
        bob.subscribe(seen.append)
        bob.update_annotation(theirs, label="fact")
        assert bob.review_statuses() == {}                       # pending again
        assert seen[-1].reviews == {theirs}
        history = bob.reviews(theirs)
        assert [r.verdict for r in history] == ["accepted", "reopened"]
        assert "accepted was for claim at 0-3 by bob" in (history[-1].comment or "")
        # The views' rule gives what the core's query gives.
        assert review_status(history) == "pending"
        assert review_status(history[:1]) == "accepted"
        # It travels: a colleague merging the bundle sees it pending too.
        bob.bundle(tmp_path / "bob.zip")
    with open_at(tmp_path / "carol.db", "carol") as carol:
        carol.merge(tmp_path / "bob.zip")
        assert carol.review_statuses() == {}
    with open_at(path, "alice") as alice:
        alice.accept(theirs)
        assert alice.review_statuses() == {theirs: "accepted"}


def test_the_key_press_lookup_finds_a_duplicate_by_index_not_by_scanning_the_document(
        shared: tuple[Project, Project, str]) -> None:
    from annotator.service.annotations import _ADD_LOOKUP

    window, _other, _document = shared
    with window.engine.connect() as connection:
        compiled = _ADD_LOOKUP.statement.compile(connection)
        params = compiled.construct_params({"label": "claim", "start": 1, "end": 2,
                                            "annotator": 1, "document": "x"})
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(compiled),
            tuple(params[name] for name in compiled.positiontup or ())))
    # "NOT deleted" made SQLite read every annotation of the document on each key press.
    assert "(document_id=? AND deleted=? AND start=?" in plan
