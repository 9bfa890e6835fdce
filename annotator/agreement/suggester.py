"""The suggester as one more annotator: its proposals for each compared document, added to
what the analysts marked, so agreement reports it against each of them like any pair."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass

from annotator.agreement.spans import DocumentSpans, Link, Span
from annotator.suggest.records import Suggestions

Suggest = Callable[[str], Suggestions]


def suggester_layer(suggestions: Suggestions) -> tuple[list[Span], list[Link]]:
    """The spans and links of a suggester's proposals for one document."""
    proposed = suggestions.annotations
    spans = [Span(s.start, s.end, s.label) for s in proposed]
    links = [Link((proposed[r.source].start, proposed[r.source].end),
                  (proposed[r.target].start, proposed[r.target].end), r.type)
             for r in suggestions.relations]
    return spans, links


@dataclass(frozen=True, slots=True)
class WithSuggester:
    """``documents`` with ``name`` added to each as an annotator of every document (its
    spans and links are what ``suggest`` proposes for the text). Sized and re-iterable
    when ``documents`` is."""

    documents: Iterable[DocumentSpans]
    suggest: Suggest
    name: str

    def __len__(self) -> int:
        assert isinstance(self.documents, Sized)
        return len(self.documents)

    def __iter__(self) -> Iterator[DocumentSpans]:
        for document in self.documents:
            spans, links = suggester_layer(self.suggest(document.text))
            yield DocumentSpans(document.text, {**document.spans, self.name: spans},
                                {**document.relations, self.name: links})
