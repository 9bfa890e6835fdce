"""What a suggester proposes: plain frozen records, offsets in code points."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

ATTRIBUTED_TO = "attributed_to"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed annotation: ``text == document_text[start:end]``."""

    label: str
    start: int
    end: int
    text: str
    confidence: float
    rule: str

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end, "text": self.text,
                "confidence": self.confidence, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class ProposedRelation:
    """A proposed link between two suggestions, by their index in ``Suggestions.annotations``.

    ``attributed_to`` runs from a claim to its source.
    """

    type: str
    source: int
    target: int
    rule: str

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "from": self.source, "to": self.target, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Everything proposed for one document, annotations in document order."""

    language: str
    annotations: tuple[Suggestion, ...]
    relations: tuple[ProposedRelation, ...]

    def link_confidence(self, relation: ProposedRelation) -> float:
        """How sure a proposed link is: the less sure of its two ends."""
        return min(self.annotations[relation.source].confidence,
                   self.annotations[relation.target].confidence)

    def restricted(self, kept: Iterable[int],
                   relations: Iterable[ProposedRelation]) -> Suggestions:
        """The annotations at indexes ``kept`` and those of ``relations`` (of this object)
        whose ends are both kept, re-indexed."""
        order = sorted(set(kept))
        where = {old: new for new, old in enumerate(order)}
        return Suggestions(
            self.language, tuple(self.annotations[i] for i in order),
            tuple(ProposedRelation(r.type, where[r.source], where[r.target], r.rule)
                  for r in relations if r.source in where and r.target in where),
        )

    def as_json(self) -> dict[str, Any]:
        return {"language": self.language,
                "annotations": [a.as_json() for a in self.annotations],
                "relations": [r.as_json() for r in self.relations]}


@dataclass(frozen=True, slots=True)
class OccurrenceProposal:
    """The same label proposed on another occurrence of an annotation's passage."""

    document_id: str
    label: str
    start: int
    end: int
    text: str


class Suggester(Protocol):
    """Anything that proposes annotations and relations for a text.

    ``language`` is an ISO 639-1 code or None to let the suggester decide.
    """

    def suggest(self, text: str, language: str | None = None) -> Suggestions: ...
