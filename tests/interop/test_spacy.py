"""spaCy (extra ``annotator[spacy]``): its ``DocBin`` reads the spacy export with every
annotation in ``doc.spans`` and the non-overlapping ones in ``doc.ents`` (what
``spacy train`` learns NER from), and ``spacy convert --converter ner`` reads the CoNLL
export into one Doc per document with the entities at their tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.interop.conftest import Awkward, check_token_entities, document_of_tokens

spacy = pytest.importorskip(
    "spacy", reason="spaCy is not installed (extra annotator[spacy]); spaCy tests skipped")


def _docs(path: Path) -> list[Any]:
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab))


def test_docbin_spans_hold_every_annotation(awkward: Awkward) -> None:
    out, result = awkward.export("spacy")
    docs = _docs(out)
    assert len(docs) == result.documents == len(awkward.texts)
    by_text = {text: document_id for document_id, text in awkward.texts.items()}
    found = sorted(
        (by_text[doc.text], span.start_char, span.end_char, span.label_, span.text)
        for doc in docs for span in doc.spans["sc"]
    )
    assert found == sorted(
        (r.document_id, r.start, r.end, r.label, awkward.passage(r)) for r in awkward.annotations
    )


def test_docbin_ents_hold_the_annotations_that_overlap_no_other(awkward: Awkward) -> None:
    out, _ = awkward.export("spacy")
    by_text = {text: document_id for document_id, text in awkward.texts.items()}
    truth = {(r.document_id, r.start, r.end, r.label) for r in awkward.annotations}
    found = {
        (by_text[doc.text], ent.start_char, ent.end_char, ent.label_)
        for doc in _docs(out) for ent in doc.ents
    }
    assert found <= truth
    alone = {
        (r.document_id, r.start, r.end, r.label) for r in awkward.annotations
        if not any(o.document_id == r.document_id and o.id != r.id
                   and o.start < r.end and r.start < o.end for o in awkward.annotations)
    }
    assert alone <= found


def test_spacy_convert_reads_the_conll_export(awkward: Awkward, tmp_path: Path) -> None:
    from spacy.cli.convert import convert

    out, result = awkward.export("conll")
    convert(out, tmp_path, file_type="spacy", converter="ner", silent=True)
    docs = _docs(tmp_path / f"{out.stem}.spacy")
    assert len(docs) == len(awkward.texts)  # one Doc per -DOCSTART- document
    entities = []
    for doc in docs:
        words = tuple(token.text for token in doc)
        document_id = document_of_tokens(awkward, words)
        entities.extend((document_id, words, ent.start, ent.end, ent.label_) for ent in doc.ents)
    assert len(entities) == result.annotations
    check_token_entities(awkward, entities)
