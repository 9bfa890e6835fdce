"""Accepting suggestions: add them as the current user's annotations and links, once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from annotator.errors import AnnotatorError
from annotator.records import AnnotationRecord
from annotator.suggest.records import Suggestion, Suggestions


class AddRelation(Protocol):
    """``add_relation(from_id, to_id, type, rule=, confidence=)``, as the project's."""

    def __call__(self, from_id: str, to_id: str, type: str, *, rule: str | None = None,
                 confidence: float | None = None) -> object: ...


class AnnotationTarget(Protocol):
    """What applying needs of a project (``annotator.Project`` is one)."""

    @property
    def user(self) -> str: ...

    def annotations(
        self, document_id: str | None = None, annotator: str | None = None,
        label: str | None = None,
    ) -> list[AnnotationRecord]: ...

    def add_annotation(
        self, document_id: str, start: int, end: int, label: str, note: str | None = None,
        *, rule: str | None = None, confidence: float | None = None,
    ) -> str: ...


@dataclass
class AppliedSuggestions:
    """What applying did: annotations added (with their new ids) or already there, links
    added, already there, or left because no relation writer was given. ``failure`` is
    the message of the write the project refused, if one was: applying stopped there, and
    everything listed before it was written."""

    added: list[tuple[Suggestion, str]] = field(default_factory=list)
    existing: list[tuple[Suggestion, str]] = field(default_factory=list)
    links_added: list[tuple[str, str, str]] = field(default_factory=list)
    links_existing: int = 0
    links_not_written: int = 0
    failure: str | None = None


def apply_suggestions(
    project: AnnotationTarget,
    document_id: str,
    suggestions: Suggestions,
    add_relation: AddRelation | None = None,
    existing_relations: Collection[tuple[str, str, str]] = (),
) -> AppliedSuggestions:
    """Add ``suggestions`` as the current user's annotations, skipping those the user already
    has (same span and label), each recording its rule; then their links through
    ``add_relation`` (skipping those in ``existing_relations``: ``(from, to, type)`` ids),
    each recording its rule and confidence (the less sure of its ends).

    Without ``add_relation`` the links are counted in ``links_not_written``. A write the
    project refuses (:class:`AnnotatorError`: a label removed meanwhile, say) stops
    applying; its message is the report's ``failure`` and what was written before stays.
    """
    report = AppliedSuggestions()
    try:
        _apply(project, document_id, suggestions, add_relation, existing_relations, report)
    except AnnotatorError as error:
        report.failure = str(error)
    return report


def _apply(
    project: AnnotationTarget, document_id: str, suggestions: Suggestions,
    add_relation: AddRelation | None, existing_relations: Collection[tuple[str, str, str]],
    report: AppliedSuggestions,
) -> None:
    mine = {
        (a.start, a.end, a.label): a.id
        for a in project.annotations(document_id=document_id, annotator=project.user)
    }
    ids: list[str] = []
    for suggestion in suggestions.annotations:
        key = (suggestion.start, suggestion.end, suggestion.label)
        if key in mine:
            report.existing.append((suggestion, mine[key]))
        else:
            mine[key] = project.add_annotation(
                document_id, suggestion.start, suggestion.end, suggestion.label,
                rule=suggestion.rule, confidence=suggestion.confidence,
            )
            report.added.append((suggestion, mine[key]))
        ids.append(mine[key])
    seen = set(existing_relations)
    for relation in suggestions.relations:
        link = (ids[relation.source], ids[relation.target], relation.type)
        if add_relation is None:
            report.links_not_written += 1
        elif link in seen:
            report.links_existing += 1
        else:
            add_relation(*link, rule=relation.rule,
                         confidence=suggestions.link_confidence(relation))
            seen.add(link)
            report.links_added.append(link)
