"""Precision and recall of proposed links and spans against careful annotations.

The matching rule (issue P8): a proposed ``attributed_to`` link is right when its source
overlaps a true source of the link (any of its mentions) and its claim overlaps the true
claim by at least half of the longer one's tokens. Tokens are the matches of
``\\w+|[^\\w\\s]``, as in agreement. Matching is one to one: a second proposal for a link
already found counts as wrong.

With ``same_name`` a source also matches when its text repeats one of the true source's
mentions word for word (ignoring case) elsewhere in the document: ClaimPT gives one or two
mentions of a claimer, not always the one next to the claim.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.suggest.records import ATTRIBUTED_TO, Suggestions

_TOKEN = re.compile(r"\w+|[^\w\s]")
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldLink:
    """A true claim and every mention of its source (any of them may be matched)."""

    claim: Span
    sources: tuple[Span, ...]


@dataclass(slots=True)
class Tally:
    proposed: int = 0
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.proposed if self.proposed else None


@dataclass(slots=True)
class Score:
    """Per rule and overall: how many were proposed, how many were right, and recall."""

    gold: int = 0
    found: int = 0
    overall: Tally = field(default_factory=Tally)
    rules: dict[str, Tally] = field(default_factory=dict)

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    def count(self, rule: str, right: bool) -> None:
        """One proposal of ``rule``, right or not."""
        for tally in (self.rules.setdefault(rule, Tally()), self.overall):
            tally.proposed += 1
            tally.correct += int(right)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.overall.proposed += other.overall.proposed
        self.overall.correct += other.overall.correct
        for rule, tally in other.rules.items():
            mine = self.rules.setdefault(rule, Tally())
            mine.proposed += tally.proposed
            mine.correct += tally.correct


class Tokens:
    """Token counts of any span of one text, by bisection."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _TOKEN.finditer(text)]
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def count(self, start: int, end: int) -> int:
        """Tokens lying wholly inside ``[start, end)``."""
        if end <= start:
            return 0
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_right(self._ends, end)
        return max(0, last - first)


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def claims_match(tokens: Tokens, proposed: Span, true: Span) -> bool:
    """The claim half of the rule: shared tokens ≥ half the longer span's tokens."""
    shared = tokens.count(max(proposed[0], true[0]), min(proposed[1], true[1]))
    longer = max(tokens.count(*proposed), tokens.count(*true))
    return longer > 0 and 2 * shared >= longer


def source_matches(text: str, proposed: Span, true: Sequence[Span], same_name: bool = False
                   ) -> bool:
    """The source half of the rule: ``proposed`` overlaps one of the true mentions (or,
    with ``same_name``, repeats one of them)."""
    if any(overlaps(proposed, mention) for mention in true):
        return True
    if not same_name:
        return False
    name = _normal(text[proposed[0]:proposed[1]])
    return any(_normal(text[start:end]) == name for start, end in true)


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def score_links(text: str, suggestions: Suggestions, gold: Sequence[GoldLink], *,
                same_name: bool = False) -> Score:
    """Score every proposed ``attributed_to`` link of one document, per rule and overall."""
    tokens = Tokens(text)
    score = Score(gold=len(gold))
    taken: set[int] = set()
    links = [r for r in suggestions.relations if r.type == ATTRIBUTED_TO]
    links.sort(key=lambda r: -suggestions.annotations[r.source].confidence)
    for link in links:
        claim = suggestions.annotations[link.source]
        source = suggestions.annotations[link.target]
        hit = next((i for i, g in enumerate(gold) if i not in taken
                    and source_matches(text, (source.start, source.end), g.sources, same_name)
                    and claims_match(tokens, (claim.start, claim.end), g.claim)), None)
        score.count(link.rule, hit is not None)
        if hit is not None:
            taken.add(hit)
    score.found = len(taken)
    return score


def score_spans(suggestions: Suggestions, label: str, gold: Iterable[Span]) -> Score:
    """Proposed spans of ``label`` against true ones: right when they overlap (one to one)."""
    truth = list(gold)
    score = Score(gold=len(truth))
    taken: set[int] = set()
    for proposal in suggestions.annotations:
        if proposal.label != label:
            continue
        hit = next((i for i, g in enumerate(truth)
                    if i not in taken and overlaps((proposal.start, proposal.end), g)), None)
        score.count(proposal.rule, hit is not None)
        if hit is not None:
            taken.add(hit)
    score.found = len(taken)
    return score
