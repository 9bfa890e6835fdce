"""A language's rules as compiled patterns, built once from its lexicon (``lexicons/XX.json``).

The lexicon holds the words (reporting verbs in their tenses, speaker nouns, attribution
phrases, months, units); this module holds the one shape of the patterns every language
shares, so adding a language is adding a JSON file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from annotator.errors import AnnotatorError
from annotator.suggest.claim_check import ClaimCheck, build_check

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŽ"
_WORD = r"[\w’'\-]+"
_CAPWORD = rf"[{UPPER}][\w’'\-]*"


def alternation(words: list[str], *, ignore_case: bool = False) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any white space."""
    escaped = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    body = "|".join(escaped)
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


@dataclass(frozen=True)
class Grammar:
    """One language's compiled patterns and word sets (see ``rules.py`` for their use)."""

    language: str
    confidence: dict[str, float]
    verb: re.Pattern[str]
    speaker_before: re.Pattern[str]
    speaker_after: re.Pattern[str]
    speaker_at: re.Pattern[str]
    speaker_any: re.Pattern[str]
    after_quote: re.Pattern[str]
    before_quote: re.Pattern[str]
    that_clause: re.Pattern[str]
    clause_tail: re.Pattern[str]
    according_to: re.Pattern[str]
    according_after: re.Pattern[str]
    view_of: re.Pattern[str]
    passive: re.Pattern[str]
    passive_bare: re.Pattern[str]
    participle: re.Pattern[str]
    quotes: re.Pattern[str]
    boundary: re.Pattern[str]
    facts: re.Pattern[str]
    stopwords: frozenset[str]
    abbreviations: frozenset[str]
    not_speakers: frozenset[str]
    pronouns: frozenset[str]
    determiners: frozenset[str]
    null_subject: bool
    claim_check: ClaimCheck


def _speaker(lex: dict[str, Any]) -> str:
    """A speaker: a name, or a determiner + speaker noun (+ a short complement), with an
    optional apposition (``the leader of X, Jane Doe,`` / ``Jane Doe, the leader of X,``)."""
    particles = alternation(lex["name_particles"])
    titles = alternation(lex["titles"])
    name = rf"(?:{titles}\s+)?{_CAPWORD}(?:\s+(?:{particles}\s+)?{_CAPWORD}){{0,5}}"
    dets = alternation(lex["determiners"], ignore_case=True)
    heads = alternation(lex["speaker_heads"], ignore_case=True)
    preps = alternation(lex["source_prepositions"])
    # Before the speaker noun: a determiner and up to three words, or up to two capitalised
    # words ("North Korean officials"); after it: one adjective ("o ministro israelita") and
    # one complement whose words past the first are capitalised or particles ("a source in
    # the province", "a spokesperson for North Korea's Ministry of Foreign Affairs").
    desc = (
        rf"(?:{dets}\s+(?:{_WORD}\s+){{0,3}}?|(?:{_CAPWORD}\s+){{0,2}})"
        rf"{heads}(?![\w\-])(?:\s+[a-zà-ÿ][\w\-]*){{0,1}}?(?:\s+{name})?"
        rf"(?:\s+{preps}\s+(?:{dets}\s+)?{_WORD}(?:\s+[a-zà-ÿ][\w\-]*)??"
        rf"(?:\s+(?:{particles}\s+)?{_CAPWORD}){{0,4}})?"
    )
    return rf"(?<![\w\-])(?:{desc}(?:,\s+{name},)?|{name}(?:,\s+{desc},)?)"


def build(lex: dict[str, Any]) -> Grammar:
    verbs = alternation(lex["reporting_verbs"])
    speaker = _speaker(lex)
    who = lex["who_clause"]
    pronouns = alternation(lex["pronouns"])
    adverb = r"(?:\w+ly|also|then|later|again|ainda|hoje|ontem|também|já)"
    that = lex["complementizer"]
    # Next to a quotation any determiner + noun names its speaker ("the engineer said").
    loose = rf"(?<![\w\-]){alternation(lex['determiners'], ignore_case=True)}\s+{_WORD}"
    gap = rf"(?:\s+{adverb})?(?:\s+{alternation(lex.get('addressee', []) or ['to'])}\s+{_WORD})?"
    closers = "".join(re.escape(pair[1]) for pair in lex["quotes"])
    # speaker + verb right before a point: "X said", "X, who ..., said", "X also said"
    speaker_before = re.compile(
        rf"(?P<speaker>{speaker})(?:,\s+{who}\s+[^,.;:\n]{{1,120}},)?\s+(?:{adverb}\s+)?$"
    )
    speaker_after = re.compile(
        rf"(?P<speaker>{speaker})(?=\s*(?:[.,;:!?\n{closers}]|$)|\s+(?:{alternation(_STOPPERS)})\b)"
    )
    after_quote = re.compile(
        rf"[,]?\s*(?:(?P<pronoun>{pronouns})\s+(?:{adverb}\s+)?(?P<pverb>{verbs})\b"
        rf"|(?P<verb>{verbs}){gap}\s+(?:{pronouns}\b|(?P<speaker>{speaker}|{loose})"
        rf"(?=\s*(?:[.,;:!?\n]|$)|\s+(?:{alternation(_STOPPERS)})\b))"
        rf"|(?P<nverb>{verbs})(?:\s+(?:{adverb}))?\s*[.;\n]"
        rf"|(?P<speaker2>{speaker}|{loose})\s+(?:{adverb}\s+)?(?P<verb2>{verbs})\b)"
    )
    participles = alternation(lex["participles"])
    before_quote = re.compile(
        rf"(?:(?P<speaker>{speaker})\s+(?:{adverb}\s+)?(?:{verbs})"
        rf"|(?P<participle>{participles}))(?:\s+{that})?\s*[:,]?\s*$"
    )
    that_clause = re.compile(
        rf"(?:,[^,.;:\n]{{1,40}},|(?:\s+{_WORD}){{0,4}}?)\s+{that}\s+(?=\S)"
    )
    clause_tail = re.compile(
        rf",\s+(?:(?P<speaker>{speaker})\s+(?:{adverb}\s+)?(?:{verbs})"
        rf"|(?:{verbs}){gap}\s+(?P<speaker2>{speaker}))"
        rf"(?:\s+(?:{alternation(_STOPPERS)})\b[^.,;:!?\n]{{0,40}})?\s*[.!]?\s*$"
    )
    according = alternation(lex["according_to"], ignore_case=True)
    according_to = re.compile(rf"(?:{according})\s+(?P<source>[^,.;:\n]{{2,100}}?),\s+")
    # "Para o ministro, …" / "In the view of X, …": a sentence opening naming whose view it is.
    view_of = re.compile(
        rf"(?:{alternation(lex.get('view_of', []) or ['(?!)'], ignore_case=True)})\s+"
        rf"(?P<source>[^,.;:\n]{{2,100}}?),\s+"
    )
    according_after = re.compile(
        rf",\s+(?:{according})\s+(?P<source>[^,.;:\n]{{2,100}}?)\s*[.!]?\s*$"
    )
    passive = re.compile(
        rf"(?:{alternation(lex['passive_reported'], ignore_case=True)})\s+"
        rf"(?P<source>{speaker})\s+{that}\s+"
    )
    passive_bare = re.compile(
        rf"(?:{alternation(lex['passive_unattributed'], ignore_case=True)})\s+"
    )
    participle = re.compile(rf",\s+(?:{participles})(?:\s+{that})?\s+(?=\S)")
    # A pair is an opening mark and the marks that may close it ("“" closes with "”" or,
    # mistyped, with a straight '"').
    quotes = re.compile("|".join(
        rf"{re.escape(o)}(?P<q{i}>[^{re.escape(o)}{re.escape(c)}\n]{{2,2000}}?)"
        rf"(?:[{re.escape(c)}]|(?=\n)|$)"
        for i, (o, c) in enumerate(lex["quotes"])
    ))
    boundary = re.compile(r"[.!?…]+[\"”»’)]*[ \t]+|\n+")
    return Grammar(
        language=lex["language"],
        confidence=dict(lex["confidence"]),
        verb=re.compile(rf"\b(?:{verbs})\b"),
        speaker_before=speaker_before,
        speaker_after=speaker_after,
        speaker_at=re.compile(speaker),
        speaker_any=re.compile(rf"(?P<speaker>{speaker})"),
        after_quote=after_quote,
        before_quote=before_quote,
        that_clause=that_clause,
        clause_tail=clause_tail,
        according_to=according_to,
        according_after=according_after,
        view_of=view_of,
        passive=passive,
        passive_bare=passive_bare,
        participle=participle,
        quotes=quotes,
        boundary=boundary,
        facts=_facts(lex),
        stopwords=frozenset(lex["stopwords"]),
        abbreviations=frozenset(lex["abbreviations"]),
        not_speakers=frozenset(lex["not_speakers"]) | frozenset(lex["months"])
        | frozenset(lex["weekdays"]) | frozenset(lex["generic_speakers"]),
        pronouns=frozenset(lex["pronouns"]),
        determiners=frozenset(w.lower() for w in lex["determiners"]),
        null_subject=bool(lex.get("null_subject", False)),
        claim_check=build_check(lex.get("claim_check"), [*lex["months"], *lex["weekdays"]]),
    )


# Words after which an inverted speaker phrase ends: "said the minister on Monday".
_STOPPERS = ["on", "in", "at", "during", "today", "yesterday", "earlier", "later", "last",
             "this", "adding", "told", "em", "na", "no", "numa", "num", "hoje", "ontem",
             "durante", "à", "ao", "aos", "perante", "esta", "este", "citado", "citada",
             "acrescentando", "sublinhando", "referindo", "frisando", "defendendo", "que",
             "who", "after", "before", "when", "while", "após", "antes", "quando"]


def _facts(lex: dict[str, Any]) -> re.Pattern[str]:
    months = alternation(lex["months"])
    weekdays = alternation(lex["weekdays"], ignore_case=True)
    joiner = lex.get("day_month_joiner")
    day_month = (
        rf"\d{{1,2}}\s+{joiner}\s+{months}(?:\s+{joiner}\s+\d{{4}})?" if joiner
        else rf"\d{{1,2}}\s+{months}(?:\s+\d{{4}})?"
    )
    date = (
        rf"(?:{weekdays},?\s+)?(?:{months}\s?,?\s*\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
        rf"|{day_month}|{months}\s+\d{{4}})"
    )
    year_preps = alternation(lex["year_prepositions"], ignore_case=True)
    currency = alternation(lex["currency_symbols"])
    units = alternation(lex["figure_units"], ignore_case=True)
    figure = (
        rf"(?:{currency}\s?\d[\d.,]*\d?(?:\s+(?:{units}))?"
        rf"|\d[\d.,]*\d?\s?(?:{units})(?!\w))"
    )
    events = alternation(lex["named_events"])
    return re.compile(
        rf"\b(?P<date>{date})|\b(?P<event>{events})(?!\w)|(?<![\w$€£¥])(?P<figure>{figure})"
        rf"|\b{year_preps}\s+(?P<year>(?:1[5-9]|20)\d\d)\b"
    )


LANGUAGES = ("en", "pt")


@cache
def grammar(language: str) -> Grammar:
    """The compiled grammar of ``language`` (compiled once per process)."""
    if language not in LANGUAGES:
        raise AnnotatorError(
            f"no suggestion rules for language {language!r} (available: {', '.join(LANGUAGES)})"
        )
    text = resources.files("annotator.suggest").joinpath(f"lexicons/{language}.json").read_text(
        encoding="utf-8"
    )
    return build(json.loads(text))
