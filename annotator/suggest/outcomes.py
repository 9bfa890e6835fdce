"""What analysts did with suggestions: plain records and the per-rule tally.

A suggestion an analyst decided on is one :class:`SuggestionOrigin` (accepted: the
annotation it became; rejected: none), a suggested link one :class:`LinkOrigin` (the
relation it became, or none). :func:`rule_outcomes` and :func:`link_outcomes` count them
per rule, a proposal (document, analyst, rule, and label and span, or type and both ends)
once, by its latest decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ACCEPTED, REJECTED = "accepted", "rejected"
ANNOTATION, LINK = "annotation", "link"
"""What a :class:`RuleOutcome` counts: proposed annotations or proposed links."""
SUGGESTER = "suggester"
"""The name the suggester goes by as a virtual annotator in agreement."""


@dataclass(frozen=True, slots=True)
class SuggestionOrigin:
    """One analyst's decision on one suggestion. ``annotation_id`` is the annotation an
    accepted one became (None for rejected); ``kept`` says that annotation is still live."""

    id: str
    document_id: str
    outcome: str
    rule: str
    confidence: float | None
    label: str
    start: int
    end: int
    annotator: str
    created: datetime
    annotation_id: str | None = None
    kept: bool = False


@dataclass(frozen=True, slots=True)
class LinkOrigin:
    """One analyst's decision on one suggested link, from the annotation at ``source``
    (label, start, end) to the one at ``target``. ``relation_id`` is the relation an
    accepted one became (None for rejected); ``kept`` says that relation is still live."""

    id: str
    document_id: str
    outcome: str
    rule: str
    confidence: float | None
    type: str
    source: tuple[str, int, int]
    target: tuple[str, int, int]
    annotator: str
    created: datetime
    relation_id: str | None = None
    kept: bool = False


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """How one rule's proposals fared: ``decided`` distinct proposals an analyst accepted
    or rejected (proposals nobody acted on are not stored), ``accepted`` of them,
    ``kept`` (accepted and the annotation, or relation, still there), ``rejected``.
    ``kind`` says whether they are proposed annotations or links."""

    rule: str
    decided: int
    accepted: int
    kept: int
    rejected: int
    kind: str = ANNOTATION

    @property
    def kept_rate(self) -> float:
        """``kept / decided`` (0 when nothing was decided)."""
        return self.kept / self.decided if self.decided else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "kind": self.kind, "decided": self.decided,
                "accepted": self.accepted, "kept": self.kept, "rejected": self.rejected,
                "kept_rate": round(self.kept_rate, 4)}


def rule_outcomes(origins: Iterable[SuggestionOrigin]) -> list[RuleOutcome]:
    """Per rule (sorted by name), each proposed annotation counted once by its latest
    decision; an accepted proposal is kept when any annotation accepting it is still live."""
    return _tally(((o.document_id, o.annotator, o.rule, o.label, o.start, o.end), o.created,
                   o.id, o.rule, o.outcome, o.kept) for o in origins)


def link_outcomes(origins: Iterable[LinkOrigin]) -> list[RuleOutcome]:
    """:func:`rule_outcomes` for suggested links: a link is one proposal per document,
    analyst, rule, type and both ends."""
    return _tally((((o.document_id, o.annotator, o.rule, o.type, o.source, o.target),
                    o.created, o.id, o.rule, o.outcome, o.kept) for o in origins), LINK)


_Decision = tuple[tuple[Any, ...], datetime, str, str, str, bool]


def _tally(decisions: Iterable[_Decision], kind: str = ANNOTATION) -> list[RuleOutcome]:
    """Decisions are (proposal key, created, id, rule, outcome, kept)."""
    latest: dict[tuple[Any, ...], _Decision] = {}
    live: set[tuple[Any, ...]] = set()
    for decision in sorted(decisions, key=lambda d: (d[1], d[2])):
        key = decision[0]
        latest[key] = decision
        if decision[5]:
            live.add(key)
    tally: dict[str, list[int]] = {}
    for key, (_key, _created, _id, rule, outcome, _kept) in latest.items():
        counts = tally.setdefault(rule, [0, 0, 0, 0])
        counts[0] += 1
        if outcome == ACCEPTED:
            counts[1] += 1
            counts[2] += key in live
        else:
            counts[3] += 1
    return [RuleOutcome(rule, decided, accepted, kept, rejected, kind)
            for rule, (decided, accepted, kept, rejected) in sorted(tally.items())]
