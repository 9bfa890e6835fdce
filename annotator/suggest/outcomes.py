"""What analysts did with suggestions: plain records and the per-rule tally.

A suggestion an analyst decided on is one :class:`SuggestionOrigin` (accepted: the
annotation it became; rejected: none). :func:`rule_outcomes` counts them per rule, a
proposal (document, analyst, rule, label, span) once, by its latest decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ACCEPTED, REJECTED = "accepted", "rejected"
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
class RuleOutcome:
    """How one rule's proposals fared: ``decided`` distinct proposals an analyst accepted
    or rejected (proposals nobody acted on are not stored), ``accepted`` of them,
    ``kept`` (accepted and the annotation still there), ``rejected``."""

    rule: str
    decided: int
    accepted: int
    kept: int
    rejected: int

    @property
    def kept_rate(self) -> float:
        """``kept / decided`` (0 when nothing was decided)."""
        return self.kept / self.decided if self.decided else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "decided": self.decided, "accepted": self.accepted,
                "kept": self.kept, "rejected": self.rejected,
                "kept_rate": round(self.kept_rate, 4)}


def rule_outcomes(origins: Iterable[SuggestionOrigin]) -> list[RuleOutcome]:
    """Per rule (sorted by name), each proposal counted once by its latest decision; an
    accepted proposal is kept when any annotation accepting it is still live."""
    latest: dict[tuple[str, str, str, str, int, int], SuggestionOrigin] = {}
    live: set[tuple[str, str, str, str, int, int]] = set()
    for origin in sorted(origins, key=lambda o: (o.created, o.id)):
        key = (origin.document_id, origin.annotator, origin.rule, origin.label, origin.start,
               origin.end)
        latest[key] = origin
        if origin.kept:
            live.add(key)
    tally: dict[str, list[int]] = {}
    for key, origin in latest.items():
        counts = tally.setdefault(origin.rule, [0, 0, 0, 0])
        counts[0] += 1
        if origin.outcome == ACCEPTED:
            counts[1] += 1
            counts[2] += key in live
        else:
            counts[3] += 1
    return [RuleOutcome(rule, *counts) for rule, counts in sorted(tally.items())]
