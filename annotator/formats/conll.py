"""``conll``: CoNLL 2003 style IOB2, ``token<TAB>tag`` per line (export only).

Each document starts with ``-DOCSTART- -X- O O`` and a blank line; a blank line ends each
sentence. The separator is the CoNLL-2003 line verbatim, spaces included: spaCy's
``conll``/``ner`` converter splits documents only at that exact text (any other form
becomes a ``-DOCSTART-`` token of the training data), and readers that split columns at
whitespace (nltk's ``ConllCorpusReader``) recognise it by its first column.

Tokens and sentences: see :mod:`annotator.formats.tokens` (a sentence never ends inside
an annotation). One tag per token means overlapping annotations cannot all be
written: annotations are taken in order of their label's place in the project's label
list, then longest first (then by start), and one that would share a token with an
annotation already taken is dropped. An annotation not on token boundaries is widened to
the tokens it touches. Both are counted in the report. Spaces in labels become ``_``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from annotator.formats.model import ExportContext, ExportDocument, ExportNotes
from annotator.formats.output import Output
from annotator.formats.tokens import sentence_breaks, tokens

NAME = "conll"
EXTENSION = ".conll"
DOCUMENT_SEPARATOR = "-DOCSTART- -X- O O"
DROPPED = "overlapping annotation(s) dropped (label order, then longer span, wins)"
WIDENED = "annotation(s) not on token boundaries, widened to whole tokens"
NO_TOKEN = "annotation(s) covering no token (whitespace only): dropped"


def document_lines(
    document: ExportDocument, rank: dict[str, int], notes: ExportNotes
) -> list[str]:
    text = document.text
    starts, ends = tokens(text)
    tags = ["O"] * len(starts)
    inside = [False] * len(starts)
    ordered = sorted(
        document.spans,
        key=lambda s: (rank.get(s.label, len(rank)), s.start - s.end, s.start, s.id),
    )
    for span in ordered:
        first = bisect_right(ends, span.start)
        last = bisect_left(starts, span.end) - 1
        if first > last:
            notes.lose(NO_TOKEN)
            continue
        if any(tags[i] != "O" for i in range(first, last + 1)):
            notes.lose(DROPPED)
            continue
        if starts[first] != span.start or ends[last] != span.end:
            notes.lose(WIDENED)
        label = "_".join(span.label.split())
        tags[first] = f"B-{label}"
        for index in range(first + 1, last + 1):
            tags[index] = f"I-{label}"
            inside[index] = True
        notes.annotations += 1
    breaks = sentence_breaks(text, starts, ends)
    lines = [DOCUMENT_SEPARATOR + "\n", "\n"]
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        lines.append(f"{text[start:end]}\t{tags[index]}\n")
        ends_sentence = breaks[index] and (index + 1 == len(starts) or not inside[index + 1])
        if ends_sentence:
            lines.append("\n")
    return lines


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    rank = {label.name: position for position, label in enumerate(context.labels)}
    with open(output.main, "w", encoding="utf-8", newline="\n") as handle:
        for document in documents:
            handle.writelines(document_lines(document, rank, notes))
            notes.documents += 1
