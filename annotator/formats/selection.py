"""Which documents and annotations an export holds, read as a stream.

Rules (the CLI help and the GUI say the same):

- Every selected document is exported, with the annotations that pass the filters; a
  document none of whose annotations pass is still exported, with no spans (so ``--status
  accepted`` never gives an empty file when some annotation is accepted, and never hides
  a document).
- ``users`` keeps annotations by those annotators (``gold`` is just a name); ``labels``
  keeps those labels; ``status`` keeps annotations whose latest verdict is that
  (``pending`` = no verdict yet); ``documents`` limits the documents (number, id or title).
  A label or annotator the project does not know (``gold`` aside) is refused.
- ``done_only`` keeps the documents that at least one of the selected users marked done,
  or, without ``users``, that at least one annotator marked done.
- A split shuffles the sorted document ids with ``random.Random(seed)`` and cuts the list
  by the fractions (rounded cumulatively, so the parts add up to every document); each
  part keeps the project's document order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text, func, select, type_coerce
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError
from annotator.formats.model import STATUS_CHOICES as STATUS_CHOICES  # re-exported
from annotator.formats.model import ExportDocument, ExportRelation, ExportSpan, iso
from annotator.models import (
    Annotation,
    AnnotationOrigin,
    Annotator,
    Document,
    DocumentStatus,
    Label,
    Relation,
    RelationType,
)
from annotator.review_records import GOLD
from annotator.service.relation_store import Source, Target, live
from annotator.service.reviews import latest_verdicts
from annotator.suggest.outcomes import ACCEPTED
from annotator.untrusted import stored_meta

_BATCH = 2000
_IN_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ExportFilters:
    users: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    status: str = "any"
    documents: tuple[str, ...] = ()
    done_only: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUS_CHOICES:
            raise AnnotatorError(
                f"unknown status {self.status!r}; use one of {', '.join(STATUS_CHOICES)}"
            )


@dataclass(frozen=True, slots=True)
class SelectedDocument:
    pk: int
    id: str


def parse_split(spec: str) -> list[tuple[str, float]]:
    """``train=0.8,dev=0.1,test=0.1`` as ``[(name, fraction)]``; fractions must add to 1."""
    parts: list[tuple[str, float]] = []
    for item in spec.split(","):
        name, _, value = item.strip().partition("=")
        name = name.strip()
        try:
            fraction = float(value)
        except ValueError:
            raise AnnotatorError(f"bad split part {item.strip()!r}; use NAME=FRACTION") from None
        if not name or not name.replace("_", "").isalnum():
            raise AnnotatorError(f"bad split name {name!r}; use letters, digits or _")
        if not 0 < fraction <= 1:
            raise AnnotatorError(f"split fraction {value} must be above 0 and at most 1")
        if any(name == other for other, _ in parts):
            raise AnnotatorError(f"split part {name!r} is named twice")
        parts.append((name, fraction))
    total = sum(f for _, f in parts)
    if abs(total - 1.0) > 1e-6:
        raise AnnotatorError(f"split fractions must add up to 1 (they add up to {total:g})")
    return parts


def split_documents(
    documents: Sequence[SelectedDocument], parts: Sequence[tuple[str, float]], seed: int
) -> dict[str, list[SelectedDocument]]:
    """Assign whole documents to parts, reproducibly for the same ids and seed."""
    ids = sorted(d.id for d in documents)
    random.Random(seed).shuffle(ids)
    assigned: dict[str, str] = {}
    cumulative = 0.0
    begin = 0
    for index, (name, fraction) in enumerate(parts):
        cumulative += fraction
        end = len(ids) if index == len(parts) - 1 else round(cumulative * len(ids))
        for document_id in ids[begin:end]:
            assigned[document_id] = name
        begin = end
    result: dict[str, list[SelectedDocument]] = {name: [] for name, _ in parts}
    for document in documents:
        result[assigned[document.id]].append(document)
    return result


def select_documents(
    session: Session, filters: ExportFilters, resolve: Callable[[str], str] | None = None
) -> list[SelectedDocument]:
    """The documents an export covers, in project order.

    ``resolve(ref) -> document uuid`` turns ``filters.documents`` references into ids
    (the project's ``find_document``); unknown references raise AnnotatorError.
    """
    _check_names(session, filters)
    query = select(Document.id, Document.uuid).where(~Document.deleted).order_by(Document.id)
    if filters.documents:
        if resolve is None:
            raise AnnotatorError("cannot resolve document references here")
        wanted = {resolve(ref) for ref in filters.documents}
        query = query.where(Document.uuid.in_(sorted(wanted)))
    if filters.done_only:
        done = select(DocumentStatus.document_id).where(DocumentStatus.status == "done")
        if filters.users:
            done = done.join(Annotator, DocumentStatus.annotator_id == Annotator.id).where(
                Annotator.name.in_(filters.users)
            )
        query = query.where(Document.id.in_(done))
    return [SelectedDocument(row[0], row[1]) for row in session.execute(query)]


def _check_names(session: Session, filters: ExportFilters) -> None:
    """Refuse a label or annotator name the project does not know: a typo would
    otherwise export every document with no annotations and look like success."""
    if filters.labels:
        known = set(session.scalars(select(Label.name)))
        unknown = [name for name in filters.labels if name not in known]
        if unknown:
            raise AnnotatorError(
                f"no label {unknown[0]!r} in this project (labels: {', '.join(sorted(known))})"
            )
    if filters.users:
        known = set(session.scalars(select(Annotator.name)))
        # The gold layer is a name even before anything is adjudicated.
        unknown = [name for name in filters.users if name not in known and name != GOLD]
        if unknown:
            raise AnnotatorError(
                f"no annotator {unknown[0]!r} in this project "
                f"(annotators: {', '.join(sorted(known)) or 'none yet'})"
            )


def _annotation_stream(session: Session, filters: ExportFilters, pks: list[int] | None) -> Any:
    verdicts = latest_verdicts()
    status = func.coalesce(verdicts.c.verdict, "pending")
    query = (
        select(
            Annotation.document_id,
            Annotation.id,
            Annotation.start,
            Annotation.end,
            Label.name,
            Annotator.name,
            Annotation.note,
            _time_text(session, Annotation.created),
            _time_text(session, Annotation.updated),
            status,
            AnnotationOrigin.rule,
        )
        .join(Label, Annotation.label_id == Label.id)
        .join(Annotator, Annotation.annotator_id == Annotator.id)
        .outerjoin(verdicts, verdicts.c.annotation_id == Annotation.id)
        # At most one accepted origin per annotation (see origin_store.merge_origins).
        .outerjoin(AnnotationOrigin, (AnnotationOrigin.annotation_id == Annotation.id)
                   & (AnnotationOrigin.outcome == ACCEPTED))
        .where(Annotation.deleted == False)  # noqa: E712 - "= 0" lets SQLite use its index
        .order_by(Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)
    )
    if filters.users:
        query = query.where(Annotator.name.in_(filters.users))
    if filters.labels:
        query = query.where(Label.name.in_(filters.labels))
    if filters.status != "any":
        query = query.where(status == filters.status)
    if pks is not None:
        query = query.where(Annotation.document_id.in_(pks))
    # Through the connection: plain Core rows, without the ORM's per-row bookkeeping.
    return session.connection().execute(
        query.execution_options(stream_results=True, yield_per=_BATCH)
    )


def _time_text(session: Session, column: Any) -> Any:
    """A stored time as the export writes it, made by SQLite from its stored text
    (``2024-05-01 12:00:00.000000`` → ``2024-05-01T12:00:00.000000Z``, as iso() does);
    parsing and formatting a million datetimes in Python costs more than the rest of the
    export. Other databases hand back datetimes, for iso()."""
    text = type_coerce(column, String)
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(func.replace(text, " ", "T"), String).concat("Z")
    return text


def _relation_stream(session: Session, filters: ExportFilters, pks: list[int] | None) -> Any:
    query = (
        select(Relation.document_id, Relation.id, RelationType.name, Relation.from_id,
               Relation.to_id, Annotator.name)
        .join(RelationType, Relation.type_id == RelationType.id)
        .join(Annotator, Relation.annotator_id == Annotator.id)
        .join(Source, Relation.from_id == Source.id)
        .join(Target, Relation.to_id == Target.id)
        .where(live())
        # By id, not time: formats that carry no relation times must write a copy's
        # relations in the same order as the project they came from.
        .order_by(Relation.document_id, Relation.id)
    )
    if filters.users:
        query = query.where(Annotator.name.in_(filters.users))
    if pks is not None:
        query = query.where(Relation.document_id.in_(pks))
    return session.connection().execute(
        query.execution_options(stream_results=True, yield_per=_BATCH)
    )


def _document_stream(session: Session, pks: list[int] | None) -> Any:
    # The metadata as stored text, parsed within bounds here: a value nested too deeply for
    # Python's own JSON reader must not stop the export of every other document.
    query = select(
        Document.id, Document.uuid, Document.title, Document.text, Document.sha256,
        type_coerce(Document.meta, Text),
    ).order_by(Document.id)
    if pks is not None:
        query = query.where(Document.id.in_(pks))
    return session.connection().execute(
        query.execution_options(stream_results=True, yield_per=100)
    )


def stream_documents(
    session: Session,
    filters: ExportFilters,
    documents: Sequence[SelectedDocument],
    *,
    all_documents: bool = False,
) -> Iterator[ExportDocument]:
    """Each selected document with its matching spans, in project order, one at a time.

    Three ordered cursors (documents, annotations, relations) are merged, so only one
    document's spans are ever in memory. A relation goes with its document when both its
    ends are among the exported spans. ``all_documents`` says the selection is the whole
    project, which spares the database a long ``IN`` list.
    """
    wanted = {d.pk for d in documents}
    make_span = ExportSpan._make
    pks: list[int] | None = None
    if not all_documents and len(wanted) <= _IN_LIMIT:
        pks = sorted(wanted)
        if not pks:
            return
    annotations = iter(_annotation_stream(session, filters, pks))
    pending = next(annotations, None)
    relations = iter(_relation_stream(session, filters, pks))
    link = next(relations, None)
    for pk, uuid, title, text, sha256, meta in _document_stream(session, pks):
        spans: list[ExportSpan] = []
        while pending is not None and pending[0] <= pk:
            if pending[0] == pk:
                if pending[7].__class__ is str:  # made ISO 8601 by the query
                    spans.append(make_span(pending[1:]))
                else:
                    spans.append(make_span((*pending[1:7], iso(pending[7]), iso(pending[8]),
                                            *pending[9:11])))
            pending = next(annotations, None)
        links: list[ExportRelation] = []
        if link is not None and link[0] <= pk:
            exported = {s.id for s in spans}
            while link is not None and link[0] <= pk:
                if link[0] == pk and link[3] in exported and link[4] in exported:
                    links.append(ExportRelation(link[1], link[2], link[3], link[4], link[5]))
                link = next(relations, None)
        if pk in wanted:
            kept = stored_meta(meta)
            yield ExportDocument(pk, uuid, title, text, sha256, kept or {}, spans, links,
                                 kept is None)
