"""The seed articles, annotated, exported to every format and read by the tools' own rules."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from annotator import Project
from tests.core.formats_support import export_to
from tests.core.test_formats_brat import _brat_passages
from tests.core.test_formats_conll import entities, read_conll


@pytest.fixture
def seeded(project: Project, corpora: Path) -> Project:
    report = project.import_paths([corpora / "seeds"])
    assert report.imported == 2
    rng = random.Random(4)
    for info in project.documents():
        text = project.document(info.id).text
        words = [m.span() for m in re.finditer(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", text)]
        for start, end in rng.sample(words, 12):
            project.add_annotation(info.id, start, end, rng.choice(["claim", "source", "fact"]))
        sentences = [m.span() for m in re.finditer(r"[A-Z][^.\n]*\.", text)]
        for start, end in rng.sample(sentences, 3):  # overlaps some of the names
            project.add_annotation(info.id, start, end, "claim", note="checked \"twice\"")
    return project


def _truth(project: Project) -> dict[str, tuple[str, list[tuple[int, int, str]]]]:
    return {
        d.id: (project.document(d.id).text,
               [(a.start, a.end, a.label) for a in project.annotations(d.id)])
        for d in project.documents()
    }


def test_labelstudio_offsets_hold(seeded: Project, tmp_path: Path) -> None:
    out, _ = export_to(seeded, "labelstudio", tmp_path)
    truth = _truth(seeded)
    for task in json.loads(out.read_text(encoding="utf-8")):
        text, spans = truth[task["data"]["document_id"]]
        assert task["data"]["text"] == text
        found = sorted(
            (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
            for block in task["annotations"] for r in block["result"] if r["type"] == "labels"
        )
        assert found == sorted(spans)
        for block in task["annotations"]:
            for r in block["result"]:
                if r["type"] == "labels":
                    assert text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]


def test_brat_and_conll_offsets_hold(seeded: Project, tmp_path: Path) -> None:
    out, result = export_to(seeded, "brat", tmp_path / "brat")
    assert result.annotations == len(seeded.annotations()) and result.lossy == {}
    for ann in out.glob("*.ann"):
        for recorded, from_text in _brat_passages(out, ann.stem):
            assert recorded == from_text
    out, result = export_to(seeded, "conll", tmp_path / "conll")
    documents = read_conll(out.read_text(encoding="utf-8"))
    truth = list(_truth(seeded).values())
    assert len(documents) == len(truth)
    for (text, spans), sentences in zip(truth, documents, strict=True):
        # Whatever is written is an annotation of the project, at its exact offsets.
        assert set(entities(text, sentences)) <= set(spans)
    assert result.annotations + sum(result.lossy.values()) == len(seeded.annotations())


def test_spacy_and_json_ld_load(seeded: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out, result = export_to(seeded, "spacy", tmp_path / "spacy")
    truth = {text: set(spans) for text, spans in _truth(seeded).values()}
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert len(docs) == len(truth)
    exact = 0
    for doc in docs:
        spans = {(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]}
        exact += len(spans & truth[doc.text])
    assert not result.lossy
    assert exact == len(seeded.annotations())
    jsonld = pytest.importorskip("pyld.jsonld")
    from tests.core.test_formats_webannotation import SHARED

    context = json.loads((SHARED / "reference" / "anno.jsonld").read_text(encoding="utf-8"))
    out, _ = export_to(seeded, "webannotation", tmp_path / "wa")
    expanded = jsonld.expand(
        json.loads(out.read_text(encoding="utf-8")),
        {"documentLoader": lambda url, _o=None: {"contextUrl": None, "documentUrl": url,
                                                 "document": context}},
    )
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0][
        "http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == len(seeded.annotations())
