"""CoNLL: valid IOB2 read back by an independent reader, stated precedence, honest counts."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import Project
from annotator.formats.conll import DROPPED, NO_TOKEN, WIDENED
from annotator.formats.tokens import sentence_breaks, tokens
from tests.core.formats_support import export_to
from tests.project_files import new_project

Sentence = list[tuple[str, str]]


def read_conll(data: str) -> list[list[Sentence]]:
    """A plain CoNLL 2003 reader: documents of sentences of (token, tag)."""
    documents: list[list[Sentence]] = []
    sentence: Sentence = []
    for line in data.split("\n"):
        if line == "-DOCSTART- -X- O O":
            documents.append([])
            continue
        if line == "":
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            continue
        token, tag = line.split("\t")
        assert re.fullmatch(r"O|[BI]-\S+", tag), tag
        sentence.append((token, tag))
    assert not sentence
    return documents


def entities(text: str, sentences: list[Sentence]) -> list[tuple[int, int, str]]:
    """Entity character spans, aligning tokens to the text by searching left to right;
    fails on an I- tag without its B- (invalid IOB2)."""
    found: list[tuple[int, int, str]] = []
    at = 0
    for sentence in sentences:
        previous = "O"
        for token, tag in sentence:
            start = text.index(token, at)
            assert text[at:start].strip() == ""
            at = start + len(token)
            if tag.startswith("B-"):
                found.append((start, at, tag[2:]))
            elif tag.startswith("I-"):
                assert previous != "O" and previous[2:] == tag[2:], "I- without its B-"
                found[-1] = (found[-1][0], at, found[-1][2])
            previous = tag
    assert text[at:].strip() == ""
    return found


def test_layout_sentences_and_tags(project: Project, tmp_path: Path) -> None:
    text = "Officials said the dam is safe. Critics 😀 disagree!\r\nNew line here"
    document_id = project.add_document(text, "Dam")
    project.add_annotation(document_id, 0, 9, "source")
    project.add_annotation(document_id, 15, 30, "claim")  # "the dam is safe"
    project.add_annotation(document_id, 15, 22, "fact")  # overlaps: dropped (claim is first)
    project.add_annotation(document_id, 34, 38, "fact")  # "itic": widened to "Critics"
    out, result = export_to(project, "conll", tmp_path)
    data = out.read_text(encoding="utf-8")
    # The CoNLL-2003 separator line verbatim: spaCy's converter looks for exactly this text.
    assert data.startswith("-DOCSTART- -X- O O\n\nOfficials\tB-source\nsaid\tO\nthe\tB-claim\n")
    [document] = read_conll(data)
    assert [len(s) for s in document] == [7, 4, 3]
    assert entities(text, document) == [(0, 9, "source"), (15, 30, "claim"), (32, 39, "fact")]
    assert result.lossy == {DROPPED: 1, WIDENED: 1}
    assert result.annotations == 3


def test_a_sentence_never_ends_inside_an_annotation(project: Project, tmp_path: Path) -> None:
    text = "One. Two.\nThree"
    document_id = project.add_document(text, "S")
    project.add_annotation(document_id, 0, 15, "claim")
    out, _ = export_to(project, "conll", tmp_path)
    [document] = read_conll(out.read_text(encoding="utf-8"))
    assert len(document) == 1 and entities(text, document) == [(0, 15, "claim")]


def test_tokens_and_sentence_rule() -> None:
    text = "Dr. Smith arrived! Then\tleft...  Fin?\r\nEnd"
    starts, ends = tokens(text)
    words = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    assert words == ["Dr", ".", "Smith", "arrived", "!", "Then", "left", ".", ".", ".", "Fin",
                     "?", "End"]
    breaks = sentence_breaks(text, starts, ends)
    ends_after = [w for w, b in zip(words, breaks, strict=True) if b]
    assert ends_after == [".", "!", ".", "?", "End"]


PIECES = ["word", "🙂", "東京", "e\u0301", ". ", "! ", "\r\n", "\n", "\t", "  ", ",", "x_1"]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_any_annotations_give_valid_iob2_and_honest_counts(data: st.DataObject) -> None:
    text = "Go " + "".join(data.draw(st.lists(st.sampled_from(PIECES), max_size=25)))
    spans = data.draw(st.lists(
        st.integers(0, len(text) - 1).flatmap(
            lambda s: st.tuples(st.just(s), st.integers(s + 1, len(text)),
                                st.sampled_from(["claim", "source", "fact"]))),
        max_size=6, unique=True))  # an identical annotation is refused
    with tempfile.TemporaryDirectory() as folder, \
            new_project(Path(folder) / "p.db", "a") as project:
        document_id = project.add_document(text, "T")
        for start, end, label in spans:
            project.add_annotation(document_id, start, end, label)
        out, result = export_to(project, "conll", Path(folder))
        [document] = read_conll(out.read_text(encoding="utf-8"))
        found = entities(text, document)
        assert len(found) == result.annotations
        assert result.annotations + result.lossy[DROPPED] + result.lossy[NO_TOKEN] == len(spans)
        exact = {(s, e, label) for s, e, label in spans}
        starts, ends = tokens(text)
        for start, end, label in found:
            assert start in starts and end in ends
            if (start, end, label) not in exact:
                assert result.lossy[WIDENED] > 0
