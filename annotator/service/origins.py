"""Where annotations and links came from: analysts' decisions on suggestions, how each rule
fared, and which proposals an analyst rejected (not to be offered to them again)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError
from annotator.models import AnnotationOrigin, Annotator, Label, RelationOrigin, utcnow
from annotator.service.base import ProjectBase
from annotator.service.checks import check_span
from annotator.service.origin_links import (
    link_origin_query,
    link_origins_from_rows,
    record_link_origin,
)
from annotator.service.origin_store import origin_query, origins_from_rows, record_origin
from annotator.suggest.outcomes import (
    REJECTED,
    LinkOrigin,
    RuleOutcome,
    SuggestionOrigin,
    link_outcomes,
    rule_outcomes,
)
from annotator.suggest.records import Suggestion, Suggestions
from annotator.suggest.rejections import (
    Rejections,
    link_of,
    rejected_with,
    rejections,
    without_rejected,
)


class OriginsMixin(ProjectBase):
    def reject_suggestion(self, document_id: str, suggestion: Suggestion) -> str:
        """Record that the current user rejected ``suggestion`` in the document (rule,
        confidence, label and span, who and when); returns the record's id. Accepting is
        recorded by ``add_annotation(..., rule=...)``. See :meth:`reject_suggestions` to
        reject proposals with their links."""
        suggestions = Suggestions("", (suggestion,), ())
        return self.reject_suggestions(document_id, suggestions, [0])[0]

    def reject_suggestions(
        self, document_id: str, suggestions: Suggestions, chosen: Sequence[int]
    ) -> list[str]:
        """Record, in one write, that the current user rejected the proposals at indexes
        ``chosen`` of ``suggestions`` and the links proposed with them (those touching
        one); returns the records' ids, annotations' first. They are not offered to this
        user again (see :meth:`without_rejected`). An index out of range, a span outside
        the document or an unknown label is refused, and nothing is written."""
        wanted = list(dict.fromkeys(chosen))
        bad = [i for i in wanted if not 0 <= i < len(suggestions.annotations)]
        if bad:
            raise AnnotatorError(
                f"no proposal numbered {', '.join(map(str, bad))} (there are "
                f"{len(suggestions.annotations)}, numbered from 0)")
        rules = sorted({suggestions.annotations[i].rule for i in wanted})
        with self._writing(f"reject suggestion: {', '.join(rules)}"[:80]) as (session,
                                                                                changes):
            document_pk = self._document_pk(session, document_id)
            length = self._document_length(session, document_pk)
            annotator_pk = self._annotator_pk(session, self.user)
            now = utcnow()
            ids: list[str] = []
            for i in wanted:
                s = suggestions.annotations[i]
                check_span(length, s.start, s.end)
                _check_label(session, s.label)
                ids.append(record_origin(
                    session, document_pk=document_pk, annotator_pk=annotator_pk,
                    outcome=REJECTED, rule=s.rule, confidence=s.confidence, label=s.label,
                    start=s.start, end=s.end, created=now))
            for relation in rejected_with(suggestions, wanted):
                kind, source, target = link_of(suggestions, relation)
                ids.append(record_link_origin(
                    session, document_pk=document_pk, annotator_pk=annotator_pk,
                    outcome=REJECTED, rule=relation.rule,
                    confidence=suggestions.link_confidence(relation), type=kind,
                    source=source, target=target, created=now))
            for origin in ids:
                changes.suggestion(origin, str(document_id))
            return ids

    def suggestion_origins(
        self, document_id: str | None = None, annotator: str | None = None
    ) -> list[SuggestionOrigin]:
        """Every decision on a suggested annotation (accepted and rejected), oldest first,
        optionally for one document or one analyst."""
        query = origin_query()
        with self._reading() as session:
            if document_id is not None:
                query = query.where(
                    AnnotationOrigin.document_id == self._document_pk(session, document_id))
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            return origins_from_rows(session.execute(query))

    def link_origins(
        self, document_id: str | None = None, annotator: str | None = None
    ) -> list[LinkOrigin]:
        """Every decision on a suggested link (accepted with the relation it became, and
        rejected), oldest first, optionally for one document or one analyst."""
        query = link_origin_query()
        with self._reading() as session:
            if document_id is not None:
                query = query.where(
                    RelationOrigin.document_id == self._document_pk(session, document_id))
            if annotator is not None:
                query = query.where(Annotator.name == annotator)
            return link_origins_from_rows(session.execute(query))

    def suggestion_outcomes(self, annotator: str | None = None) -> list[RuleOutcome]:
        """Per suggestion rule: proposed annotations decided, accepted, kept, rejected (see
        :func:`annotator.suggest.outcomes.rule_outcomes`)."""
        return rule_outcomes(self.suggestion_origins(annotator=annotator))

    def link_outcomes(self, annotator: str | None = None) -> list[RuleOutcome]:
        """The same for proposed links (``kind`` ``link``; kept: the relation is live)."""
        return link_outcomes(self.link_origins(annotator=annotator))

    def rejected_proposals(self, document_id: str) -> Rejections:
        """What the current user rejected in the document, and has not accepted since."""
        return rejections(self.suggestion_origins(document_id, self.user),
                          self.link_origins(document_id, self.user))

    def without_rejected(self, document_id: str, suggestions: Suggestions) -> Suggestions:
        """``suggestions`` for the document less what the current user rejected there (and
        the links touching it), re-indexed: what ``suggest`` offers and the window shows."""
        return without_rejected(suggestions, self.rejected_proposals(document_id))


def _check_label(session: Session, name: str) -> None:
    if session.scalar(select(Label.id).where(Label.name == name)) is None:
        raise AnnotatorError(f"no label named {name!r}")
