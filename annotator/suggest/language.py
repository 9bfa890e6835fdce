"""Which lexicon a text needs: counts of each language's most common words, nothing more."""

from __future__ import annotations

import re

from annotator.suggest.grammar import LANGUAGES, grammar

_TOKEN = re.compile(r"\w+")
_SAMPLE = 20_000


def detect_language(text: str) -> str:
    """The language ("en" or "pt") whose stop words are most frequent in the text's start.

    Deterministic; a tie (or a text without any) goes to English.
    """
    words = _TOKEN.findall(text[:_SAMPLE].lower())
    best, best_hits = LANGUAGES[0], 0
    for language in LANGUAGES:
        stopwords = grammar(language).stopwords
        hits = sum(1 for word in words if word in stopwords)
        if hits > best_hits:
            best, best_hits = language, hits
    return best
