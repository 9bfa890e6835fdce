"""Suggestions: proposed annotations and relations for a document, by data-driven rules.

::

    from annotator.suggest import suggest_text
    result = suggest_text(text)            # language guessed: "en" or "pt"
    for s in result.annotations: print(s.label, s.start, s.end, s.rule, s.confidence)
    for r in result.relations: print(r.type, r.source, r.target)   # indexes of annotations

``project.suggest(document_id)`` does the same for a stored document,
:func:`apply_suggestions` accepts them, ``project.tag_all_occurrences(annotation_id)``
proposes an annotation's label on the other occurrences of its passage.
"""

from annotator.suggest.apply import AppliedSuggestions, apply_suggestions
from annotator.suggest.grammar import LANGUAGES
from annotator.suggest.language import detect_language
from annotator.suggest.occurrences import occurrences
from annotator.suggest.records import (
    ATTRIBUTED_TO,
    OccurrenceProposal,
    ProposedRelation,
    Suggester,
    Suggestion,
    Suggestions,
)
from annotator.suggest.rules import RuleSuggester, suggest_text

__all__ = [
    "ATTRIBUTED_TO",
    "LANGUAGES",
    "AppliedSuggestions",
    "OccurrenceProposal",
    "ProposedRelation",
    "RuleSuggester",
    "Suggester",
    "Suggestion",
    "Suggestions",
    "apply_suggestions",
    "detect_language",
    "occurrences",
    "suggest_text",
]
