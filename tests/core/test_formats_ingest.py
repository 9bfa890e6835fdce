"""Importing annotations: matching documents, refusing bad files whole, newer-wins with history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator import AnnotatorError, Project
from annotator.formats.model import FileRefused
from annotator.models import AnnotationVersion
from annotator.service.exchange import import_annotations
from annotator.service.labels import PALETTE

TEXT = "Officials said 😀 the dam is safe.\r\nCritics disagree."
DOC_ID = "0b6a4f8e-5a47-4c5e-9d2e-2f3b8c1d7e90"
SPAN_ID = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"


def _span(start: int, end: int, label: str = "claim", **extra: object) -> dict[str, object]:
    return {"id": SPAN_ID, "start": start, "end": end, "label": label,
            "text": TEXT[start:end], "annotator": "bob", "note": None,
            "created": "2024-01-01T10:00:00.000000Z", "updated": "2024-01-01T10:00:00.000000Z",
            **extra}


def _write(path: Path, *documents: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


def _doc(*spans: dict[str, object], text: str = TEXT, id: str = DOC_ID) -> dict[str, object]:
    return {"id": id, "title": "Dam", "text": text, "meta": {"k": 1}, "spans": list(spans),
            "relations": []}


def _history(project: Project) -> int:
    with project._reading() as session:
        return int(session.scalar(select(func.count()).select_from(AnnotationVersion)) or 0)


def test_creates_documents_labels_and_annotators(project: Project, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", _doc(_span(0, 9), _span(15, 20, "opinion", id=None)))
    result = import_annotations(project, path, "jsonl")
    c = result.counts
    assert (c.documents_created, c.documents_matched, c.added) == (1, 0, 2)
    assert c.labels_created == ["opinion"] and c.annotators_created == ["bob"]
    document = project.document(DOC_ID)
    assert document.text == TEXT and document.meta == {"k": 1} and document.title == "Dam"
    opinion = next(label for label in project.labels() if label.name == "opinion")
    assert opinion.color == PALETTE[3] and opinion.key is None
    records = project.annotations(document_id=DOC_ID)
    assert [(a.start, a.end, a.label, a.annotator) for a in records] == [
        (0, 9, "claim", "bob"), (15, 20, "opinion", "bob")
    ]
    assert records[0].id == SPAN_ID
    assert records[0].updated.isoformat() == "2024-01-01T10:00:00+00:00"
    again = import_annotations(project, path, "jsonl")
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    assert again.counts.documents_matched == 1


def test_documents_match_by_text_when_the_id_is_unknown(project: Project, tmp_path: Path) -> None:
    local = project.add_document(TEXT, "Local title")
    other_id = "11111111-2222-4333-8444-555555555555"
    path = _write(tmp_path / "a.jsonl", _doc(_span(0, 9), id=other_id))
    result = import_annotations(project, path, "jsonl")
    assert result.counts.documents_matched == 1 and result.counts.documents_created == 0
    assert [a.document_id for a in project.annotations()] == [local]
    assert project.document(local).title == "Local title"


@pytest.mark.parametrize(
    ("span", "reason"),
    [
        (_span(0, 9) | {"end": 999}, "fall outside the text"),
        (_span(0, 9) | {"start": -1}, "fall outside the text"),
        (_span(0, 9) | {"text": "Official"}, "differs from the text"),
        (_span(0, 9) | {"label": "bad\tlabel"}, "invalid label"),
        (_span(0, 9) | {"start": "0"}, "must be a whole number"),
    ],
)
def test_a_bad_annotation_refuses_the_whole_file(
    project: Project, tmp_path: Path, span: dict[str, object], reason: str
) -> None:
    good = _doc(_span(15, 20) | {"id": None}, text="Another document.\n" + TEXT[:40],
                id="22222222-3333-4444-8555-666666666666")
    good["spans"] = [{"start": 0, "end": 7, "label": "claim", "text": "Another"}]
    path = _write(tmp_path / "bad.jsonl", good, _doc(span))
    with pytest.raises(FileRefused) as caught:
        import_annotations(project, path, "jsonl")
    problem = caught.value.problems[0]
    assert problem.file == str(path) and problem.line == 2 and reason in problem.reason
    assert reason in str(caught.value)
    assert project.documents() == [] and project.annotations() == []
    assert [label.name for label in project.labels()] == ["claim", "source", "fact"]


def test_same_id_twice_and_foreign_document_are_refused(project: Project, tmp_path: Path) -> None:
    path = _write(tmp_path / "twice.jsonl", _doc(_span(0, 9), _span(15, 20)))
    with pytest.raises(FileRefused, match="occurs twice"):
        import_annotations(project, path, "jsonl")
    import_annotations(project, _write(tmp_path / "one.jsonl", _doc(_span(0, 9))), "jsonl")
    moved = _doc(_span(0, 7) | {"text": "Another"}, text="Another text.",
                 id="33333333-3333-4444-8555-666666666666")
    with pytest.raises(FileRefused, match="belongs to another document"):
        import_annotations(project, _write(tmp_path / "moved.jsonl", moved), "jsonl")
    assert len(project.documents()) == 1


def test_a_known_id_with_another_text_is_refused(project: Project, tmp_path: Path) -> None:
    project.add_document(TEXT, "Dam", id=DOC_ID)
    path = _write(tmp_path / "a.jsonl", _doc(text="Changed text."))
    with pytest.raises(FileRefused, match="with a different text"):
        import_annotations(project, path, "jsonl")


def test_newer_version_wins_and_the_older_goes_to_history(
    project: Project, tmp_path: Path
) -> None:
    import_annotations(project, _write(tmp_path / "v1.jsonl", _doc(_span(0, 9))), "jsonl")
    newer = _span(15, 20, "fact", note="moved", updated="2024-02-01T00:00:00.000000Z")
    result = import_annotations(project, _write(tmp_path / "v2.jsonl", _doc(newer)), "jsonl")
    assert result.counts.updated == 1
    record = project.annotation(SPAN_ID)
    assert (record.start, record.end, record.label, record.note) == (15, 20, "fact", "moved")
    assert _history(project) == 1
    # The older file again: the project's version stays. That version is in the history
    # already (v2 replaced it), so it is known: unchanged, as a merge counts it too.
    for _ in range(2):
        older = import_annotations(project, tmp_path / "v1.jsonl", "jsonl")
        assert older.counts.unchanged == 1 and older.counts.updated == 0
        assert older.counts.kept == 0
    assert project.annotation(SPAN_ID).label == "fact"
    assert _history(project) == 1
    with project._reading() as session:
        kept = session.scalars(select(AnnotationVersion)).one()
    assert (kept.start, kept.end, kept.label) == (0, 9, "claim")
    assert kept.reason == "import: replaced by a newer version"
    # An older version the project has never seen is kept in history, once.
    oldest = _span(2, 9, "source", updated="2000-01-01T00:00:00.000000Z")
    for expected_kept in (1, 0):
        result = import_annotations(project, _write(tmp_path / "v0.jsonl", _doc(oldest)),
                                    "jsonl")
        assert result.counts.kept == expected_kept and result.counts.updated == 0
    assert _history(project) == 2


def test_formats_without_a_field_keep_the_projects_value(
    project: Project, tmp_path: Path
) -> None:
    document_id = project.add_document(TEXT, "Dam")
    annotation_id = project.add_annotation(document_id, 0, 9, "claim", note="keep me")
    line = {"id": document_id, "text": TEXT, "label": [[0, 9, "claim"]]}
    path = _write(tmp_path / "d.jsonl", line)
    result = import_annotations(project, path, "doccano")
    assert (result.counts.added, result.counts.unchanged) == (0, 1)
    assert project.annotation(annotation_id).note == "keep me"


def test_doccano_files_from_doccano(project: Project, tmp_path: Path) -> None:
    lines = [
        {"id": 7, "text": "Alpha beta.", "label": [[0, 5, "claim"], [0, 5, "claim"]]},
        {"id": 8, "text": "Gamma delta.", "entities": [
            {"id": 1, "label": "fact", "start_offset": 6, "end_offset": 11}]},
    ]
    path = _write(tmp_path / "doccano.jsonl", *lines)
    result = import_annotations(project, path, "doccano")
    # The file tags "Alpha" twice as claim: one annotation, the twin folded and counted.
    assert result.counts.documents_created == 2 and result.counts.added == 2
    assert result.counts.folded == 1
    assert {d.title for d in project.documents()} == {"Untitled"}
    assert project.document(project.documents()[0].id).meta == {"source_id": "7"}
    assert {a.annotator for a in project.annotations()} == {"alice"}
    again = import_annotations(project, path, "doccano")
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    assert again.counts.folded == 1 and project.check() == []


def test_missing_file_and_conll_import_fail_clearly(project: Project, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="no file"):
        import_annotations(project, tmp_path / "missing.jsonl", "jsonl")
    (tmp_path / "x.conll").write_text("a\tO\n", encoding="utf-8")
    with pytest.raises(AnnotatorError, match="cannot be imported"):
        import_annotations(project, tmp_path / "x.conll", "conll")
    with pytest.raises(AnnotatorError, match="not a folder"):
        import_annotations(project, tmp_path / "x.conll", "brat")
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(FileRefused, match=r"bad.jsonl:1"):
        import_annotations(project, tmp_path / "bad.jsonl", "jsonl")


def test_cancelled_import_stores_nothing(project: Project, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", _doc(_span(0, 9)))
    with pytest.raises(AnnotatorError, match="cancelled"):
        import_annotations(project, path, "jsonl", progress=lambda done, total: done == 0)
    assert project.documents() == []
