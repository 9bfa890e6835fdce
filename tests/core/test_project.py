"""The service API: documents, annotations, statuses, labels and their errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annotator
from annotator import AnnotatorError, Project
from annotator.records import AnnotationRecord
from tests.project_files import new_project

TEXT = "Officials said 😀 the dam is safe.\r\nCritics 中文 disagree\u0301."


@pytest.fixture
def doc(project: Project) -> str:
    return project.add_document(TEXT, "Dam story", format="jsonl")


def test_new_project_has_default_labels(project: Project) -> None:
    labels = project.labels()
    assert [(lb.name, lb.key) for lb in labels] == [("claim", "1"), ("source", "2"), ("fact", "3")]
    assert len({lb.color for lb in labels}) == 3


def test_add_annotation_offsets_are_code_points(project: Project, doc: str) -> None:
    start = TEXT.index("😀")
    annotation_id = project.add_annotation(doc, start, start + 5, "claim", note="emoji")
    record = project.annotation(annotation_id)
    assert TEXT[record.start : record.end] == "😀 the"
    assert record.annotator == "alice" and record.note == "emoji"
    assert project.annotations(document_id=doc) == [record]
    assert project.status(doc) == "in_progress"


@pytest.mark.parametrize(
    ("start", "end", "label", "message"),
    [
        (5, 5, "claim", "before end"),
        (6, 2, "claim", "before end"),
        (-1, 3, "claim", "outside"),
        (0, len(TEXT) + 1, "claim", "outside"),
        (0, 3, "opinion", "no label"),
    ],
)
def test_invalid_annotations_are_refused_and_change_nothing(
    project: Project, doc: str, start: int, end: int, label: str, message: str
) -> None:
    with pytest.raises(AnnotatorError, match=message):
        project.add_annotation(doc, start, end, label)
    assert project.annotations() == []
    assert project.annotators() == []


def test_unknown_document_is_refused(project: Project) -> None:
    with pytest.raises(AnnotatorError, match="no document"):
        project.add_annotation("8a0c7a52-0000-4000-8000-000000000000", 0, 1, "claim")


def test_update_delete_restore_keep_the_same_id(project: Project, doc: str) -> None:
    annotation_id = project.add_annotation(doc, 0, 9, "claim", note="first")
    updated = project.update_annotation(annotation_id, label="source", start=1, note=None)
    assert (updated.label, updated.start, updated.end, updated.note) == ("source", 1, 9, None)
    snapshot = project.delete_annotation(annotation_id)
    assert snapshot == updated
    assert project.annotations() == []
    assert project.annotation(annotation_id).deleted
    restored = project.restore_annotation(snapshot)
    assert restored.id == annotation_id and not restored.deleted
    assert (restored.label, restored.start, restored.end) == ("source", 1, 9)


def test_update_keeps_note_unless_given(project: Project, doc: str) -> None:
    annotation_id = project.add_annotation(doc, 0, 9, "claim", note="keep me")
    assert project.update_annotation(annotation_id, label="fact").note == "keep me"
    assert project.update_annotation(annotation_id, note="new").note == "new"


def test_update_with_bad_boundaries_changes_nothing(project: Project, doc: str) -> None:
    annotation_id = project.add_annotation(doc, 0, 9, "claim")
    with pytest.raises(AnnotatorError):
        project.update_annotation(annotation_id, start=8, end=3)
    record = project.annotation(annotation_id)
    assert (record.start, record.end) == (0, 9)


def test_deleted_annotation_cannot_be_updated_or_deleted_again(project: Project, doc: str) -> None:
    annotation_id = project.add_annotation(doc, 0, 9, "claim")
    project.delete_annotation(annotation_id)
    with pytest.raises(AnnotatorError):
        project.update_annotation(annotation_id, label="fact")
    with pytest.raises(AnnotatorError):
        project.delete_annotation(annotation_id)


def test_annotation_filters(project: Project, doc: str) -> None:
    first = project.add_annotation(doc, 10, 14, "claim")
    project.set_user("bob")
    second = project.add_annotation(doc, 0, 9, "source")
    assert [a.id for a in project.annotations()] == [second, first]
    assert [a.id for a in project.annotations(annotator="alice")] == [first]
    assert [a.id for a in project.annotations(label="source")] == [second]
    assert project.annotators() == ["alice", "bob"]


def test_status_is_per_user(project: Project, doc: str) -> None:
    project.set_status(doc, "done")
    assert project.status(doc) == "done"
    assert project.status(doc, user="bob") == "new"
    assert project.documents()[0].status == "done"
    with pytest.raises(AnnotatorError, match="unknown status"):
        project.set_status(doc, "finished")


def test_documents_list_counts_and_find(project: Project, doc: str) -> None:
    other = project.add_document("Another text here.", "Second")
    project.add_annotation(doc, 0, 9, "claim")
    infos = project.documents()
    assert [(d.number, d.title, d.annotations) for d in infos] == [
        (1, "Dam story", 1),
        (2, "Second", 0),
    ]
    assert infos[0].chars == len(TEXT)
    assert project.find_document("2").id == other
    assert project.find_document(other).id == other
    assert project.find_document("Dam story").id == doc
    with pytest.raises(AnnotatorError):
        project.find_document("nothing")


def test_duplicate_text_is_refused(project: Project, doc: str) -> None:
    with pytest.raises(AnnotatorError, match="already in the project"):
        project.add_document(TEXT, "Copy")


def test_text_is_stored_verbatim(project: Project, doc: str) -> None:
    assert project.document(doc).text == TEXT


def test_labels_management(project: Project, doc: str) -> None:
    project.add_label("opinion", "#CC79A7", "4", "A view")
    with pytest.raises(AnnotatorError, match="already used"):
        project.add_label("quote", key="4")
    with pytest.raises(AnnotatorError, match="#RRGGBB"):
        project.add_label("quote", color="red")
    project.update_label("opinion", new_name="view", color="#0072b2")
    annotation_id = project.add_annotation(doc, 0, 9, "view")
    assert project.label_usage("view") == 1
    with pytest.raises(AnnotatorError, match="used by 1"):
        project.remove_label("view")
    assert project.remove_label("view", force=True) == 1
    assert project.annotation(annotation_id).deleted
    assert "view" not in [lb.name for lb in project.labels()]
    project.reorder_labels(["fact", "claim", "source"])
    assert [lb.name for lb in project.labels()] == ["fact", "claim", "source"]
    with pytest.raises(AnnotatorError):
        project.reorder_labels(["fact"])


def test_label_rename_is_seen_by_annotations(project: Project, doc: str) -> None:
    annotation_id = project.add_annotation(doc, 0, 9, "claim")
    project.update_label("claim", new_name="assertion")
    assert project.annotation(annotation_id).label == "assertion"


def test_changes_survive_reopening(project_path: Path) -> None:
    with annotator.open_project(project_path, user="alice") as first:
        doc = first.add_document("Persisted words here.", "P")
        annotation_id = first.add_annotation(doc, 0, 9, "fact", note="n")
    with annotator.open_project(project_path, user="alice") as second:
        assert second.annotation(annotation_id).note == "n"
        assert second.check() == []


def test_sqlite_settings(project: Project, project_path: Path) -> None:
    with project.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_check_reports_corruption(project: Project, project_path: Path, doc: str) -> None:
    annotation_id = project.add_annotation(doc, 0, 9, "claim")
    connection = sqlite3.connect(project_path)
    connection.execute('UPDATE annotations SET "end" = 10000 WHERE id = ?', (annotation_id,))
    connection.execute("UPDATE documents SET text = 'changed'")
    connection.commit()
    connection.close()
    problems = project.check()
    assert any("offsets 0-10000" in p for p in problems)
    assert any("does not match hash" in p for p in problems)


def test_opening_a_non_project_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("just some text, not a database" * 100)
    with pytest.raises(AnnotatorError):
        annotator.open_project(junk)
    assert junk.read_text().startswith("just some text")


def test_opening_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE things (x)")
    connection.commit()
    connection.close()
    with pytest.raises(AnnotatorError, match="not an Annotator project"):
        annotator.open_project(path)


def test_default_location_and_user_come_from_environment(tmp_path: Path) -> None:
    with annotator.open_project() as project:
        assert project.location == str((tmp_path / "default.annotator.db").resolve())
        assert project.user == "tester"


def test_empty_user_is_refused(project: Project) -> None:
    with pytest.raises(AnnotatorError):
        project.set_user("  ")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=40).filter(lambda t: "\x00" not in t and t.strip()),
    data=st.data(),
)
def test_any_valid_span_round_trips(tmp_path_factory: pytest.TempPathFactory, text: str,
                                    data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    path = tmp_path_factory.mktemp("prop") / "p.db"
    with new_project(path, "u") as project:
        doc = project.add_document(text, "t")
        added = project.add_annotation(doc, start, end, "fact")
        record: AnnotationRecord = project.annotation(added)
        assert project.document(doc).text[record.start : record.end] == text[start:end]


def test_one_documents_annotations_match_the_general_read(project: Project, doc: str) -> None:
    """Opening a document reads through a lighter query; its records are the same."""
    other = project.add_document("Another text entirely.", "Other")
    project.add_annotation(other, 0, 7, "fact")
    kept = project.add_annotation(doc, 0, 9, "claim", note="first")
    edited = project.add_annotation(doc, 10, 14, "source")
    project.update_annotation(edited, label="fact", note="edited later")
    gone = project.add_annotation(doc, 15, 18, "claim")
    project.delete_annotation(gone)
    records = project.annotations(doc)
    assert records == [r for r in project.annotations() if r.document_id == doc]
    assert [r.id for r in records] == [kept, edited]
    changed = records[1]
    assert changed.label == "fact" and changed.note == "edited later"
    assert changed.updated >= changed.created and changed.created.tzinfo is not None
    with pytest.raises(AnnotatorError):
        project.annotations("no-such-document")
