"""brat: LF texts, fragments at line breaks, notes, configuration, and brat's own corpus."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator import Project
from annotator.formats.brat import fragments
from annotator.formats.brat_escapes import escape_note, unescape
from annotator.formats.model import FileRefused
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to

TEXT = "Officials 😀 said\r\nthe dam\u2028is safe.\rOK\n"


def _brat_passages(folder: Path, name: str) -> list[tuple[str, str]]:
    """(recorded passage, passage from the .txt) per T line and per way a reader opens the
    .txt: with universal newlines (brat v1.3, pybrat, bioc) and as it is (brat's master)."""
    with open(folder / f"{name}.txt", encoding="utf-8", newline=None) as handle:
        universal = handle.read()
    exact = (folder / f"{name}.txt").read_bytes().decode("utf-8")
    pairs = []
    for line in (folder / f"{name}.ann").read_bytes().decode("utf-8").split("\n"):
        if line.startswith("T"):
            _tid, spec, passage = line.split("\t")
            offsets = spec.split(" ", 1)[1]
            runs = [tuple(map(int, part.split())) for part in offsets.split(";")]
            for text in (universal, exact):
                pairs.append((passage, " ".join(text[s:e] for s, e in runs)))
    return pairs


def test_text_fragments_notes_and_conf(project: Project, tmp_path: Path) -> None:
    document_id = project.add_document(TEXT, "Dam")
    project.add_annotation(document_id, 0, 16, "claim", note="line\nbreak\tand \\ back")
    project.add_annotation(document_id, 12, 25, "fact")  # crosses CRLF
    project.add_annotation(document_id, 22, 34, "source")  # crosses U+2028
    project.add_label("two words")
    project.add_annotation(document_id, 35, 38, "two words")  # ends with a line break
    out, result = export_to(project, "brat", tmp_path)
    lf_text = TEXT.replace("\r\n", "\n").replace("\r", "\n")
    assert (out / f"{document_id}.txt").read_bytes() == lf_text.encode("utf-8")
    ann = (out / f"{document_id}.ann").read_text(encoding="utf-8").splitlines()
    assert ann[0] == "T1\tclaim 0 16\tOfficials 😀 said"
    assert ann[1] == "#1\tAnnotatorNotes T1\tline\\nbreak\\tand \\\\ back"
    assert ann[2] == "T2\tfact 12 16;17 24\tsaid the dam"
    assert ann[3] == "T3\tsource 21 24;25 33\tdam is safe."
    assert ann[4] == "T4\ttwo_words 34 36\tOK"
    for recorded, from_text in _brat_passages(out, document_id):
        assert recorded == from_text
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert conf.startswith("[entities]\nclaim\nsource\nfact\ntwo_words\n")
    for section in ("[relations]", "[events]", "[attributes]"):
        assert section in conf
    visual = (out / "visual.conf").read_text(encoding="utf-8")
    assert "claim\tbgColor:#E69F00" in visual and "two_words | two words" in visual
    assert result.lossy == {
        "annotation(s) starting or ending with a line break: written without it": 1,
        "label 'two words' written as brat type 'two_words' (visual.conf keeps its name)": 1,
        "note(s) with line breaks, tabs or \\: written with \\ escapes": 1,
        "document(s) with CRLF or CR line breaks: .txt written with LF, offsets counted in it": 1,
    }


def test_fragments_split_at_every_line_break() -> None:
    text = "ab\r\ncd\x85ef\u2029\ng"
    assert fragments(text, 0, len(text)) == [(0, 2), (4, 6), (7, 9), (11, 12)]
    assert fragments(text, 2, 4) == []
    assert fragments(text, 1, 5) == [(1, 2), (4, 5)]


@given(st.text())
def test_note_escapes_round_trip_and_stay_on_one_line(note: str) -> None:
    escaped = escape_note(note)
    assert unescape(escaped) == note
    assert escaped.splitlines() == ([escaped] if escaped else [])
    assert "\t" not in escaped


def test_brat_tutorial_corpus(project: Project, corpora: Path, tmp_path: Path) -> None:
    folder = corpora / "brat-tutorial-news"
    result = import_annotations(project, folder, "brat")
    assert result.counts.documents_created == 13
    assert result.counts.added == 119
    assert result.skipped == {
        "brat attributes (not part of the project)": 11,
        "brat equivalences (not part of the project)": 2,
        "brat events (not part of the project)": 23,
        "brat normalizations (not part of the project)": 1,
        "note(s) on relations, events or other non-text-bound lines": 2,
        ".txt file(s) without an .ann beside them": 1,
    }
    # Every R line is a relation between its two T lines.
    assert result.counts.relations_added == 8
    assert result.counts.relation_types_created == ["Origin", "Family", "Located", "Employment"]
    spans = {a.id: a for a in project.annotations()}
    kinds = Counter((r.type, spans[r.from_id].label, spans[r.to_id].label)
                    for r in project.relations())
    assert kinds == {("Family", "Person", "Person"): 3, ("Located", "Person", "GPE"): 3,
                     ("Employment", "Person", "GPE"): 1, ("Origin", "Organization", "GPE"): 1}
    names = [label.name for label in project.labels()]
    assert names[:7] == ["claim", "source", "fact", "Person", "Organization", "GPE", "Money"]
    colors = {label.name: label.color for label in project.labels()}
    assert [colors[n] for n in ("Person", "Organization", "GPE", "Money")] == [
        "#FF821C", "#A7C2FF", "#FFD412", "#007000"]
    notes = {a.note for a in project.annotations() if a.note}
    assert notes == {"100000000 USD", "Should fictional places be annotated?"}
    by_title = {d.title: d.id for d in project.documents()}
    google = project.annotations(by_title["040-text_span_annotation"])[0]
    assert (google.start, google.end, google.label) == (184, 190, "Organization")
    assert project.document(by_title["040-text_span_annotation"]).text[184:190] == "Google"
    again = import_annotations(project, folder, "brat")
    assert again.counts.added == 0 and again.counts.unchanged == 119
    # Exported again, every offset is still what brat computes from the .txt.
    out, _ = export_to(project, "brat", tmp_path / "out")
    for ann in out.glob("*.ann"):
        for recorded, from_text in _brat_passages(out, ann.stem):
            assert recorded == from_text


def test_discontinuous_spans_become_one_and_bad_passages_refuse(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "doc.txt").write_text("Alpha beta gamma", encoding="utf-8")
    (folder / "doc.ann").write_text("T1\tPerson 0 5;11 16\tAlpha gamma\n", encoding="utf-8")
    result = import_annotations(project, folder, "brat")
    [annotation] = project.annotations()
    assert (annotation.start, annotation.end, annotation.label) == (0, 16, "Person")
    assert sum(v for k, v in result.skipped.items() if k.startswith("discontinuous")) == 1
    (folder / "doc.ann").write_text("T1\tPerson 0 5\tAlpha\nT2\tGPE 6 10\tbeat\n", encoding="utf-8")
    with pytest.raises(FileRefused, match=r"doc.ann:2: recorded passage 'beat'"):
        import_annotations(project, folder, "brat")
    (folder / "doc.ann").write_text("T1\tPerson 0 99\tAlpha\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="fall outside the text"):
        import_annotations(project, folder, "brat")
    assert len(project.annotations()) == 1


def test_export_edited_in_brat_comes_back_into_its_project(
    project: Project, tmp_path: Path
) -> None:
    document_id = project.add_document("Alpha beta gamma.", "Doc")
    first = project.add_annotation(document_id, 0, 5, "claim")
    out, _ = export_to(project, "brat", tmp_path)
    copy = tmp_path / "edited"
    shutil.copytree(out, copy)
    ann = copy / f"{document_id}.ann"
    ann.write_text(
        ann.read_text(encoding="utf-8")
        + "#1\tAnnotatorNotes T1\tchecked\nT2\tfact 6 10\tbeta\n", encoding="utf-8"
    )
    result = import_annotations(project, copy, "brat")
    assert (result.counts.added, result.counts.updated) == (1, 1)
    assert project.annotation(first).note == "checked"
    assert [a.label for a in project.annotations()] == ["claim", "fact"]


def test_reimporting_matches_annotations_by_content_not_by_place_in_the_file(
    project: Project, tmp_path: Path
) -> None:
    """brat cannot hold the line break that starts the first annotation, so the export has
    two annotations at 4-8: importing it keeps each note on its own annotation."""
    document_id = project.add_document("D0 \nword", "Doc")
    edge = project.add_annotation(document_id, 3, 8, "fact", note="n")
    inner = project.add_annotation(document_id, 4, 8, "fact", note="z")
    out, _ = export_to(project, "brat", tmp_path)
    assert (out / f"{document_id}.ann").read_text(encoding="utf-8").splitlines() == [
        "T1\tfact 4 8\tword", "#1\tAnnotatorNotes T1\tn",
        "T2\tfact 4 8\tword", "#2\tAnnotatorNotes T2\tz"]
    result = import_annotations(project, out, "brat")
    # The edge annotation comes back as a twin of `inner` (same annotator, span and label):
    # one annotator never holds two, so it is folded into the one the project has, and no
    # annotation of the project changes.
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (0, 0, 1)
    assert result.counts.folded == 1
    assert (project.annotation(edge).note, project.annotation(inner).note) == ("n", "z")
    assert project.check() == []


def test_a_renumbered_t_id_does_not_move_the_annotation_it_named(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "doc.txt").write_text("Alpha beta gamma", encoding="utf-8")
    (folder / "doc.ann").write_text("T1\tPerson 6 10\tbeta\n", encoding="utf-8")
    import_annotations(project, folder, "brat")
    [beta] = project.annotations()
    # A new first line takes T1; the annotation that was T1 is now T2.
    (folder / "doc.ann").write_text("T1\tGPE 0 5\tAlpha\nT2\tPerson 6 10\tbeta\n",
                                    encoding="utf-8")
    result = import_annotations(project, folder, "brat")
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (1, 0, 1)
    assert project.annotation(beta.id) == beta
    assert sorted((a.start, a.end, a.label) for a in project.annotations()) == [
        (0, 5, "GPE"), (6, 10, "Person")]
