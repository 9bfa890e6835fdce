"""brat and CRLF / lone CR texts: offsets every reader agrees on, both ways.

brat v1.3 and the Python readers (pybrat, bioc) open a ``.txt`` with universal newlines;
brat's master reads it as it is. The proof here is Python's own ``open(newline=None)``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import annotator
from annotator import Project
from annotator.formats.brat import CRLF_AS_ONE, REWRITTEN
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to

CRLF = "Officials said\r\nthe dam is safe.\r\nCritics 😀 disagree.\r\n"
LONE_CR = "One line\rtwo línes\r\rthree\r"


def _annotate(project: Project, text: str) -> str:
    document_id = project.add_document(text, "Lines")
    for match in re.finditer(r"\w+", text):
        project.add_annotation(document_id, match.start(), match.end(), "claim")
    # Across every line break, with a note: written as fragments.
    project.add_annotation(document_id, 0, len(text.rstrip("\r\n")), "fact", note="all")
    return document_id


def _universal_passages(folder: Path, name: str) -> list[tuple[str, list[str]]]:
    """(recorded passage, the fragments' texts) per T line, the .txt read as pybrat does."""
    with open(folder / f"{name}.txt", encoding="utf-8", newline=None) as handle:
        text = handle.read()
    found = []
    for line in (folder / f"{name}.ann").read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            _tid, spec, passage = line.split("\t")
            runs = [tuple(map(int, part.split())) for part in spec.split(" ", 1)[1].split(";")]
            found.append((passage, [text[s:e] for s, e in runs]))
    return found


def test_crlf_and_lone_cr_texts_are_written_with_lf_and_offsets_in_it(
    project: Project, tmp_path: Path
) -> None:
    ids = [_annotate(project, text) for text in (CRLF, LONE_CR)]
    out, result = export_to(project, "brat", tmp_path / "out")
    assert result.lossy[REWRITTEN] == 2
    for document_id, text in zip(ids, (CRLF, LONE_CR), strict=True):
        assert b"\r" not in (out / f"{document_id}.txt").read_bytes()
        passages = _universal_passages(out, document_id)
        assert len(passages) == len(project.annotations(document_id))
        for recorded, pieces in passages:
            assert recorded == " ".join(pieces)
            assert all(piece and "\n" not in piece for piece in pieces)
        words = sorted(recorded for recorded, pieces in passages if len(pieces) == 1)
        assert words == sorted(re.findall(r"\w+", text))


def test_the_lf_export_goes_back_onto_the_crlf_texts(project: Project, tmp_path: Path) -> None:
    ids = [_annotate(project, text) for text in (CRLF, LONE_CR)]
    before = {(a.id, a.start, a.end, a.label, a.note) for a in project.annotations()}
    out, _ = export_to(project, "brat", tmp_path / "out")
    back = import_annotations(project, out, "brat")
    assert (back.counts.documents_created, back.counts.added, back.counts.updated) == (0, 0, 0)
    assert back.counts.unchanged == len(before)
    assert {(a.id, a.start, a.end, a.label, a.note) for a in project.annotations()} == before
    # Renamed, the files name no document: the text with universal newlines finds it.
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for number, document_id in enumerate(ids):
        for suffix in (".txt", ".ann"):
            shutil.copy(out / f"{document_id}{suffix}", renamed / f"article-{number}{suffix}")
    again = import_annotations(project, renamed, "brat")
    assert (again.counts.documents_created, again.counts.documents_matched) == (0, 2)
    assert (again.counts.added, again.counts.updated) == (0, 0)
    assert [project.document(i).text for i in ids] == [CRLF, LONE_CR]
    # A project without these documents gets them as the .txt holds them.
    with annotator.open_project(tmp_path / "other.db", user="importer") as other:
        import_annotations(other, out, "brat")
        assert other.document(ids[0]).text == CRLF.replace("\r\n", "\n")
        assert len(other.annotations()) == len(before)


def test_a_crlf_txt_with_offsets_counting_crlf_as_one_is_read(
    project: Project, tmp_path: Path
) -> None:
    """As brat v1.3 writes a CRLF document: offsets in the text with universal newlines."""
    text = "Alpha\r\nbeta\r\ngamma delta\r\n"
    existing = project.add_document(text, "Greek")
    folder = tmp_path / "v13"
    folder.mkdir()
    (folder / "greek.txt").write_bytes(text.encode("utf-8"))
    (folder / "greek.ann").write_bytes(
        b"T1\tPerson 0 5\tAlpha\nT2\tPerson 6 10\tbeta\nT3\tGPE 11 22\tgamma delta\n"
        b"T4\tGPE 6 10;11 16\tbeta gamma\n#1\tAnnotatorNotes T3\tplace\n"
    )
    result = import_annotations(project, folder, "brat")
    assert result.skipped[CRLF_AS_ONE] == 1
    assert (result.counts.documents_matched, result.counts.added) == (1, 4)
    found = sorted((a.start, a.end, a.label, a.note) for a in project.annotations(existing))
    assert found == [(0, 5, "Person", None), (7, 11, "Person", None),
                     (7, 18, "GPE", None), (13, 24, "GPE", "place")]
    assert [text[s:e] for s, e, _, _ in found] == [
        "Alpha", "beta", "beta\r\ngamma", "gamma delta"]
