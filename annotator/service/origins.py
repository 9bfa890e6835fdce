"""Where annotations came from: analysts' decisions on suggestions, and how each rule fared."""

from __future__ import annotations

from sqlalchemy import select

from annotator.errors import AnnotatorError
from annotator.models import AnnotationOrigin, Annotator, Label, utcnow
from annotator.service.base import ProjectBase
from annotator.service.checks import check_span
from annotator.service.origin_store import origin_query, origins_from_rows, record_origin
from annotator.suggest.outcomes import REJECTED, RuleOutcome, SuggestionOrigin, rule_outcomes
from annotator.suggest.records import Suggestion


class OriginsMixin(ProjectBase):
    def reject_suggestion(self, document_id: str, suggestion: Suggestion) -> str:
        """Record that the current user rejected ``suggestion`` in the document (rule,
        confidence, label and span, who and when); returns the record's id. Accepting is
        recorded by ``add_annotation(..., rule=...)``."""
        with self._writing(f"reject suggestion: {suggestion.rule}") as (session, _changes):
            document_pk = self._document_pk(session, document_id)
            check_span(self._document_length(session, document_pk), suggestion.start,
                       suggestion.end)
            if session.scalar(select(Label.id).where(Label.name == suggestion.label)) is None:
                raise AnnotatorError(f"no label named {suggestion.label!r}")
            return record_origin(
                session, document_pk=document_pk,
                annotator_pk=self._annotator_pk(session, self.user), outcome=REJECTED,
                rule=suggestion.rule, confidence=suggestion.confidence, label=suggestion.label,
                start=suggestion.start, end=suggestion.end, created=utcnow(),
            )

    def suggestion_origins(
        self, document_id: str | None = None, annotator: str | None = None
    ) -> list[SuggestionOrigin]:
        """Every decision on a suggestion (accepted and rejected), oldest first, optionally
        for one document or one analyst."""
        query = origin_query()
        with self._reading() as session:
            if document_id is not None:
                query = query.where(
                    AnnotationOrigin.document_id == self._document_pk(session, document_id))
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            return origins_from_rows(session.execute(query))

    def suggestion_outcomes(self, annotator: str | None = None) -> list[RuleOutcome]:
        """Per suggestion rule: proposals decided, accepted, kept, rejected (see
        :func:`annotator.suggest.outcomes.rule_outcomes`)."""
        return rule_outcomes(self.suggestion_origins(annotator=annotator))
