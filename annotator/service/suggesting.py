"""Suggestions for a document, and "tag all occurrences" of an annotation's passage."""

from __future__ import annotations

from annotator.records import AnnotationRecord
from annotator.service.annotations import AnnotationsMixin
from annotator.service.documents import DocumentsMixin
from annotator.service.origins import OriginsMixin
from annotator.suggest.occurrences import occurrences
from annotator.suggest.records import OccurrenceProposal, Suggestions
from annotator.suggest.rules import suggest_text


class SuggestionsMixin(DocumentsMixin, AnnotationsMixin, OriginsMixin):
    def suggest(self, document_id: str, language: str | None = None, *,
                min_confidence: float | None = None,
                include_rejected: bool = False) -> Suggestions:
        """Proposed sources, claims, ``attributed_to`` links and facts for a document, by the
        rule-based suggester (no model). ``language`` ("en", "pt") defaults to a guess from
        the text; ``min_confidence`` to the language's threshold (0: every proposal). What
        the current user rejected in the document is left out (see
        :meth:`without_rejected`) unless ``include_rejected``. Reads only; nothing is
        written."""
        result = suggest_text(self.document(document_id).text, language,
                              min_confidence=min_confidence)
        return result if include_rejected else self.without_rejected(document_id, result)

    def tag_all_occurrences(
        self, annotation_id: str, whole_project: bool = False
    ) -> list[OccurrenceProposal]:
        """The annotation's label proposed on every other occurrence of its passage in its
        document (or in every document), where its annotator has no such annotation yet
        and the current user has not rejected it."""
        source = self.annotation(annotation_id)
        passage = self.document(source.document_id).text[source.start:source.end]
        documents = [d.id for d in self.documents()] if whole_project else [source.document_id]
        proposals: list[OccurrenceProposal] = []
        for document_id in documents:
            text = self.document(document_id).text
            taken = {(a.start, a.end) for a in self._labelled(document_id, source)}
            taken |= {(start, end) for label, start, end
                      in self.rejected_proposals(document_id).spans if label == source.label}
            proposals.extend(occurrences(document_id, text, passage, source.label, taken))
        return proposals

    def _labelled(self, document_id: str, like: AnnotationRecord) -> list[AnnotationRecord]:
        return self.annotations(document_id=document_id, annotator=like.annotator,
                                label=like.label)
