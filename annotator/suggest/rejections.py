"""Proposals an analyst rejected are not offered to them again: the one rule, used by
``suggest`` (and ``--apply``) on the command line and by the window's proposals.

A proposal is rejected while its latest decision by that analyst is a rejection: an
annotation by its label and span (whichever rule proposed it), a link by its type and both
ends. Rejecting an annotation takes the links proposed with it along.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from annotator.suggest.outcomes import REJECTED, LinkOrigin, SuggestionOrigin
from annotator.suggest.records import ProposedRelation, Suggestion, Suggestions

Span = tuple[str, int, int]
"""An annotation proposed: label, start, end."""
LinkKey = tuple[str, Span, Span]
"""A link proposed: type, its from end, its to end."""
K = TypeVar("K")


def span_of(suggestion: Suggestion) -> Span:
    return (suggestion.label, suggestion.start, suggestion.end)


def link_of(suggestions: Suggestions, relation: ProposedRelation) -> LinkKey:
    return (relation.type, span_of(suggestions.annotations[relation.source]),
            span_of(suggestions.annotations[relation.target]))


@dataclass(frozen=True, slots=True)
class Rejections:
    """What one analyst rejected in one document."""

    spans: frozenset[Span] = frozenset()
    links: frozenset[LinkKey] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.spans or self.links)


def rejections(annotations: Iterable[SuggestionOrigin],
               links: Iterable[LinkOrigin]) -> Rejections:
    """The proposals whose latest decision among ``annotations`` and ``links`` (one
    analyst's, one document's) is a rejection."""
    return Rejections(
        _latest_rejected(((o.label, o.start, o.end), o.created, o.id, o.outcome)
                         for o in annotations),
        _latest_rejected(((o.type, o.source, o.target), o.created, o.id, o.outcome)
                         for o in links),
    )


def _latest_rejected(decisions: Iterable[tuple[K, datetime, str, str]]) -> frozenset[K]:
    latest: dict[K, str] = {}
    for key, _created, _id, outcome in sorted(decisions, key=lambda d: (d[1], d[2])):
        latest[key] = outcome
    return frozenset(key for key, outcome in latest.items() if outcome == REJECTED)


def without_rejected(suggestions: Suggestions, rejected: Rejections) -> Suggestions:
    """``suggestions`` less the rejected annotations, the links touching them and the
    rejected links, re-indexed."""
    if not rejected:
        return suggestions
    kept = [i for i, s in enumerate(suggestions.annotations) if span_of(s) not in rejected.spans]
    links = [r for r in suggestions.relations
             if link_of(suggestions, r) not in rejected.links]
    return suggestions.restricted(kept, links)


def rejected_with(suggestions: Suggestions, chosen: Iterable[int]) -> list[ProposedRelation]:
    """The links that go when the annotations at ``chosen`` are rejected: those touching
    one of them."""
    gone = set(chosen)
    return [r for r in suggestions.relations if r.source in gone or r.target in gone]
