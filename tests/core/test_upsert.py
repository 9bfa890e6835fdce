"""One upsert engine: bundles, project files and formats follow the same written rule."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from annotator import AnnotatorError, Project
from annotator.models import Annotation, AnnotationVersion, Annotator, Label
from tests.core.review_support import TEXT, open_at


def stored(project: Project) -> set[tuple[object, ...]]:
    """Every annotation row (tombstones too), times included, by id."""
    with project._reading() as session:
        rows = session.execute(
            select(Annotation.id, Annotation.start, Annotation.end, Label.name, Annotator.name,
                   Annotation.note, Annotation.deleted, Annotation.created, Annotation.updated)
            .join(Label, Annotation.label_id == Label.id)
            .join(Annotator, Annotation.annotator_id == Annotator.id)
        )
        return {tuple(row) for row in rows}


def history(project: Project) -> list[tuple[object, ...]]:
    with project._reading() as session:
        rows = session.execute(
            select(AnnotationVersion.annotation_id, AnnotationVersion.label,
                   AnnotationVersion.start, AnnotationVersion.end, AnnotationVersion.reason)
            .order_by(AnnotationVersion.id))
        return [tuple(row) for row in rows]


def test_undo_after_a_merge_cannot_destroy_a_colleagues_version(tmp_path: Path) -> None:
    """The issue's reproduction at the core: alice tags "mayor" claim, relabels it source;
    bob (reviewing) relabels it fact; alice merges bob's bundle; her undo of the relabel
    (back to claim) must not silently destroy bob's fact."""
    alice = open_at(tmp_path / "alice.db", "alice")
    document = alice.add_document(TEXT, "News")
    start = TEXT.index("minister")
    mayor = alice.add_annotation(document, start, start + 8, "claim")
    before_relabel = alice.annotation(mayor)
    after_relabel = alice.update_annotation(mayor, label="source")
    alice.bundle(tmp_path / "alice.zip")
    with open_at(tmp_path / "bob.db", "bob") as bob:
        bob.merge(tmp_path / "alice.zip")
        bob.update_annotation(mayor, label="fact", as_reviewer=True)
        bob.bundle(tmp_path / "bob.zip")
    alice.merge(tmp_path / "bob.zip")
    assert alice.annotation(mayor).label == "fact"
    # What the GUI's undo of the relabel does: put the label back, expecting its own state.
    with pytest.raises(AnnotatorError, match="changed meanwhile"):
        alice.update_annotation(mayor, label=before_relabel.label, expect=after_relabel)
    assert alice.annotation(mayor).label == "fact"
    labels_kept = {row[1] for row in history(alice) if row[0] == mayor}
    assert {"claim", "source"} <= labels_kept
    alice.close()


def test_equal_times_break_ties_by_content_not_by_text_order(tmp_path: Path) -> None:
    """ingest used to compare repr() strings, so "(10, …" lost to "(9, …" and a jsonl file
    and a bundle carrying the same version could end differently."""
    base = tmp_path / "base.db"
    with open_at(base, "alice") as project:
        document = project.add_document(TEXT, "News")
        a = project.add_annotation(document, 9, 14, "claim")
        mine = project.annotation(a)
    for via in ("jsonl", "bundle"):
        path = tmp_path / f"{via}.db"
        shutil.copy(base, path)
        theirs = tmp_path / "theirs.db"
        shutil.copy(base, theirs)
        with open_at(theirs, "alice") as other:
            # Another version with exactly the same time: start 10 ranks above start 9.
            with other._transaction() as session:
                row = session.get(Annotation, a)
                assert row is not None
                row.start = 10
            other.export("jsonl", tmp_path / "theirs.jsonl") if via == "jsonl" else other.bundle(
                tmp_path / "theirs.zip")
        with open_at(path, "alice") as project:
            if via == "jsonl":
                project.import_annotations(tmp_path / "theirs.jsonl", "jsonl")
            else:
                project.merge(tmp_path / "theirs.zip")
            assert project.annotation(a).start == 10, via
            assert project.annotation(a).updated == mine.updated
        theirs.unlink()


spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(["claim", "source", "fact"]),
              st.one_of(st.none(), st.text(max_size=8))),
    max_size=6,
)
edits = st.lists(
    st.tuples(st.integers(0, 20), st.sampled_from(["claim", "source", "fact"]),
              st.integers(0, 3)),
    max_size=6,
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(base=spans, later=spans, changes=edits)
@example(base=[(0, 5, "claim", None)], later=[(0, 5, "claim", None)], changes=[(0, "fact", 2)])
def test_the_same_work_as_a_bundle_or_as_jsonl_gives_the_same_database(
    tmp_path_factory: object, base: list[tuple[int, int, str, str | None]],
    later: list[tuple[int, int, str, str | None]], changes: list[tuple[int, str, int]],
) -> None:
    folder = tmp_path_factory.mktemp("work")  # type: ignore[attr-defined]
    start = folder / "start.db"
    with open_at(start, "alice") as project:
        document = project.add_document(TEXT, "News")
        for s, length, label, note in base:
            with contextlib.suppress(AnnotatorError):  # a twin of an earlier one
                project.add_annotation(document, s, s + length, label, note=note)
    work = folder / "work.db"
    shutil.copy(start, work)
    with open_at(work, "alice") as project:
        for s, length, label, note in later:
            with contextlib.suppress(AnnotatorError):
                project.add_annotation(document, s, s + length, label, note=note)
        current = project.annotations(document)
        for index, label, grow in changes:
            if not current:
                break
            target = current[index % len(current)]
            with contextlib.suppress(AnnotatorError):
                project.update_annotation(target.id, label=label, end=min(
                    target.end + grow, len(TEXT)))
        project.export("jsonl", folder / "work.jsonl")
        project.bundle(folder / "work.zip")
        expected = {row for row in stored(project) if not row[6]}
    results = []
    for via in ("jsonl", "bundle"):
        target = folder / f"{via}.db"
        shutil.copy(start, target)
        with open_at(target, "alice") as project:
            if via == "jsonl":
                project.import_annotations(folder / "work.jsonl", "jsonl")
            else:
                project.merge(folder / "work.zip")
            results.append({row for row in stored(project) if not row[6]})
            assert project.check() == []
    assert results[0] == results[1] == expected


def test_twins_from_two_copies_are_folded_the_same_way_on_both_sides(tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    with open_at(base, "alice") as project:
        document = project.add_document(TEXT, "News")
    shutil.copy(base, tmp_path / "laptop.db")
    shutil.copy(base, tmp_path / "desktop.db")
    ids = {}
    for name in ("laptop", "desktop"):
        with open_at(tmp_path / f"{name}.db", "alice") as project:
            ids[name] = project.add_annotation(document, 0, 3, "claim")
            project.bundle(tmp_path / f"{name}.zip")
    survivor = min(ids.values())
    for name, other in (("laptop", "desktop"), ("desktop", "laptop")):
        with open_at(tmp_path / f"{name}.db", "alice") as project:
            report = project.merge(tmp_path / f"{other}.zip")
            assert report.folded == 1
            assert "duplicates folded: 1" in report.lines()
            assert [a.id for a in project.annotations(document)] == [survivor]
            assert project.check() == []
            again = project.merge(tmp_path / f"{other}.zip")
            assert (again.annotations_added, again.annotations_updated, again.folded) == (0, 0, 0)


def test_jsonl_import_folds_an_identical_annotation_and_reports_it(tmp_path: Path) -> None:
    with open_at(tmp_path / "p.db", "alice") as project:
        document = project.add_document(TEXT, "News")
        project.add_annotation(document, 0, 3, "claim")
        record = {"id": document, "text": TEXT, "spans": [
            {"id": "5b7c3a1e-0000-4000-8000-000000000001", "start": 0, "end": 3,
             "label": "claim", "annotator": "alice"}]}
        path = tmp_path / "twin.jsonl"
        path.write_bytes(orjson.dumps(record) + b"\n")
        result = project.import_annotations(path, "jsonl")
        assert result.counts.folded == 1
        assert len(project.annotations(document)) == 1
        assert project.check() == []
