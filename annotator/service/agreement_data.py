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
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.agreement.report import AgreementReport
from annotator.agreement.spans import DocumentSpans, Link, Span
from annotator.agreement.suggester import WithSuggester
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
from annotator.suggest.outcomes import SUGGESTER
from annotator.suggest.rules import suggest_text

CHUNK = 5_000
"""Most document keys in one IN list."""
READ_CHUNK = 200
"""Documents read from the database at once while agreement streams through them."""


@dataclass(frozen=True, slots=True)
class SelectedDocuments:
    """The compared documents, read from the database a chunk at a time each time they
    are iterated, so that agreement over a large project never holds them all."""

    reading: Callable[[], AbstractContextManager[Session]]
    pks: list[int]
    """Sorted local keys of the documents."""
    user_of: dict[int, str]
    label_of: dict[int, str]
    annotated: Callable[[int, dict[str, list[Span]]], dict[str, list[Span]]]
    """The users who annotated a document (its key, the users' spans there)."""

    def __len__(self) -> int:
        return len(self.pks)

    def __iter__(self) -> Iterator[DocumentSpans]:
        for i in range(0, len(self.pks), READ_CHUNK):
            yield from self._chunk(self.pks[i : i + READ_CHUNK])

    def _chunk(self, chunk: list[int]) -> list[DocumentSpans]:
        spans: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
        links: dict[int, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
        with self.reading() as session:
            # Core rows, not ORM ones: a third less time per span read.
            connection = session.connection()
            texts = dict(connection.execute(
                select(Document.id, Document.text).where(Document.id.in_(chunk))
            ).all())
            # Users are picked here, not in SQL: given both, SQLite searches the annotator
            # index, reading all of a user's annotations for every chunk.
            rows = connection.execute(
                select(Annotation.document_id, Annotation.annotator_id, Annotation.start,
                       Annotation.end, Annotation.label_id)
                .where(Annotation.document_id.in_(chunk), ~Annotation.deleted)
            )
            for document_pk, user_pk, start, end, label_pk in rows:
                label = self.label_of.get(label_pk)
                user = self.user_of.get(user_pk)
                if label is not None and user is not None:
                    spans[document_pk][user].append(Span(start, end, label))
            link_rows = connection.execute(
                select(Relation.document_id, Relation.annotator_id, Source.start, Source.end,
                       Target.start, Target.end, RelationType.name)
                .join(Source, Relation.from_id == Source.id)
                .join(Target, Relation.to_id == Target.id)
                .join(RelationType, Relation.type_id == RelationType.id)
                .where(Relation.document_id.in_(chunk), live())
            )
            for document_pk, user_pk, fs, fe, ts, te, kind in link_rows:
                user = self.user_of.get(user_pk)
                if user is not None:
                    links[document_pk][user].append(Link((fs, fe), (ts, te), kind))
        out = []
        for pk in chunk:
            annotated = self.annotated(pk, spans.get(pk, {}))
            linked = links.get(pk, {})
            out.append(DocumentSpans(texts[pk], annotated,
                                     {u: linked.get(u, []) for u in annotated}))
        return out


@dataclass(frozen=True, slots=True)
class AgreementSelection:
    """The inputs of an agreement computation: which documents, users and labels."""

    document_ids: tuple[str, ...]
    users: tuple[str, ...]
    labels: tuple[str, ...]
    documents: SelectedDocuments | WithSuggester
    """Iterable (more than once) and sized; read lazily, a chunk at a time."""


class AgreementMixin(DocumentsMixin, AnnotationsMixin, LabelsMixin, ReviewsMixin):
    # The same base order as Project, so the mixins combine into one consistent MRO.

    def agreement(
        self,
        users: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        documents: Sequence[str] | None = None,
        *,
        all_docs: bool = False,
        with_suggester: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> AgreementReport:
        """Inter-annotator agreement (see :mod:`annotator.agreement`) over this project.

        ``documents`` are references (number, id or exact title). With ``with_suggester``
        the rule-based suggester joins as a virtual annotator named ``suggester`` that
        annotated every compared document (its proposals, as ``annotator suggest`` makes
        them), reported against each analyst like any pair; one analyst is then enough.
        Raises AnnotatorError with a clear message when too few users or no documents are
        left.
        """
        # numpy (a third of a second) is loaded when agreement is computed, not with the
        # project.
        from annotator.agreement.compute import compute_agreement

        selection = self.agreement_selection(users, labels, documents, all_docs=all_docs,
                                             with_suggester=with_suggester)
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
        with_suggester: bool = False,
    ) -> AgreementSelection:
        """The documents, users and labels that :meth:`agreement` would compare."""
        label_names = self._agreement_labels(labels)
        referenced = (
            [self.find_document(ref).id for ref in dict.fromkeys(documents)] if documents else None
        )
        with self._reading() as session:
            pks = dict(session.execute(
                select(Document.uuid, Document.id).where(~Document.deleted)).all())
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
            if with_suggester and SUGGESTER in chosen:
                raise AnnotatorError(
                    f"an annotator is named {SUGGESTER!r}, the name the suggester goes by; "
                    "leave it out with --users to compare with the suggester"
                )
            if len(chosen) < (1 if with_suggester else 2):
                found = ", ".join(chosen) or "nobody"
                needed = "one annotator" if with_suggester else "two annotators"
                raise AnnotatorError(
                    f"agreement needs at least {needed} (found: {found}); name them with --users"
                )
            user_pks = [names[u] for u in chosen]
            statuses = self._statuses(session, candidate_pks, user_pks)
            if all_docs:
                selected = sorted(candidate_pks)
            else:
                selected = sorted(
                    pk for pk in candidate_pks
                    if all(statuses.get((pk, u)) == "done" for u in user_pks)
                )
            if not selected:
                if all_docs:
                    raise AnnotatorError("there are no documents to compare")
                raise AnnotatorError(
                    f"no document is marked done by all of {', '.join(chosen)}; use --all-docs "
                    "to compare every document"
                )
            label_of = dict(session.execute(
                select(Label.id, Label.name).where(Label.name.in_(label_names))
            ).all())
        user_of = dict(zip(user_pks, chosen, strict=True))

        def annotated(pk: int, spans: dict[str, list[Span]]) -> dict[str, list[Span]]:
            return {u: spans.get(u, []) for upk, u in user_of.items()
                    if not all_docs or u in spans or statuses.get((pk, upk), "new") != "new"}

        by_pk = {pk: uuid for uuid, pk in pks.items()}
        stored = SelectedDocuments(self._reading, selected, user_of, label_of, annotated)
        if not with_suggester:
            return AgreementSelection(tuple(by_pk[pk] for pk in selected), tuple(chosen),
                                      label_names, stored)
        return AgreementSelection(
            tuple(by_pk[pk] for pk in selected), (*chosen, SUGGESTER), label_names,
            WithSuggester(stored, suggest_text, SUGGESTER),
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
