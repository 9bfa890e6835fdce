"""What an export selects: filters, review status, done-only, splits, streaming, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.formats.selection import (
    ExportFilters,
    SelectedDocument,
    parse_split,
    split_documents,
)
from annotator.service.exchange import export_dataset
from tests.core.formats_support import export_to


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def seeded(project: Project) -> dict[str, str]:
    """Three documents; alice and bob annotate; gold on one; reviews on two annotations."""
    ids = {}
    ids["d1"] = project.add_document("Alpha beta gamma. Delta.", "One")
    ids["d2"] = project.add_document("Second text here.", "Two")
    ids["d3"] = project.add_document("Third, without annotations.", "Three")
    ids["a1"] = project.add_annotation(ids["d1"], 0, 5, "claim")
    ids["a2"] = project.add_annotation(ids["d1"], 6, 10, "source")
    project.set_status(ids["d1"], "done")
    project.set_user("bob")
    ids["b1"] = project.add_annotation(ids["d1"], 0, 10, "fact")
    ids["b2"] = project.add_annotation(ids["d2"], 0, 6, "claim")
    project.set_status(ids["d2"], "done")
    project.set_user("gold")
    ids["g1"] = project.add_annotation(ids["d2"], 7, 11, "claim")
    project.set_user("rita")
    project.review_annotation(ids["a1"], "accepted")
    project.review_annotation(ids["b1"], "rejected")
    project.review_annotation(ids["b1"], "accepted")  # the latest verdict counts
    project.review_annotation(ids["a2"], "rejected")
    project.review_annotation(ids["a2"], "comment", "still rejected")
    project.set_user("alice")
    return ids


def _spans(project: Project, tmp_path: Path, **filters: object) -> dict[str, list[str]]:
    out, _ = export_to(project, "jsonl", tmp_path / "x", ExportFilters(**filters))  # type: ignore[arg-type]
    return {str(d["title"]): [str(s["id"]) for s in d["spans"]] for d in _lines(out)}  # type: ignore[attr-defined]


def test_every_document_is_exported_with_its_spans(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    spans = _spans(project, tmp_path)
    assert list(spans) == ["One", "Two", "Three"]
    assert spans["One"] == [seeded["a1"], seeded["b1"], seeded["a2"]]
    assert spans["Three"] == []


def test_status_filter_uses_the_latest_verdict(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    accepted = _spans(project, tmp_path, status="accepted")
    assert accepted == {"One": [seeded["a1"], seeded["b1"]], "Two": [], "Three": []}
    rejected = _spans(project, tmp_path, status="rejected")
    assert rejected["One"] == [seeded["a2"]]
    pending = _spans(project, tmp_path, status="pending")
    assert pending["Two"] == [seeded["b2"], seeded["g1"]] and pending["One"] == []
    out, _ = export_to(project, "jsonl", tmp_path / "s", ExportFilters(status="accepted"))
    statuses = {s["id"]: s["status"] for d in _lines(out) for s in d["spans"]}  # type: ignore[attr-defined]
    assert statuses == {seeded["a1"]: "accepted", seeded["b1"]: "accepted"}


def test_user_label_and_document_filters_combine(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    assert _spans(project, tmp_path, users=("gold",))["Two"] == [seeded["g1"]]
    both = _spans(project, tmp_path, users=("alice", "bob"), labels=("claim",))
    assert both == {"One": [seeded["a1"]], "Two": [seeded["b2"]], "Three": []}
    only = _spans(project, tmp_path, documents=("2", "Three"))
    assert list(only) == ["Two", "Three"]
    with pytest.raises(AnnotatorError, match="no document"):
        _spans(project, tmp_path, documents=("nope",))


def test_done_only_means_done_by_a_selected_user_or_anyone(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    assert list(_spans(project, tmp_path, done_only=True)) == ["One", "Two"]
    assert list(_spans(project, tmp_path, done_only=True, users=("alice",))) == ["One"]
    assert list(_spans(project, tmp_path, done_only=True, users=("gold",))) == []


def test_unknown_status_is_refused() -> None:
    with pytest.raises(AnnotatorError, match="unknown status"):
        ExportFilters(status="approved")


def test_parse_split() -> None:
    assert parse_split("train=0.8, dev=0.1,test=0.1") == [
        ("train", 0.8), ("dev", 0.1), ("test", 0.1)
    ]
    for bad in ("train=0.8", "train=x", "=1", "a=0.5,a=0.5", "a=0,b=1", "a b=1"):
        with pytest.raises(AnnotatorError):
            parse_split(bad)


def test_split_is_by_document_reproducible_and_complete() -> None:
    documents = [SelectedDocument(i, f"{i:08d}-0000-0000-0000-000000000000") for i in range(101)]
    parts = [("train", 0.8), ("dev", 0.1), ("test", 0.1)]
    one = split_documents(documents, parts, seed=7)
    shuffled_input = split_documents(list(reversed(documents)), parts, seed=7)
    assert {k: {d.pk for d in v} for k, v in one.items()} == {
        k: {d.pk for d in v} for k, v in shuffled_input.items()
    }
    assert [len(one[k]) for k in ("train", "dev", "test")] == [81, 10, 10]
    assert sorted(d.pk for k in one for d in one[k]) == list(range(101))
    assert all(one[k] == sorted(one[k], key=lambda d: d.pk) for k in one)
    assert split_documents(documents, parts, seed=8) != one


def test_split_export_writes_one_file_per_part(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    result = export_dataset(
        project, "jsonl", tmp_path / "data.jsonl", split="train=0.67,test=0.33", seed=1
    )
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".data", "data")))
    assert names == ["data-test.jsonl", "data-train.jsonl"]
    assert not (tmp_path / "data.jsonl").exists()
    assert [o.part for o in result.outputs] == ["train", "test"]
    assert result.documents == 3
    again = export_dataset(
        project, "jsonl", tmp_path / "again.jsonl", split="train=0.67,test=0.33", seed=1
    )
    assert [o.documents for o in again.outputs] == [o.documents for o in result.outputs]
    assert (tmp_path / "again-train.jsonl").read_bytes() == (
        tmp_path / "data-train.jsonl"
    ).read_bytes()


def test_split_of_a_folder_format_uses_sub_folders(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    export_dataset(project, "brat", tmp_path / "brat", split="train=0.5,dev=0.5")
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == ["dev", "train"]
    assert (tmp_path / "brat" / "train" / "annotation.conf").is_file()


def test_cancelled_export_leaves_nothing(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []

    def cancel(done: int, total: int) -> bool:
        calls.append((done, total))
        return False

    with pytest.raises(AnnotatorError, match="cancelled"):
        export_dataset(project, "csv", tmp_path / "out.csv", progress=cancel)
    assert calls == [(0, 3)]
    assert sorted(p.name for p in tmp_path.iterdir() if "out" in p.name) == []


def test_failed_export_keeps_the_old_file_and_leaves_no_temporary(
    project: Project, seeded: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old", encoding="utf-8")
    from annotator.formats import jsonl

    def broken(*_args: object) -> dict[str, object]:
        raise AnnotatorError("disk full")

    monkeypatch.setattr(jsonl, "document_object", broken)
    with pytest.raises(AnnotatorError, match="disk full"):
        export_dataset(project, "jsonl", out)
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if "out" in p.name) == ["out.jsonl"]


def test_progress_reaches_the_total(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []
    export_dataset(
        project, "jsonl", tmp_path / "p.jsonl", progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)


def test_folder_with_foreign_files_is_not_replaced(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(AnnotatorError, match="holds other files"):
        export_dataset(project, "brat", folder)
    assert (folder / "thesis.docx").read_bytes() == b"precious"
    export_dataset(project, "brat", tmp_path / "fresh")
    export_dataset(project, "brat", tmp_path / "fresh")  # our own export is replaced
    assert len(list((tmp_path / "fresh").glob("*.ann"))) == 3


def test_export_streams_in_document_order_across_batches(project: Project, tmp_path: Path) -> None:
    # More annotations than one fetch batch, over documents added in an interleaved way.
    first = project.add_document("x " * 3000, "First")
    second = project.add_document("y " * 3000, "Second")
    from annotator.formats.model import IncomingAnnotation, IncomingDocument
    from annotator.service.ingest import ingest

    incoming = [
        IncomingDocument(line=0, id=doc, annotations=[
            IncomingAnnotation(id=f"{n:08d}-1111-4111-8111-{index:012d}", start=2 * n,
                               end=2 * n + 1, label="claim", line=0, annotator="alice")
            for n in range(2500)
        ])
        for index, doc in enumerate((second, first))
    ]
    with project._transaction() as session:
        ingest(session, incoming, user="alice")
    out, result = export_to(project, "jsonl", tmp_path / "big")
    lines = _lines(out)
    assert [d["title"] for d in lines] == ["First", "Second"]
    assert result.annotations == 5000
    for document in lines:
        starts = [s["start"] for s in document["spans"]]  # type: ignore[index]
        assert starts == sorted(starts) and len(starts) == 2500


def test_exports_get_the_usual_file_mode(
    project: Project, seeded: dict[str, str], tmp_path: Path
) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        export_dataset(project, "csv", tmp_path / "mode.csv")
        export_dataset(project, "brat", tmp_path / "mode-brat")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "mode.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "mode-brat").stat().st_mode) == 0o755
