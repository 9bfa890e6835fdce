"""spaCy export: every span lands on token boundaries at the annotation's exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats.model import ExportSpan

spacy = pytest.importorskip("spacy")

from annotator.formats.spacy_format import aligned_doc  # noqa: E402

PIECES = ["word", "Kim", "“all", "means”", "🙂", "東京", "e\u0301", "\r\n", "\n\n", "\n",
          "\t", " ", "  ", ".", ",", "'s", "-", "U.S."]


def _span(number: int, start: int, end: int) -> ExportSpan:
    return ExportSpan(f"id{number}", start, end, "claim", "alice", None, "t", "t", "pending")


@st.composite
def texts_and_spans(draw: st.DrawFn) -> tuple[str, list[ExportSpan]]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25)))
    bounds = st.integers(0, len(text))
    spans = []
    for number, (a, b) in enumerate(draw(st.lists(st.tuples(bounds, bounds), max_size=6))):
        if a != b:
            spans.append(_span(number, min(a, b), max(a, b)))
    return text, spans


def test_mid_word_and_space_edges_are_exact() -> None:
    nlp = spacy.blank("xx")
    text = "the Worker’s Party were told.\nAccording to"
    spans = [_span(0, 3, 21), _span(1, 15, 24), _span(2, 26, 35), _span(3, 4, 13)]
    doc = aligned_doc(nlp, text, spans)
    assert doc.text == text
    for s in spans:
        span = doc.char_span(s.start, s.end, alignment_mode="strict")
        assert span is not None and span.text == text[s.start : s.end]


@settings(max_examples=60, deadline=None)
@given(case=texts_and_spans())
def test_every_span_is_on_token_boundaries(case: tuple[str, list[ExportSpan]]) -> None:
    text, spans = case
    doc = aligned_doc(spacy.blank("xx"), text, spans)
    assert doc.text == text
    for s in spans:
        span = doc.char_span(s.start, s.end, alignment_mode="strict")
        assert span is not None
        assert (span.start_char, span.end_char) == (s.start, s.end)
