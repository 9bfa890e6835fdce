"""Sentences, quotations and trimming: the units the rules work on (code point offsets)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from annotator.suggest.grammar import Grammar

_EDGE = " \t\n\r\u00a0.,;:!?\"“”«»‘’'…-–—"
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``open`` at its opening mark, ``inner`` its text, ``close`` past its
    closing mark (an unclosed quotation runs to the end of its paragraph)."""

    open: int
    inner_start: int
    inner_end: int
    close: int
    closed: bool


class Sentences:
    """Sentence spans of a text, found once; lookups by offset are a bisection."""

    def __init__(self, text: str, grammar: Grammar, start: int = 0, end: int | None = None):
        end = len(text) if end is None else end
        starts = [start]
        ends: list[int] = []
        abbreviations = grammar.abbreviations
        for match in grammar.boundary.finditer(text, start, end):
            cut = match.start()
            if text[cut] == ".":
                # "Oct. 23", "Mr. Kim": an abbreviation ends no sentence.
                word_start = cut
                while word_start > start and not text[word_start - 1].isspace():
                    word_start -= 1
                if text[word_start:cut + 1] in abbreviations:
                    continue
                nxt = match.end()
                if nxt < end and text[nxt].islower():
                    continue
            ends.append(match.end() if text[match.start()] == "\n" else match.start() + 1)
            starts.append(match.end())
        ends.append(end)
        self.spans = [(s, e) for s, e in zip(starts, ends, strict=True) if e > s]
        self._starts = [s for s, _ in self.spans]

    def around(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``."""
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.spans[index] if self.spans else (0, 0)

    def index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)


def find_quotes(text: str, grammar: Grammar) -> list[Quote]:
    """Quotations of at least three words; an unclosed one only at a paragraph's start
    (the convention for a quotation running over several paragraphs)."""
    found: list[Quote] = []
    for match in grammar.quotes.finditer(text):
        group = match.lastgroup
        if group is None:
            continue
        inner_start, inner_end = match.span(group)
        closed = match.end() > inner_end
        if not closed and not _runs_on(text, match.start(), inner_end):
            continue
        if len(_WORDS.findall(text, inner_start, inner_end)) < 3:
            continue
        found.append(Quote(match.start(), inner_start, inner_end, match.end(), closed))
    return found


def _runs_on(text: str, start: int, end: int) -> bool:
    """An unclosed quotation counts when it opens a paragraph or the next paragraph opens
    with a quotation mark: the convention for a quotation over several paragraphs."""
    if start == 0 or text[start - 1] == "\n":
        return True
    return text[end + 1:end + 2] == text[start] if end < len(text) else False


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span past white space, punctuation and quotation marks at its edges."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def word_count(text: str, start: int, end: int) -> int:
    return len(_WORDS.findall(text, start, end))
