"""``spacy`` (optional extra ``annotator[spacy]``): a ``DocBin`` with spans in ``doc.spans["sc"]``.

Documents are tokenised with ``spacy.blank("xx")`` (no model download; the tokeniser keeps
every character, so ``doc.text`` is the document text), then every token that an
annotation starts or ends inside is split there, and a token's trailing space becomes a
token of its own when an annotation starts on it or ends just after it. So every span
is exactly on token boundaries and ``span.start_char``/``span.end_char`` are the
annotation's own offsets: nothing is widened or dropped. Each span carries the
annotation id as ``span.id_``; ``doc.user_data`` holds the document's id, title and meta
and each annotation's annotator, note, times and exact offsets, so our own files come
back without loss (a span from elsewhere is read at its token boundaries).
``doc.user_data["relations"]`` lists the document's relations, each
``{"id", "type", "from", "to", "from_index", "to_index", "annotator"}``: ``from``/``to``
are the ``span.id_`` of its ends and ``from_index``/``to_index`` their places in
``doc.spans["sc"]`` (for code that reads the spans but not their ids); reading takes the ids,
else the places.

Reading takes every span group (``doc.spans["sc"]`` first, then the others by key) and
then ``doc.ents``, where spaCy's own converters and NER pipelines put entities. The
report counts what came from where; a span with the same offsets and label as one
already read from an earlier place (a pipeline that copies its entities into a span
group) is read once and counted as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.formats.fields import StableIds, uuid_or_none
from annotator.formats.links import add_relation
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    ExportSpan,
    IncomingAnnotation,
    IncomingDocument,
    ParsedFile,
    parse_time,
)
from annotator.formats.output import Output

NAME = "spacy"
EXTENSION = ".spacy"
SPANS_KEY = "sc"
RELATIONS_KEY = "relations"
SEEN_BEFORE = "annotation(s) repeated in another span group or doc.ents (same offsets and label)"
NO_LABEL = "spans without a label"
INSTALL_HINT = "spaCy is not installed; install the extra with: pip install 'annotator[spacy]'"


def _blank() -> Any:
    """A blank multi-language pipeline (tokeniser only), loaded once per process."""
    global _NLP
    if _NLP is None:
        try:
            import spacy
        except ImportError:
            raise AnnotatorError(INSTALL_HINT) from None
        _NLP = spacy.blank("xx")
    return _NLP


_NLP: Any = None


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    nlp = _blank()
    from spacy.tokens import DocBin

    bin_ = DocBin(attrs=["ORTH"], store_user_data=True)
    for document in documents:
        doc = aligned_doc(nlp, document.text, document.spans)
        spans = []
        info: dict[str, Any] = {}
        for s in document.spans:
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="strict")
            if span is None:
                raise AnnotatorError(
                    f"annotation {s.id} ({s.start}-{s.end}) is off the tokens made for it")
            span.id_ = s.id
            spans.append(span)
            info[s.id] = {"annotator": s.annotator, "note": s.note, "created": s.created,
                          "updated": s.updated, "start": s.start, "end": s.end}
        doc.spans[SPANS_KEY] = spans
        doc.user_data["annotator"] = {"document_id": document.id, "title": document.title,
                                      "meta": document.meta, "annotations": info}
        doc.user_data[RELATIONS_KEY] = relation_records(document)
        bin_.add(doc)
        notes.documents += 1
        notes.annotations += len(spans)
    bin_.to_disk(output.main)


def relation_records(document: ExportDocument) -> list[dict[str, Any]]:
    """``doc.user_data["relations"]``: each relation's ``id``, ``type``, ``annotator`` and its
    ends as span ids (``from``, ``to``: the ``span.id_`` of spans in ``doc.spans["sc"]``) and
    as positions in that group (``from_index``, ``to_index``)."""
    index = {s.id: n for n, s in enumerate(document.spans)}
    return [{"id": r.id, "type": r.type, "from": r.from_id, "to": r.to_id,
             "from_index": index[r.from_id], "to_index": index[r.to_id],
             "annotator": r.annotator} for r in document.relations]


def aligned_doc(nlp: Any, text: str, spans: list[ExportSpan]) -> Any:
    """``text`` as a ``Doc`` of spaCy's tokens, split so every span starts and ends on one."""
    from spacy.tokens import Doc

    starts = {s.start for s in spans}
    ends = {s.end for s in spans}
    cuts = starts | ends
    words: list[str] = []
    gaps: list[bool] = []
    for token in nlp.make_doc(text):
        begin, end = token.idx, token.idx + len(token.text)
        points = [begin, *sorted(c for c in cuts if begin < c < end), end]
        for left, right in pairwise(points):
            words.append(text[left:right])
            gaps.append(False)
        if token.whitespace_:
            # The one space spaCy keeps after a token: its own token when a span starts
            # on it or ends right after it, else the token's trailing whitespace.
            if end in starts or end + len(token.whitespace_) in ends:
                words.append(token.whitespace_)
                gaps.append(False)
            else:
                gaps[-1] = True
    doc = Doc(nlp.vocab, words=words, spaces=gaps)
    if doc.text != text:
        raise AnnotatorError("spaCy tokens do not give back the document text")
    return doc


def read(path: Path) -> ParsedFile:
    nlp = _blank()
    from spacy.tokens import DocBin

    parsed = ParsedFile()
    bin_ = DocBin().from_disk(path)
    for number, doc in enumerate(bin_.get_docs(nlp.vocab), start=1):
        extra = doc.user_data.get("annotator") or {}
        info = extra.get("annotations") or {}
        document = IncomingDocument(
            line=number, id=uuid_or_none(extra.get("document_id")), title=extra.get("title"),
            text=doc.text, meta=dict(extra.get("meta") or {}), source=str(path),
        )
        key = document.id or doc.text
        make_id = StableIds()
        earlier: set[tuple[int, int, str]] = set()
        # What relations name their ends by: a span's id_, or its place in doc.spans["sc"].
        ends: dict[object, IncomingAnnotation] = {}
        for where, spans in _span_sources(doc):
            here: set[tuple[int, int, str]] = set()
            for position, span in enumerate(spans):
                found = (int(span.start_char), int(span.end_char), str(span.label_))
                if not span.label_:
                    parsed.skipped[NO_LABEL] += 1
                    continue
                if found in earlier:
                    parsed.skipped[SEEN_BEFORE] += 1
                    continue
                here.add(found)
                incoming = _annotation(span, info, key, make_id, number)
                document.annotations.append(incoming)
                if span.id_:
                    ends.setdefault(str(span.id_), incoming)
                if where == f"doc.spans[{SPANS_KEY!r}]":
                    ends.setdefault(str(position), incoming)
                parsed.read_from[f"annotation(s) from {where}"] += 1
            earlier |= here
        _relations(doc.user_data.get(RELATIONS_KEY), document, ends, parsed)
        parsed.documents.append(document)
    return parsed


def _relations(records: Any, document: IncomingDocument, ends: dict[object, IncomingAnnotation],
               parsed: ParsedFile) -> None:
    """``doc.user_data["relations"]``: ends by span id (``from``/``to``), else by place in
    ``doc.spans["sc"]`` (``from_index``/``to_index``)."""
    for record in records if isinstance(records, list | tuple) else []:
        kind = record.get("type") if isinstance(record, dict) else None
        if not isinstance(kind, str) or not kind:
            parsed.skipped["doc.user_data relations without a type"] += 1
            continue
        source = record.get("from") if record.get("from") is not None else record.get("from_index")
        target = record.get("to") if record.get("to") is not None else record.get("to_index")
        annotator = record.get("annotator")
        add_relation(document, ends, given_id=record.get("id"), type=kind, source=source,
                     target=target, skipped=parsed.skipped,
                     annotator=annotator if isinstance(annotator, str) else None)


def _span_sources(doc: Any) -> Iterator[tuple[str, Any]]:
    """Every place a ``Doc`` holds spans: its span groups (ours first), then its entities."""
    for group in sorted(doc.spans, key=lambda name: (name != SPANS_KEY, name)):
        yield f"doc.spans[{group!r}]", doc.spans[group]
    yield "doc.ents", doc.ents


def _annotation(
    span: Any, info: dict[str, Any], key: str, make_id: StableIds, number: int
) -> IncomingAnnotation:
    given = uuid_or_none(span.id_)
    details = info.get(span.id_, {}) if given else {}
    start, end = _exact_offsets(span, details)
    return IncomingAnnotation(
        id=given or make_id(key, span.start_char, span.end_char, span.label_),
        start=start, end=end, label=span.label_, line=number,
        annotator=details.get("annotator"), note=details.get("note"),
        has_note="note" in details, created=parse_time(details.get("created")),
        updated=parse_time(details.get("updated")), passage=None,
        synthetic_id=given is None,
    )


def _exact_offsets(span: Any, details: dict[str, Any]) -> tuple[int, int]:
    """The annotation's own offsets when we recorded them and they overlap the span's
    tokens (aligning moves an edge only within the tokens it touches), else the span's."""
    start, end = details.get("start"), details.get("end")
    if (isinstance(start, int) and isinstance(end, int)
            and 0 <= start < end <= len(span.doc.text)
            and start < span.end_char and end > span.start_char):
        return start, end
    return int(span.start_char), int(span.end_char)
