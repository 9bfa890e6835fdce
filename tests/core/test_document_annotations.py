"""Opening a document reads its annotations by a column-wise path of its own
(annotator.service.document_annotations): it must give exactly what the general queries give."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import annotator
from annotator import AnnotatorError, Project
from annotator.records import AnnotationRecord, in_text_order, record_columns
from annotator.service import document_annotations
from annotator.service.base import aware
from annotator.service.document_annotations import stamps

TEXT = "Officials said 😀 the dam is safe.\r\nCritics 中文 disagree\u0301, says a report."


@pytest.fixture
def doc(project: Project) -> str:
    return project.add_document(TEXT, "Dam story", format="jsonl")


def _general(project: Project, document_id: str) -> list[AnnotationRecord]:
    """The same document's live annotations through the general query (one annotator at a
    time), put in text order."""
    found = [r for name in project.annotators()
             for r in project.annotations(document_id, annotator=name)]
    return sorted(found, key=lambda r: (r.start, r.end, r.id))


def test_document_read_equals_the_general_queries_with_edge_cases(
    project: Project, project_path: Path, doc: str
) -> None:
    other = project.add_document("Another text, with its own tags.", "Other")
    project.add_annotation(other, 0, 7, "claim")
    plain = project.add_annotation(doc, 0, 9, "claim")
    noted = project.add_annotation(doc, TEXT.index("😀"), TEXT.index("😀") + 5, "fact",
                                   note="emoji; with, punctuation")
    edited = project.add_annotation(doc, 15, 20, "source")
    project.update_annotation(edited, note="changed later")  # updated != created
    gone = project.add_annotation(doc, 21, 24, "claim")
    project.delete_annotation(gone)
    restored = project.add_annotation(doc, 25, 28, "fact")
    project.delete_annotation(restored)
    project.restore_annotation(restored)
    bob = annotator.open_project(project_path, user="bob")
    try:
        # The same span and label by another annotator: ties on (start, end) go by id.
        twin = bob.add_annotation(doc, 0, 9, "claim")
        judged = bob.add_annotation(doc, TEXT.index("Critics"), TEXT.index("Critics") + 7,
                                    "claim")
    finally:
        bob.close()
    project.accept(judged)
    project.update_annotation(judged, label="source", as_reviewer=True)  # review reopened

    read = project.annotations(doc)

    assert read == _general(project, doc)
    assert read == sorted(project.annotations_by_id(r.id for r in read),
                          key=lambda r: (r.start, r.end, r.id))
    assert read == [project.annotation(r.id) for r in read]
    assert {r.id for r in read} == {plain, noted, edited, restored, twin, judged}
    assert [(r.start, r.end, r.id) for r in read] == sorted((r.start, r.end, r.id) for r in read)
    by_id = {r.id: r for r in read}
    assert by_id[edited].updated > by_id[edited].created
    assert by_id[plain].updated == by_id[plain].created
    assert by_id[noted].note == "emoji; with, punctuation"
    assert by_id[judged].label == "source" and by_id[judged].annotator == "bob"
    assert all(type(r) is AnnotationRecord and r.document_id == doc and not r.deleted
               and r.created.tzinfo is UTC for r in read)
    # Opening it reads the text and these annotations in one transaction: the same values.
    document, opened, relations = project.document_contents(doc)
    assert document == project.document(doc)
    assert list(opened) == read
    assert relations == project.relations(doc)
    # With the read's columns, equal to the records' fields and in their order.
    assert record_columns(opened) == (tuple(r.id for r in read), tuple(r.start for r in read),
                                      tuple(r.end for r in read), tuple(r.label for r in read))
    assert in_text_order(opened) and not in_text_order(read)


def test_an_opened_documents_records_are_made_as_read_and_stay_the_same_objects(
        project: Project, doc: str) -> None:
    """DocumentAnnotations makes a record the first time it is read; one read alone, a
    slice, negative positions and a full iteration give what the bulk read gives, and a
    record read before stays the same object."""
    for start in range(0, 30, 3):
        project.add_annotation(doc, start, start + 2, "claim" if start % 2 else "fact",
                               note="n" if start == 9 else None)
    edited = project.annotations(doc)[4]
    project.update_annotation(edited.id, label="source")
    expected = project.annotations(doc)
    _document, opened, _relations = project.document_contents(doc)
    first, last = opened[2], opened[-1]
    assert (first, last) == (expected[2], expected[-1])
    assert opened[3:6] == expected[3:6] and opened[-2] == expected[-2]
    assert opened[4].updated > opened[4].created and opened[3].note == "n"
    everything = list(opened)
    assert everything == expected and list(opened) == expected
    assert everything[2] is first and everything[-1] is last and opened[2] is first
    with pytest.raises(IndexError):
        opened[len(expected)]


def test_opening_reads_the_document_and_its_annotations_or_refuses_as_document_does(
    project: Project, doc: str
) -> None:
    project.add_annotation(doc, 0, 9, "claim")
    source = project.add_annotation(doc, 10, 14, "source")
    link = project.add_relation(project.annotations(doc)[0].id, source, "attributed_to")
    contents = project.document_contents(doc)
    assert list(contents.annotations) == project.annotations(doc)
    assert contents.relations == project.relations(doc) and contents.relations[0].id == link
    # An annotation deleted takes its link out of the live ones, in both reads.
    project.delete_annotation(source)
    assert project.document_contents(doc).relations == project.relations(doc) == []
    empty = project.add_document("Nothing tagged here.", "Empty")
    document, records, relations = project.document_contents(empty)
    assert (document, list(records), record_columns(records), relations) == (
        project.document(empty), [], ((), (), (), ()), [])
    project.delete_document(doc)
    for read in (project.document, project.document_contents):
        with pytest.raises(AnnotatorError, match="deleted"):
            read(doc)
    with pytest.raises(AnnotatorError, match="no document"):
        project.document_contents("00000000-0000-0000-0000-000000000000")


def test_an_empty_document_reads_no_annotations(project: Project, doc: str) -> None:
    assert project.annotations(doc) == []


def test_the_records_are_made_with_the_collector_paused(
    project: Project, doc: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = document_annotations._records
    collecting: list[bool] = []

    def spy(*args: object) -> list[AnnotationRecord]:
        collecting.append(gc.isenabled())
        return made(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(document_annotations, "_records", spy)
    project.add_annotation(doc, 0, 9, "claim")
    assert len(project.annotations(doc)) == 1
    assert collecting == [False]
    assert gc.isenabled()


def test_a_record_is_a_value_changed_by_replace(project: Project, doc: str) -> None:
    record = project.annotation(project.add_annotation(doc, 0, 9, "claim"))
    deleted = record._replace(deleted=True)
    assert deleted.deleted and not record.deleted
    assert deleted != record and deleted._replace(deleted=False) == record
    with pytest.raises(AttributeError):
        record.label = "fact"  # type: ignore[misc]


@pytest.mark.parametrize("raw", [
    ["2024-05-01 12:00:00.000000", "2024-05-01 12:00:01.250000"],  # SQLite's usual text
    ["2024-05-01 12:00:00", "2024-05-01 12:00:00.000000"],  # mixed lengths
    ["2024-05-01T12:00:00.000000", "2024-05-01 13:00:00+02:00"],  # T, a zone of its own
    [datetime(2024, 5, 1, 12, 0)],  # what PostgreSQL's driver gives
    # One import's times, repeated (parsed once per distinct value)...
    ["2024-05-01 12:00:00.000000"] * 90 + ["2024-05-01 12:00:01.250000"] * 10,
    ["2024-05-01 12:00:00"] * 50 + ["2024-05-01T12:00:00+02:00"] * 50 + ["2024-05-02"],
    [datetime(2024, 5, 1, 12, 0)] * 70 + [datetime(2024, 5, 1, 13, 0)] * 30,
    # ...and a column whose first values repeat but the rest do not (the parse per value).
    ["2024-05-01 12:00:00.000000"] * 64
    + [f"2024-05-01 12:{m:02}:{s:02}.000000" for m in range(10) for s in range(60)],
])
def test_stamps_of_every_stored_form_are_what_aware_gives(raw: list[datetime | str]) -> None:
    assert stamps(raw) == [aware(value) for value in raw]


def test_repeated_times_share_one_parsed_object() -> None:
    parsed = stamps(["2024-05-01 12:00:00.000000"] * 100)
    assert len({id(value) for value in parsed}) == 1
    assert parsed[0] == aware("2024-05-01 12:00:00.000000")


def test_equal_times_in_other_zones_keep_their_own_zone() -> None:
    # Equal instants compare equal: one parse shared by both would give one zone to all.
    here = datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    raw: list[datetime | str] = [here] * 40 + [here.astimezone(UTC)] * 40
    assert [value.utcoffset() for value in stamps(raw)] == [
        value.utcoffset() for value in map(aware, raw)]


def test_the_open_reads_text_columns_through_the_utf8_converter_and_only_where_it_may(
        project: Project, tmp_path: Path, doc: str) -> None:
    """On a UTF-8 SQLite project the read's text columns are decoded by the converter (no
    GIL hand-off per column); a UTF-16 database reads them the driver's way, and text that
    is not UTF-8 is refused with a clear message, as before."""
    import sqlite3

    from annotator.database import UTF8_CONVERTER, UTF8_TEXT

    project.add_annotation(doc, 0, 9, "claim", note="emoji 😀, accents é, CJK 中文")
    assert sqlite3.converters[UTF8_CONVERTER.upper()] is bytes.decode
    with project.engine.connect() as connection:
        assert connection.connection.info[UTF8_TEXT] is True
    seen: list[bool] = []
    real = document_annotations._rows_of

    def spying(connection: object, document_pk: int, *, converted: bool) -> object:
        seen.append(converted)
        return real(connection, document_pk, converted=converted)  # type: ignore[arg-type]

    document_annotations._rows_of = spying  # type: ignore[assignment]
    try:
        read = list(project.document_contents(doc).annotations)
    finally:
        document_annotations._rows_of = real
    assert seen == [True] and read == project.annotations(doc)
    assert read[0].note == "emoji 😀, accents é, CJK 中文"

    wide = tmp_path / "utf16.db"
    with sqlite3.connect(wide) as made:  # an empty database whose text is UTF-16
        made.execute("PRAGMA encoding = 'UTF-16le'")
        made.execute("CREATE TABLE t (x)")
        made.execute("DROP TABLE t")
    with annotator.open_project(wide, user="alice") as other:
        text = other.add_document(TEXT, "Wide")
        other.add_annotation(text, 0, 9, "claim", note="nöte 😀")
        with other.engine.connect() as connection:
            assert connection.connection.info[UTF8_TEXT] is False
        [record] = other.document_contents(text).annotations
        assert record.note == "nöte 😀" and record.annotator == "alice"

    broken = project.add_annotation(doc, 10, 14, "source", note="fine")
    with project.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE annotations SET note = CAST(x'ff61' AS TEXT) WHERE id = ?", (broken,))
    with pytest.raises(AnnotatorError, match="cannot read the project: Could not decode"):
        project.document_contents(doc)
