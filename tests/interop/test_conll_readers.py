"""CoNLL: nltk's ``ConllCorpusReader`` reads the tokens of every document, and seqeval
(strict IOB2) finds exactly the annotations the export says it wrote, at their offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interop.conftest import Awkward, check_token_entities, document_of_tokens

Sentence = list[tuple[str, str]]


def nltk_documents(out: Path) -> list[list[Sentence]]:
    """The file as nltk reads it: sentences of (token, tag), grouped by ``-DOCSTART-``
    (nltk drops that row, leaving an empty sentence where each document starts)."""
    conll = pytest.importorskip(
        "nltk.corpus.reader.conll", reason="nltk (the interop extra) is not installed")
    import nltk.data

    # nltk reads corpora only under its data path (its guard against planted files).
    nltk.data.path.append(str(out.parent))
    try:
        # nltk names the second of two columns only as "pos"; here it holds the IOB2 tag.
        reader = conll.ConllCorpusReader(
            str(out.parent), [out.name], ("words", "pos"), encoding="utf-8")
        documents: list[list[Sentence]] = []
        for sentence in reader.tagged_sents():
            if not sentence:
                documents.append([])
            else:
                assert documents, "tokens before the first -DOCSTART-"
                documents[-1].append(list(sentence))
    finally:
        nltk.data.path.remove(str(out.parent))
    return documents


def test_nltk_reads_every_document_token_for_token(awkward: Awkward) -> None:
    out, result = awkward.export("conll")
    documents = nltk_documents(out)
    assert len(documents) == result.documents == len(awkward.texts)
    found = [document_of_tokens(awkward, tuple(w for s in d for w, _t in s)) for d in documents]
    assert sorted(found) == sorted(awkward.texts)


def test_seqeval_strict_iob2_finds_exactly_the_written_annotations(awkward: Awkward) -> None:
    scheme = pytest.importorskip(
        "seqeval.scheme", reason="seqeval (the interop extra) is not installed")
    out, result = awkward.export("conll")
    entities = []
    for document in nltk_documents(out):
        words = tuple(w for sentence in document for w, _tag in sentence)
        document_id = document_of_tokens(awkward, words)
        offset = 0
        # Strict IOB2: an invalid prefix raises; an I- without its B- is no entity, so the
        # count below catches it.
        for sentence, found in zip(
            document,
            scheme.Entities([[tag for _w, tag in s] for s in document], scheme.IOB2).entities,
            strict=True,
        ):
            entities.extend(
                (document_id, words, offset + e.start, offset + e.end, e.tag) for e in found)
            offset += len(sentence)
    assert len(entities) == result.annotations
    mapping = check_token_entities(awkward, entities)
    assert set(mapping) == {r.label for r in awkward.annotations}
    assert result.annotations + sum(result.lossy.values()) == len(awkward.annotations)
