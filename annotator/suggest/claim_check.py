"""How sure a proposed claim is: its rule's confidence, less what the language's lexicon says
makes a passage a weaker claim (``claim_check`` in ``lexicons/XX.json``).

A claim loses ``indirect`` when it is not in direct speech (not inside a quotation),
``fragment`` when it starts in lower case (part of a sentence), ``opinion`` when it holds an
opinion, obligation, hope, hypothesis or future marker, ``unverifiable`` when it holds no
factual marker (a figure, a date, a past tense), and ``exempt_source`` when its source is
one whose quotations the reference does not count as claims (``exempt_source_words``: for
ClaimPT, official sources taken as credible, such as the police or a court, reports, and
anonymous sources). Claims below ``min_confidence`` are not proposed. A language without
``claim_check`` keeps every claim at its rule's confidence.

Markers are words and phrases, word endings (``{"min_stem": 3, "endings": ["aram"]}``: a
word ending so with at least three letters before it) and opening words; the claim is split
into lower-case words once, so a check costs a few set look-ups per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PENALTIES = ("indirect", "fragment", "opinion", "unverifiable", "exempt_source")
_WORDS = re.compile(r"\w+(?:-\w+)*")


@dataclass(frozen=True)
class Markers:
    """Words, phrases (several words), word endings and opening words of one kind."""

    words: frozenset[str]
    phrases: tuple[str, ...]
    endings: tuple[str, ...]
    min_stem: int
    openings: frozenset[str]
    digits: bool
    exceptions: frozenset[str]

    def found(self, words: list[str], padded: str) -> bool:
        """Whether ``words`` (a claim's lower-case words; ``padded`` the same joined by
        spaces, with a space at each end) hold one of these markers."""
        if self.digits and any(w[0].isdigit() or w[-1].isdigit() for w in words):
            return True
        if words and words[0] in self.openings:
            return True
        for word in words:
            if word in self.exceptions:
                continue
            if word in self.words:
                return True
            if self.endings and word.endswith(self.endings) and any(
                    word.endswith(e) and len(word) - len(e) >= self.min_stem
                    for e in self.endings):
                return True
        return any(phrase in padded for phrase in self.phrases)


def _markers(lex: dict[str, Any], kind: str, extra_words: list[str]) -> Markers:
    words = [" ".join(_WORDS.findall(w.lower())) for w in (*lex.get(f"{kind}_words", []),
                                                          *extra_words)]
    endings = lex.get(f"{kind}_endings", {})
    return Markers(
        words=frozenset(w for w in words if " " not in w),
        phrases=tuple(f" {w} " for w in words if " " in w),
        endings=tuple(endings.get("endings", [])),
        min_stem=int(endings.get("min_stem", 1)),
        openings=frozenset(w.lower() for w in lex.get(f"{kind}_openings", [])),
        digits=bool(lex.get(f"{kind}_digits", False)),
        exceptions=frozenset(w.lower() for w in lex.get(f"not_{kind}", [])),
    )


@dataclass(frozen=True)
class ClaimCheck:
    min_confidence: float
    penalties: dict[str, float]
    opinion: Markers
    factual: Markers
    exempt_source: Markers

    def confidence(self, base: float, claim: str, direct: bool, floor: float = 0.0,
                   source: str = "") -> float:
        """``base`` (the rule's confidence) less the penalties ``claim`` (said by ``source``,
        the text of its proposed source, if any) earns, in [0, 1].

        A claim already under ``floor`` after the cheap checks is not read word by word
        (it will not be proposed, so how far under does not matter)."""
        penalty = self.penalties
        score = base
        if not direct:
            score -= penalty["indirect"]
        if claim[:1].islower():
            score -= penalty["fragment"]
        if source and penalty["exempt_source"]:
            words = _WORDS.findall(source.lower())
            if self.exempt_source.found(words, f" {' '.join(words)} "):
                score -= penalty["exempt_source"]
        if score >= floor and (penalty["opinion"] or penalty["unverifiable"]):
            words = _WORDS.findall(claim.lower())
            padded = f" {' '.join(words)} "
            if penalty["opinion"] and self.opinion.found(words, padded):
                score -= penalty["opinion"]
            if penalty["unverifiable"] and not self.factual.found(words, padded):
                score -= penalty["unverifiable"]
        return round(min(1.0, max(0.0, score)), 2)


def build_check(lex: dict[str, Any] | None, dates: list[str]) -> ClaimCheck:
    """The ``claim_check`` section of a lexicon (or one that changes nothing); ``dates``
    (month and weekday names) count as factual markers too."""
    lex = lex or {}
    penalties = {name: float(lex.get("penalties", {}).get(name, 0.0)) for name in _PENALTIES}
    return ClaimCheck(
        min_confidence=float(lex.get("min_confidence", 0.0)),
        penalties=penalties,
        opinion=_markers(lex, "opinion", []),
        factual=_markers(lex, "factual", dates if lex else []),
        exempt_source=_markers(lex, "exempt_source", []),
    )
