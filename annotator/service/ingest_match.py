"""Matching incoming documents to the project's and checking annotations against their text.

The read-only half of :func:`annotator.service.ingest.ingest`: documents are matched by
id, then by the sha256 of their text, and a document whose file may have rewritten its
line breaks (brat) also by its text with universal newlines, its offsets then mapped onto
the project's text (a document the project lacks is to be created when the incoming side
carries its text); each annotation must lie inside its text and, when
the file records its passage, equal the text at its offsets, else it is re-anchored at
the one place its quote occurs. Problems are collected (file, line, reason), not raised,
so one refusal lists them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.formats.model import IncomingAnnotation, IncomingDocument, Problem
from annotator.formats.newlines import NewlineMap, universal_newlines
from annotator.models import Document
from annotator.service.annotations import MAX_NOTE
from annotator.service.bulk import chunks as chunks
from annotator.service.document_rows import text_sha256


@dataclass(slots=True)
class IngestCounts:
    """What one ingest did: documents matched/created, annotations by outcome, and notes."""

    documents_matched: int = 0
    documents_created: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    folded: int = 0
    labels_created: list[str] = field(default_factory=list)
    annotators_created: list[str] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    relations_added: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0
    relation_types_created: list[str] = field(default_factory=list)
    relation_notes: Counter[str] = field(default_factory=Counter)
    """Relations of the file not kept, by reason."""


def clean_note(note: str | None) -> str | None:
    """A note as the project stores it: blank notes are no note."""
    return note if note is not None and note.strip() else None


def resolve_documents(
    session: Session,
    documents: Sequence[IncomingDocument],
    problems: list[Problem],
    counts: IngestCounts,
) -> dict[int, int | None]:
    """``{index of incoming document: local key, or None when it is to be created}``."""
    for document in documents:
        if document.text is not None:
            document.sha256 = text_sha256(document.text)
    ids = sorted({d.id for d in documents if d.id})
    shas = sorted({d.sha256 for d in documents if d.sha256})
    by_id: dict[str, tuple[int, str]] = {}
    for chunk in chunks(ids):
        rows = session.execute(
            select(Document.uuid, Document.id, Document.sha256).where(Document.uuid.in_(chunk))
        )
        by_id.update({row[0]: (row[1], row[2]) for row in rows})
    by_sha: dict[str, int] = {}
    for chunk in chunks(shas):
        pairs = session.execute(
            select(Document.sha256, Document.id)
            .where(Document.sha256.in_(chunk))
            .order_by(Document.id)
        )
        for sha, pk in pairs:
            by_sha.setdefault(sha, pk)
    pks: dict[int, int | None] = {}
    # index -> the document its id names, or None: matched (or not) by its line breaks below
    pending: dict[int, int | None] = {}
    for index, document in enumerate(documents):
        found = by_id.get(document.id) if document.id else None
        if found is not None:
            if document.sha256 is not None and document.sha256 != found[1]:
                if document.match_universal_newlines:
                    pending[index] = found[0]
                    continue
                problems.append(
                    Problem(document.source, document.line,
                            f"document {document.id} is in the project with a different text")
                )
            pks[index] = found[0]
        elif document.sha256 is not None and document.sha256 in by_sha:
            pks[index] = by_sha[document.sha256]
        elif document.text is not None and document.match_universal_newlines:
            pending[index] = None
            continue
        elif document.text is not None:
            pks[index] = None
        else:
            what = document.id or document.title or document.sha256 or "?"
            problems.append(
                Problem(document.source, document.line,
                        f"document {what} is not in the project and the file has no text for it")
            )
            continue
        if pks[index] is not None:
            counts.documents_matched += 1
    if pending:
        _match_line_breaks(session, documents, pending, pks, problems, counts)
    _refuse_deleted(session, documents, pks, problems)
    return pks


def _refuse_deleted(session: Session, documents: Sequence[IncomingDocument],
                    pks: dict[int, int | None], problems: list[Problem]) -> None:
    """Annotations for a deleted document would be hidden with it: say so instead."""
    matched = sorted({pk for pk in pks.values() if pk is not None})
    deleted: dict[int, str] = {}
    for chunk in chunks(matched):
        deleted.update((pk, title) for pk, title in session.execute(
            select(Document.id, Document.title).where(Document.id.in_(chunk), Document.deleted)))
    for index, pk in pks.items():
        if pk in deleted:
            document = documents[index]
            problems.append(Problem(
                document.source, document.line,
                f"the document {deleted[pk]!r} was deleted; restore it to import into it"))


def _match_line_breaks(
    session: Session,
    documents: Sequence[IncomingDocument],
    pending: dict[int, int | None],
    pks: dict[int, int | None],
    problems: list[Problem],
    counts: IngestCounts,
) -> None:
    """Match documents whose file may have rewritten line breaks to the project text that
    is theirs but for CRLF/CR/LF (the one their id names, else any), and map their
    annotations onto it; a document without one is to be created from the file's text."""
    named = sorted({pk for pk in pending.values() if pk is not None})
    texts: dict[int, str] = {}
    for id_chunk in chunks(named):
        rows = session.execute(select(Document.id, Document.text)
                               .where(Document.id.in_(id_chunk)))
        texts.update({pk: text for pk, text in rows})
    wanted = {text_sha256(universal_newlines(documents[i].text or "")): i
              for i, pk in pending.items() if pk is None}
    by_lf_sha: dict[str, tuple[int, str]] = {}
    if wanted:
        # An LF text is its own universal-newline form; only texts with a CR are hashed again.
        for chunk in chunks(sorted(wanted)):
            shas = session.execute(select(Document.sha256, Document.id)
                                   .where(Document.sha256.in_(chunk)).order_by(Document.id))
            for sha, pk in shas:
                by_lf_sha.setdefault(sha, (pk, universal_newlines(documents[wanted[sha]].text
                                                                  or "")))
        with_cr = session.execute(
            select(Document.id, Document.text).where(Document.text.contains("\r"))
            .order_by(Document.id).execution_options(yield_per=200))
        for pk, text in with_cr:
            lf_sha = text_sha256(universal_newlines(text))
            if lf_sha in wanted:
                by_lf_sha.setdefault(lf_sha, (pk, text))
    for index, named_pk in pending.items():
        document = documents[index]
        incoming = document.text or ""
        if named_pk is not None:
            found: tuple[int, str] | None = (named_pk, texts[named_pk])
            if universal_newlines(texts[named_pk]) != universal_newlines(incoming):
                problems.append(
                    Problem(document.source, document.line,
                            f"document {document.id} is in the project with a different text"))
                continue
        else:
            found = by_lf_sha.get(text_sha256(universal_newlines(incoming)))
        if found is None:
            pks[index] = None
            continue
        pks[index] = found[0]
        counts.documents_matched += 1
        if found[1] != incoming:
            _map_onto(document, found[1])
            if document.annotations:
                counts.notes["in a file whose line breaks differ from the project's text: "
                             "offsets mapped onto it"] += len(document.annotations)


def _map_onto(document: IncomingDocument, text: str) -> None:
    """Move the document's annotations onto ``text``, equal to its own but for line breaks."""
    own, target = NewlineMap(document.text or ""), NewlineMap(text)
    size = len(own.text)
    for a in document.annotations:
        if not (0 <= a.start <= size and 0 <= a.end <= size):
            continue  # refused by check_annotations, at the offsets the file gives
        a.start, a.end = target.from_lf(own.to_lf(a.start)), target.from_lf(own.to_lf(a.end))
        if a.passage is not None and universal_newlines(a.passage) == universal_newlines(
                text[a.start:a.end]):
            a.passage = text[a.start:a.end]
    document.text, document.sha256 = text, text_sha256(text)


def document_texts(
    session: Session, documents: Sequence[IncomingDocument], pks: dict[int, int | None]
) -> dict[int, str]:
    """The text of each incoming document with annotations, from the file or the project."""
    texts: dict[int, str] = {}
    needed: dict[int, list[int]] = defaultdict(list)
    for index, document in enumerate(documents):
        if not document.annotations or index not in pks:
            continue
        if document.text is not None:
            texts[index] = document.text
        elif pks[index] is not None:
            needed[pks[index] or 0].append(index)
    keys = sorted(needed)
    for chunk in chunks(keys):
        for pk, text in session.execute(select(Document.id, Document.text).where(
                Document.id.in_(chunk))):
            for index in needed[pk]:
                texts[index] = text
    return texts


def check_annotations(
    documents: Sequence[IncomingDocument],
    texts: dict[int, str],
    problems: list[Problem],
    counts: IngestCounts,
) -> None:
    """Add a problem for every annotation off its text or repeating an id; clean labels
    and notes, and re-anchor annotations whose quote places them elsewhere."""
    seen: set[str] = set()
    for index, document in enumerate(documents):
        text = texts.get(index)
        if text is None:
            continue
        for annotation in document.annotations:
            problem = _check_one(annotation, text, counts)
            if problem is None and annotation.id in seen:
                problem = f"annotation id {annotation.id} occurs twice"
            seen.add(annotation.id)
            if problem is not None:
                problems.append(Problem(document.source, annotation.line, problem))


def _check_one(annotation: IncomingAnnotation, text: str, counts: IngestCounts) -> str | None:
    label = annotation.label.strip()
    if not label or len(label) > 200 or any(c in label for c in "\t\n\r"):
        return f"invalid label {annotation.label!r}"
    annotation.label = label
    if annotation.note is not None and len(annotation.note) > MAX_NOTE:
        return f"a note longer than {MAX_NOTE} characters"
    annotation.note = clean_note(annotation.note)
    start, end = annotation.start, annotation.end
    inside = 0 <= start < end <= len(text)
    if inside and (annotation.passage is None or text[start:end] == annotation.passage):
        return None
    if annotation.quote is not None and _reanchor(annotation, text):
        counts.notes["re-anchored by their quote (position did not match)"] += 1
        return None
    if not inside:
        return f"offsets {start}-{end} fall outside the text (0-{len(text)} characters)"
    return (
        f"recorded passage {annotation.passage!r} differs from the text at {start}-{end} "
        f"({text[start:end]!r})"
    )


def _reanchor(annotation: IncomingAnnotation, text: str) -> bool:
    """Move an annotation to the one place its quote (with prefix/suffix) occurs."""
    assert annotation.quote is not None
    exact, prefix, suffix = annotation.quote
    if not exact:
        return False
    for before, after in ((prefix, suffix), ("", "")):
        found = _occurrences(text, before + exact + after)
        if len(found) == 1:
            annotation.start = found[0] + len(before)
            annotation.end = annotation.start + len(exact)
            return True
    return False


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at != -1 and len(found) < 2:
        found.append(at)
        at = text.find(needle, at + 1)
    return found
