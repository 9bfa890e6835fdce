"""spaCy import: DocBins made by spaCy itself (entities in ``doc.ents``) arrive whole and exact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator import Project
from annotator.formats.spacy_format import SEEN_BEFORE
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to

spacy = pytest.importorskip("spacy", reason="spaCy is not installed (extra annotator[spacy])")

from spacy.tokens import DocBin  # noqa: E402

TEXT = "Kim 🙂 met 東京 officials in Washington D.C. on Monday.\nThe U.N. agreed."
ENTITIES = [("Kim", "PERSON"), ("東京", "GPE"), ("Washington D.C.", "GPE"), ("Monday", "DATE"),
            ("U.N.", "ORG")]


def _entities_doc() -> object:
    doc = spacy.blank("en")(TEXT)
    spans = []
    for passage, label in ENTITIES:
        start = TEXT.index(passage)
        span = doc.char_span(start, start + len(passage), label=label)
        assert span is not None, passage
        spans.append(span)
    doc.ents = spans
    return doc


def test_entities_in_doc_ents_import_with_exact_offsets(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "ents.spacy"
    DocBin(docs=[_entities_doc()]).to_disk(path)
    result = import_annotations(project, path, "spacy")
    assert result.counts.added == len(ENTITIES)
    assert result.read_from == {"annotation(s) from doc.ents": len(ENTITIES)}
    assert result.skipped == {}
    [info] = project.documents()
    assert project.document(info.id).text == TEXT
    found = sorted((a.start, a.end, a.label) for a in project.annotations())
    expected = sorted((TEXT.index(p), TEXT.index(p) + len(p), label) for p, label in ENTITIES)
    assert found == expected
    assert {a.annotator for a in project.annotations()} == {"alice"}
    assert import_annotations(project, path, "spacy").counts.unchanged == len(ENTITIES)


def test_a_span_in_a_group_and_in_doc_ents_is_read_once(project: Project, tmp_path: Path) -> None:
    doc = _entities_doc()
    doc.spans["sc"] = [doc.ents[0]]  # type: ignore[attr-defined]
    doc.spans["ruler"] = [doc.ents[1], doc.char_span(0, 9, label="claim")]  # type: ignore[attr-defined]
    path = tmp_path / "both.spacy"
    DocBin(docs=[doc]).to_disk(path)
    result = import_annotations(project, path, "spacy")
    assert result.counts.added == len(ENTITIES) + 1
    assert result.read_from == {"annotation(s) from doc.spans['sc']": 1,
                                "annotation(s) from doc.spans['ruler']": 2,
                                "annotation(s) from doc.ents": len(ENTITIES) - 2}
    assert result.skipped == {SEEN_BEFORE: 2}


def test_spacy_convert_output_imports_every_entity(project: Project, tmp_path: Path) -> None:
    document_id = project.add_document("Officials said the dam is safe. Critics disagree!", "Dam")
    project.add_annotation(document_id, 0, 9, "source")
    project.add_annotation(document_id, 15, 30, "claim")
    project.add_annotation(document_id, 32, 39, "source")
    conll, _ = export_to(project, "conll", tmp_path / "export")
    converted = tmp_path / "converted"
    converted.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(conll), str(converted), "-c", "ner"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    docs = list(DocBin().from_disk(converted / "data.spacy").get_docs(spacy.blank("xx").vocab))
    with annotator.open_project(tmp_path / "fresh.db", user="bob") as fresh:
        result = import_annotations(fresh, converted / "data.spacy", "spacy")
        assert result.read_from == {"annotation(s) from doc.ents": 3}
        [info] = fresh.documents()
        text = fresh.document(info.id).text
        assert text == docs[0].text
        found = sorted((text[a.start : a.end], a.label) for a in fresh.annotations())
        assert found == sorted((e.text, e.label_) for e in docs[0].ents)
        assert found == sorted([("Officials", "source"), ("the dam is safe", "claim"),
                                ("Critics", "source")])
