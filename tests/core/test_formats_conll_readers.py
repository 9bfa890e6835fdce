"""Our CoNLL export read by other tools' own code: spaCy's converter, nltk and seqeval."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator import Project
from tests.core.formats_support import export_to

DOCUMENTS = [
    ("Dam", "Officials said the dam is safe. Critics 😀 disagree!",
     [(0, 9, "source"), (15, 30, "claim"), (32, 39, "source")]),
    ("Minister", "The minister denied it.\nNobody believed him.",
     [(4, 12, "source"), (24, 43, "fact")]),
]


@pytest.fixture
def exported(project: Project, tmp_path: Path) -> Path:
    for title, text, spans in DOCUMENTS:
        document_id = project.add_document(text, title)
        for start, end, label in spans:
            project.add_annotation(document_id, start, end, label)
    out, result = export_to(project, "conll", tmp_path / "export")
    assert result.lossy == {}
    return out


def expected_entities() -> list[list[tuple[str, str]]]:
    """Per document, each annotation as (its tokens joined by spaces, label)."""
    return [[(" ".join(text[start:end].replace("\n", " ").split()).replace(".", " .").strip(),
              label) for start, end, label in spans]
            for _title, text, spans in DOCUMENTS]


def test_spacy_convert_splits_documents_at_the_separator(exported: Path, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is not installed (extra annotator[spacy])")
    from spacy.tokens import DocBin

    out = tmp_path / "converted"
    out.mkdir()
    # spaCy's default, --n-sents 1, makes one document per sentence unless the file has
    # document separators it recognises; with them it keeps our documents whole.
    run = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(exported), str(out), "--converter", "ner"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    assert "Document delimiters found" in run.stdout
    docs = list(DocBin().from_disk(out / "data.spacy").get_docs(spacy.blank("xx").vocab))
    assert all("-DOCSTART-" not in [t.text for t in doc] for doc in docs)
    assert len(docs) == len(DOCUMENTS)
    found = [[(ent.text, ent.label_) for ent in doc.ents] for doc in docs]
    assert found == expected_entities()


def test_nltk_and_seqeval_read_tokens_and_entities(
    exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nltk = pytest.importorskip("nltk", reason="nltk is not installed (test extra)")
    pytest.importorskip("seqeval", reason="seqeval is not installed (test extra)")
    from nltk.corpus.reader import ConllCorpusReader
    from seqeval.scheme import IOB2, Entities

    # nltk reads only below its data paths.
    monkeypatch.setattr(nltk.data, "path", [*nltk.data.path, str(exported.parent)])
    reader = ConllCorpusReader(str(exported.parent), [exported.name], ("words", "pos"))
    sentences = [s for s in reader.tagged_sents() if s]
    assert all(word != "-DOCSTART-" for s in sentences for word, _tag in s)
    # seqeval's strict IOB2 decoding: an I- without its B- would be dropped and the list differ.
    tags = [[tag for _word, tag in s] for s in sentences]
    entities = Entities(tags, IOB2).entities
    found = [(" ".join(w for w, _t in sentences[e.sent_id][e.start : e.end]), e.tag)
             for sentence in entities for e in sentence]
    assert found == [entity for document in expected_entities() for entity in document]
