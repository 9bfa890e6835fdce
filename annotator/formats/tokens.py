"""Tokens and sentences for token-based formats (CoNLL).

Tokens are those of agreement: maximal runs of word characters (``\\w+``) and every other
non-space character on its own (``[^\\w\\s]``), so tokens never contain whitespace. A
sentence ends after a token ``.``, ``!`` or ``?`` that is followed by whitespace, and
wherever a line break (any character ``str.splitlines`` breaks at) separates two tokens.
"""

from __future__ import annotations

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_SENTENCE_END = frozenset(".!?")


def tokens(text: str) -> tuple[list[int], list[int]]:
    """``(starts, ends)`` code point offsets of the tokens of ``text``."""
    from annotator.agreement.tokens import tokenize  # numpy: only when tokens are needed

    starts, ends = tokenize(text)
    return starts.tolist(), ends.tolist()


def sentence_breaks(text: str, starts: list[int], ends: list[int]) -> list[bool]:
    """``breaks[i]`` is True when a sentence ends after token ``i`` (always after the last)."""
    breaks = []
    for index in range(len(starts)):
        if index == len(starts) - 1:
            breaks.append(True)
            continue
        gap = text[ends[index] : starts[index + 1]]
        if not gap:
            breaks.append(False)
        elif any(char in _LINE_BREAKS for char in gap):
            breaks.append(True)
        else:
            breaks.append(text[starts[index] : ends[index]] in _SENTENCE_END)
    return breaks
