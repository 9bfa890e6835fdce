"""How sure a proposed claim is: its rule's confidence, less what the language's lexicon says
makes a passage a weaker claim (``claim_check`` in ``lexicons/XX.json``).

A claim loses ``indirect`` when it is not in direct speech (not inside a quotation),
``fragment`` when it starts in lower case (part of a sentence), ``opinion`` when it holds an
opinion, obligation, hope, hypothesis or future marker, and ``unverifiable`` when it holds
no factual marker (a figure, a date, a past tense). Claims below ``min_confidence`` are not
proposed. A language without ``claim_check`` keeps every claim at its rule's confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PENALTIES = ("indirect", "fragment", "opinion", "unverifiable")


@dataclass(frozen=True)
class ClaimCheck:
    min_confidence: float
    penalties: dict[str, float]
    opinion: re.Pattern[str] | None
    factual: re.Pattern[str] | None
    not_factual: frozenset[str]

    def confidence(self, base: float, claim: str, direct: bool) -> float:
        """``base`` (the rule's confidence) less the penalties ``claim`` earns, in [0, 1]."""
        penalty = self.penalties
        score = base
        if not direct:
            score -= penalty.get("indirect", 0.0)
        if claim[:1].islower():
            score -= penalty.get("fragment", 0.0)
        if self.opinion is not None and self.opinion.search(claim):
            score -= penalty.get("opinion", 0.0)
        if penalty.get("unverifiable") and not self.is_factual(claim):
            score -= penalty["unverifiable"]
        return round(min(1.0, max(0.0, score)), 2)

    def is_factual(self, claim: str) -> bool:
        if self.factual is None:
            return False
        return any(m.group().lower() not in self.not_factual
                   for m in self.factual.finditer(claim))


def build_check(lex: dict[str, Any] | None, dates: list[str]) -> ClaimCheck:
    """The compiled ``claim_check`` section of a lexicon (or one that changes nothing);
    ``dates`` (month and weekday names) count as factual markers too."""
    lex = lex or {}
    penalties = {name: float(lex.get("penalties", {}).get(name, 0.0)) for name in _PENALTIES}
    return ClaimCheck(
        min_confidence=float(lex.get("min_confidence", 0.0)),
        penalties=penalties,
        opinion=_pattern(lex.get("opinion_words", []), lex.get("opinion_patterns", [])),
        factual=_pattern([*lex.get("factual_words", []), *(dates if lex else [])],
                         lex.get("factual_patterns", [])),
        not_factual=frozenset(w.lower() for w in lex.get("not_factual", [])),
    )


def _pattern(words: list[str], patterns: list[str]) -> re.Pattern[str] | None:
    """Whole words or phrases (any case, spaces matching any white space) and raw patterns."""
    escaped = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len,
                     reverse=True)
    parts = [rf"(?<![\w\-])(?:{'|'.join(escaped)})(?![\w\-])"] if escaped else []
    parts += patterns
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None
