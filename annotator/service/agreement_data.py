"""What ``annotator agreement`` compares, gathered from the database.

Documents: those every compared user has marked ``done`` (or all of them with
``all_docs``), optionally narrowed to some documents. Users: given, or everyone except
``gold`` who has live annotations in those candidate documents. Labels: given, or the
project's labels. A user counts as having annotated a document (see
:class:`annotator.agreement.DocumentSpans`) when it is one of the done documents, or with
``all_docs`` when they have annotations there or a status other than ``new``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.agreement import AgreementReport, DocumentSpans, Link, Span, compute_agreement
from annotator.errors import AnnotatorError
from annotator.models import (
    Annotation,
    Annotator,
    Document,
    DocumentStatus,
    Label,
    Relation,
    RelationType,
)
from annotator.review_records import GOLD
from annotator.service.annotations import AnnotationsMixin
from annotator.service.documents import DocumentsMixin
from annotator.service.labels import LabelsMixin
from annotator.service.relation_store import Source, Target, live
from annotator.service.reviews import ReviewsMixin

CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class AgreementSelection:
    """The inputs of an agreement computation: which documents, users and labels."""

    document_ids: tuple[str, ...]
    users: tuple[str, ...]
    labels: tuple[str, ...]
    documents: tuple[DocumentSpans, ...]


class AgreementMixin(DocumentsMixin, AnnotationsMixin, LabelsMixin, ReviewsMixin):
    # The same base order as Project, so the mixins combine into one consistent MRO.

    def agreement(
        self,
        users: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        documents: Sequence[str] | None = None,
        *,
        all_docs: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> AgreementReport:
        """Inter-annotator agreement (see :mod:`annotator.agreement`) over this project.

        ``documents`` are references (number, id or exact title). Raises AnnotatorError
        with a clear message when fewer than two users or no documents are left.
        """
        selection = self.agreement_selection(users, labels, documents, all_docs=all_docs)
        return compute_agreement(
            selection.documents, selection.users, selection.labels, progress=progress
        )

    def agreement_selection(
        self,
        users: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        documents: Sequence[str] | None = None,
        *,
        all_docs: bool = False,
    ) -> AgreementSelection:
        """The documents, users and labels that :meth:`agreement` would compare."""
        label_names = self._agreement_labels(labels)
        referenced = (
            [self.find_document(ref).id for ref in dict.fromkeys(documents)] if documents else None
        )
        with self._reading() as session:
            pks = dict(session.execute(select(Document.uuid, Document.id)).all())
            candidate_pks = sorted(pks.values()) if referenced is None else [
                pks[c] for c in referenced
            ]
            names = dict(session.execute(select(Annotator.name, Annotator.id)).all())
            if users:
                chosen = list(dict.fromkeys(u.strip() for u in users))
                unknown = [u for u in chosen if u not in names]
                if unknown:
                    raise AnnotatorError(f"no annotator named {', '.join(map(repr, unknown))}")
            else:
                chosen = sorted(self._annotating(session, candidate_pks) - {GOLD})
            if len(chosen) < 2:
                found = ", ".join(chosen) or "nobody"
                raise AnnotatorError(
                    f"agreement needs at least two annotators (found: {found}); "
                    "name them with --users"
                )
            user_pks = [names[u] for u in chosen]
            statuses = self._statuses(session, candidate_pks, user_pks)
            if all_docs:
                selected = candidate_pks
            else:
                selected = [
                    pk for pk in candidate_pks
                    if all(statuses.get((pk, u)) == "done" for u in user_pks)
                ]
            if not selected:
                if all_docs:
                    raise AnnotatorError("there are no documents to compare")
                raise AnnotatorError(
                    f"no document is marked done by all of {', '.join(chosen)}; use --all-docs "
                    "to compare every document"
                )
            texts: dict[int, str] = {}
            spans: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
            links: dict[int, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
            label_of = dict(session.execute(
                select(Label.id, Label.name).where(Label.name.in_(label_names))
            ).all())
            user_of = {names[u]: u for u in chosen}
            everything = len(selected) == len(pks)
            step = len(selected) if everything else CHUNK
            for i in range(0, len(selected), step):
                chunk = selected[i : i + step]
                texts_query = select(Document.id, Document.text)
                spans_query = select(
                    Annotation.document_id, Annotation.annotator_id, Annotation.start,
                    Annotation.end, Annotation.label_id,
                ).where(~Annotation.deleted, Annotation.annotator_id.in_(user_pks))
                if not everything:  # all documents: no long IN list to send and check
                    texts_query = texts_query.where(Document.id.in_(chunk))
                    spans_query = spans_query.where(Annotation.document_id.in_(chunk))
                texts.update(session.execute(texts_query).all())
                for document_pk, user_pk, start, end, label_pk in session.execute(spans_query):
                    label = label_of.get(label_pk)
                    if label is not None:
                        spans[document_pk][user_of[user_pk]].append(Span(start, end, label))
                links_query = (
                    select(Relation.document_id, Relation.annotator_id, Source.start,
                           Source.end, Target.start, Target.end, RelationType.name)
                    .join(Source, Relation.from_id == Source.id)
                    .join(Target, Relation.to_id == Target.id)
                    .join(RelationType, Relation.type_id == RelationType.id)
                    .where(live(), Relation.annotator_id.in_(user_pks))
                )
                if not everything:
                    links_query = links_query.where(Relation.document_id.in_(chunk))
                for document_pk, user_pk, fs, fe, ts, te, kind in session.execute(links_query):
                    links[document_pk][user_of[user_pk]].append(Link((fs, fe), (ts, te), kind))
        by_pk = {pk: uuid for uuid, pk in pks.items()}
        out = []
        for pk in sorted(selected):
            per_user = spans.get(pk, {})
            annotated = [
                u for u, upk in zip(chosen, user_pks, strict=True)
                if not all_docs or u in per_user or statuses.get((pk, upk), "new") != "new"
            ]
            linked = links.get(pk, {})
            out.append(DocumentSpans(texts[pk], {u: per_user.get(u, []) for u in annotated},
                                     {u: linked.get(u, []) for u in annotated}))
        return AgreementSelection(
            tuple(by_pk[pk] for pk in sorted(selected)), tuple(chosen), label_names, tuple(out)
        )

    def _agreement_labels(self, labels: Sequence[str] | None) -> tuple[str, ...]:
        known = [label.name for label in self.labels()]
        if not labels:
            return tuple(known)
        chosen = tuple(dict.fromkeys(label.strip() for label in labels))
        unknown = [label for label in chosen if label not in known]
        if unknown:
            raise AnnotatorError(f"no label named {', '.join(map(repr, unknown))}")
        return chosen

    @staticmethod
    def _annotating(session: Session, document_pks: list[int]) -> set[str]:
        names: set[str] = set()
        for i in range(0, len(document_pks), CHUNK):
            names.update(
                session.scalars(
                    select(func.distinct(Annotator.name))
                    .join(Annotation, Annotation.annotator_id == Annotator.id)
                    .where(Annotation.document_id.in_(document_pks[i : i + CHUNK]),
                           ~Annotation.deleted)
                )
            )
        return names

    @staticmethod
    def _statuses(
        session: Session, document_pks: list[int], user_pks: list[int]
    ) -> dict[tuple[int, int], str]:
        wanted = set(document_pks)
        rows = session.execute(
            select(DocumentStatus.document_id, DocumentStatus.annotator_id, DocumentStatus.status)
            .where(DocumentStatus.annotator_id.in_(user_pks))
        )
        return {(d, u): s for d, u, s in rows if d in wanted}
