"""Tokens of agreement: the vectorised tokenizer equals the regular expression."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement import TOKEN_PATTERN, mark_tokens, tokenize


def regex_tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]


def as_list(text: str) -> list[tuple[int, int]]:
    starts, ends = tokenize(text)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def test_pattern_is_the_contract() -> None:
    assert TOKEN_PATTERN.pattern == r"\w+|[^\w\s]"


def test_every_code_point_is_classified_like_re() -> None:
    # Spaced out, each code point is its own run, so a misclassified one shows.
    text = " ".join(chr(c) for c in range(0x110000))
    assert as_list(text) == regex_tokens(text)


def test_every_code_point_joined_like_re() -> None:
    text = "".join(chr(c) for c in range(0x110000))
    assert as_list(text) == regex_tokens(text)


def test_emoji_cjk_and_combining_marks() -> None:
    text = "Cafe\u0301 🙂👍🏽 東京は晴れ。 naïve_x 𝔘nicode ١٢٣ e\u0301t\u00e9!"
    assert as_list(text) == regex_tokens(text)
    words = [text[s:e] for s, e in as_list(text)]
    assert "🙂" in words and "東京は晴れ" in words and "。" in words and "١٢٣" in words
    # A combining mark is not \w, so it is a token of its own (contract: the regex).
    assert words[:2] == ["Cafe", "\u0301"]


def test_empty_and_blank_text() -> None:
    assert as_list("") == []
    assert as_list(" \n\t\u3000") == []


@given(st.text())
def test_any_text_matches_regex(text: str) -> None:
    assert as_list(text) == regex_tokens(text)


@given(st.text(alphabet="ab .,\u0301字🙂\n", max_size=40), st.data())
def test_marking_matches_brute_force(text: str, data: st.DataObject) -> None:
    n = len(text)
    spans = data.draw(st.lists(
        st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda t: (min(t), max(t))),
        max_size=6))
    starts, ends = tokenize(text)
    marked = mark_tokens(starts, ends, np.array([s for s, _ in spans], dtype=np.int64),
                         np.array([e for _, e in spans], dtype=np.int64))
    expected = [any(s < te and ts < e for s, e in spans)
                for ts, te in zip(starts.tolist(), ends.tolist(), strict=True)]
    assert marked.tolist() == expected
