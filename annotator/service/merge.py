"""Bringing a colleague's work in (merge) and packing ours up for them (bundle).

Documents are matched by the sha256 of their text, annotations and reviews by id. A
document's title and deletion keep the newer edit (see :mod:`annotator.service.document_merge`):
deletions travel, and an older bundle never brings back a document deleted since.
Annotations go through the one upsert engine (:mod:`annotator.service.upsert`): the
newer version wins, the other is kept in ``annotation_history``, tombstones travel like
any other version, twins are folded; merging again changes nothing, and disjoint work
merges to the same result in any order. Statuses (per document and
annotator) keep the newer. The whole merge is one transaction: a bad source changes
nothing.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, inspect, select, text
from sqlalchemy.orm import Session

from annotator.changes import ADDED, ChangeSet
from annotator.errors import AnnotatorError
from annotator.models import (
    Annotator,
    Document,
    DocumentStatus,
    Label,
    Review,
    new_uuid,
    utcnow,
)
from annotator.review_records import BundleSummary, MergeReport
from annotator.service.base import ProjectBase, ensure_annotators
from annotator.service.bundle import BundleLimits, read_bundle, write_bundle
from annotator.service.changelog import note_reviews
from annotator.service.document_merge import DocumentEdits, title_of
from annotator.service.origin_links import merge_link_origins
from annotator.service.origin_store import merge_origins
from annotator.service.payload import Payload, parse_payload
from annotator.service.project_file import is_sqlite_file, read_project_file
from annotator.service.relation_merge import (
    RelationOutcome,
    merge_relation_types,
    merge_relations,
)
from annotator.service.tables import collect
from annotator.service.upsert import PastVersion, Version, existing_versions, matching, upsert

_STATUS = cast(Table, DocumentStatus.__table__)
_REVIEWS = cast(Table, Review.__table__)


class MergeMixin(ProjectBase):
    def bundle(
        self, path: str | os.PathLike[str], users: Sequence[str] | None = None
    ) -> BundleSummary:
        """Write a bundle of the project's work (``users``: only theirs) to ``path``."""
        wanted = None if not users else list(dict.fromkeys(u.strip() for u in users))
        with self._reading() as session:
            if wanted is not None:
                known = set(session.scalars(select(Annotator.name)))
                unknown = [u for u in wanted if u not in known]
                if unknown:
                    raise AnnotatorError(f"no annotator named {', '.join(map(repr, unknown))}")
            tables = set(inspect(session.connection()).get_table_names())

            def execute(sql: str) -> Iterable[Sequence[Any]]:
                return session.execute(text(sql))

            payload = collect(execute, tables, wanted)
        write_bundle(path, payload, wanted, utcnow())
        return BundleSummary(
            os.fspath(path),
            None if wanted is None else tuple(wanted),
            len(payload["documents"]),
            len(payload["annotations"]),
            len(payload["statuses"]),
            len(payload["reviews"]),
            len(payload["relations"]),
        )

    def merge(
        self, source: str | os.PathLike[str], *, limits: BundleLimits | None = None
    ) -> MergeReport:
        """Merge a colleague's bundle (.zip) or project file (read-only) into this project."""
        path = Path(source).expanduser()
        if not path.exists():
            raise AnnotatorError(f"{path} does not exist")
        if path.is_dir():
            raise AnnotatorError(f"{path} is a folder; give a bundle or a project file")
        if is_sqlite_file(path):
            raw, kind = read_project_file(path), "project"
        elif zipfile.is_zipfile(path):
            raw, kind = read_bundle(path, limits), "bundle"
        else:
            raise AnnotatorError(f"{path} is neither a bundle (.zip) nor an Annotator project file")
        payload = parse_payload(raw)
        self._back_up("before-merge")
        with self._writing(f"merge {path.name}", announce=True) as (session, changes):
            return _Merge(session, payload, changes).run(str(path), kind)


class _Merge:
    def __init__(self, session: Session, payload: Payload, changes: ChangeSet) -> None:
        self.session = session
        self.payload = payload
        self.changes = changes
        self.counts = dict.fromkeys(
            ("documents_added", "documents_matched", "added", "updated", "unchanged",
             "conflicting", "deletions", "reviews", "statuses", "history", "folded",
             "documents_renamed", "documents_deleted", "documents_restored"), 0)
        self.labels_added: list[str] = []

    def run(self, source: str, kind: str) -> MergeReport:
        label_ids = self._labels()
        documents = self._documents()
        annotators = self._annotators()
        live_labels = self._annotations(documents, label_ids, annotators)
        self._revive_labels(live_labels)
        self._statuses(documents, annotators)
        self._reviews(annotators)
        relations = self._relations(documents, annotators)
        origins = merge_origins(self.session, self.payload.origins, documents, annotators,
                                self.changes)
        link_origins = merge_link_origins(self.session, self.payload.link_origins, documents,
                                          annotators, self.changes)
        c = self.counts
        return MergeReport(
            source, kind, c["documents_added"], c["documents_matched"], c["added"], c["updated"],
            c["unchanged"], c["conflicting"], c["deletions"], c["reviews"], c["statuses"],
            tuple(self.labels_added), c["history"], c["folded"],
            relations.added, relations.updated, relations.unchanged, relations.conflicting,
            tuple(relations.types_added), c["documents_renamed"], c["documents_deleted"],
            c["documents_restored"], origins, link_origins,
        )

    def _relations(self, documents: dict[str, int], annotators: dict[str, int]
                   ) -> RelationOutcome:
        outcome = RelationOutcome()
        incoming = self.payload.relations
        used = {r.type for r in incoming if not r.deleted}
        type_ids = merge_relation_types(self.session, self.payload.relation_types, used,
                                        self.changes, outcome)
        if incoming:
            uuids = dict(self.session.execute(select(Document.id, Document.uuid)).all())
            merge_relations(self.session, incoming, documents, uuids, type_ids, annotators,
                            self.changes, outcome)
        return outcome

    def _labels(self) -> dict[str, int]:
        rows = list(self.session.scalars(select(Label)))
        by_name = {row.name: row for row in rows}
        self._live_keys = {row.key for row in rows if not row.removed and row.key}
        self._next_order = max((row.order for row in rows if not row.removed), default=-1) + 1
        for label in self.payload.labels:
            if label.name in by_name:
                continue
            key = None if label.removed or label.key in self._live_keys else label.key
            row = Label(name=label.name, color=label.color, key=key,
                        description=label.description, order=self._next_order,
                        removed=label.removed)
            self.session.add(row)
            by_name[label.name] = row
            if not label.removed:
                self._next_order += 1
                self.labels_added.append(label.name)
                self.changes.label(label.name, ADDED)
                if key:
                    self._live_keys.add(key)
        self.session.flush()
        self._label_rows = by_name
        return {name: row.id for name, row in by_name.items()}

    def _revive_labels(self, used: set[str]) -> None:
        # An incoming live annotation keeps its label usable here, even if we removed it.
        key_of = {label.name: label.key for label in self.payload.labels}
        for name in sorted(used):
            row = self._label_rows[name]
            if row.removed:
                key = key_of.get(name)
                row.removed, row.order = False, self._next_order
                row.key = key if key and key not in self._live_keys else None
                self._next_order += 1
                self.labels_added.append(name)
                self.changes.label(name, ADDED)

    def _documents(self) -> dict[str, int]:
        session = self.session
        by_sha: dict[str, int] = {}
        query = select(Document.sha256, Document.id).order_by(Document.id)
        for digest, local_pk in session.execute(query):
            by_sha.setdefault(digest, local_pk)
        taken = set(session.scalars(select(Document.uuid)))
        edits = DocumentEdits(session, self.changes)
        mapping: dict[str, int] = {}
        for doc in self.payload.documents:
            pk = by_sha.get(doc.sha256)
            if pk is None:
                row = Document(
                    uuid=doc.id if doc.id not in taken else new_uuid(),
                    title=title_of(doc.title),
                    text=doc.text, chars=len(doc.text), sha256=doc.sha256, file_name=doc.file_name,
                    format=doc.format, meta=doc.meta, created=doc.created, updated=doc.updated,
                    deleted=doc.deleted,
                )
                session.add(row)
                session.flush()
                pk = by_sha[doc.sha256] = row.id
                taken.add(row.uuid)
                self.counts["documents_added"] += 1
                if not doc.deleted:
                    self.changes.document(row.uuid, ADDED)
            else:
                self.counts["documents_matched"] += 1
                edits.apply(pk, doc)
            mapping[doc.id] = pk
        for what, n in edits.counts.items():
            self.counts[f"documents_{what}"] += n
        return mapping

    def _annotators(self) -> dict[str, int]:
        p = self.payload
        names = {a.annotator for a in p.annotations} | {s.annotator for s in p.statuses}
        names |= {r.reviewer for r in p.reviews} | {r.annotator for r in p.relations}
        names |= {o.annotator for o in p.origins} | {o.annotator for o in p.link_origins}
        return ensure_annotators(self.session, sorted(names))[0]

    def _annotations(
        self, documents: dict[str, int], label_ids: dict[str, int], annotators: dict[str, int]
    ) -> set[str]:
        uuids = dict(self.session.execute(select(Document.id, Document.uuid)).all())
        incoming = [
            Version(a.id, documents[a.document], uuids[documents[a.document]], a.start, a.end,
                    a.label, a.annotator, a.note, a.created, a.updated, a.deleted)
            for a in self.payload.annotations
        ]
        past = [
            PastVersion((old.annotation, old.start, old.end, old.label, old.annotator, old.note,
                         old.deleted, old.updated), old.recorded, old.reason)
            for old in self.payload.history
        ]
        existing = existing_versions(self.session, [v.id for v in incoming])
        outcome = upsert(self.session, incoming, existing, label_ids, annotators, self.changes,
                         "merge", past)
        if outcome.elsewhere:
            raise AnnotatorError(
                f"annotation {outcome.elsewhere[0].id} belongs to a different document in the "
                "source; nothing was merged"
            )
        c = self.counts
        c["added"], c["updated"], c["unchanged"] = outcome.added, outcome.updated, outcome.unchanged
        c["conflicting"], c["deletions"] = outcome.older, outcome.deletions
        c["history"], c["folded"] = outcome.history, outcome.folded
        return outcome.live_labels

    def _statuses(self, documents: dict[str, int], annotators: dict[str, int]) -> None:
        current: dict[tuple[int, int], tuple[str, datetime]] = {
            (r[0], r[1]): (r[2], r[3])
            for r in self.session.execute(
                select(DocumentStatus.document_id, DocumentStatus.annotator_id,
                       DocumentStatus.status, DocumentStatus.updated)
            )
        }
        new: dict[tuple[int, int], tuple[str, datetime]] = {}
        changed: dict[tuple[int, int], tuple[str, datetime]] = {}
        for s in self.payload.statuses:
            key = (documents[s.document], annotators[s.annotator])
            mine = new.get(key) or changed.get(key) or current.get(key)
            if mine is None:
                new[key] = (s.status, s.updated)
            elif (s.updated, s.status) > (mine[1], mine[0]):
                (new if key in new else changed)[key] = (s.status, s.updated)
        if new:
            self.session.execute(_STATUS.insert(), [
                {"document_id": d, "annotator_id": a, "status": s, "updated": u}
                for (d, a), (s, u) in new.items()
            ])
        if changed:
            self.session.execute(
                _STATUS.update().where(
                    _STATUS.c.document_id == bindparam("b_document"),
                    _STATUS.c.annotator_id == bindparam("b_annotator"),
                ),
                [{"b_document": d, "b_annotator": a, "status": s, "updated": u}
                 for (d, a), (s, u) in changed.items()],
            )
        self.counts["statuses"] = len(new) + len(changed)
        if new or changed:
            uuids = dict(self.session.execute(select(Document.id, Document.uuid)).all())
            names = {pk: name for name, pk in annotators.items()}
            for (document_pk, annotator_pk), (status, _) in [*new.items(), *changed.items()]:
                self.changes.status(uuids[document_pk], names[annotator_pk], status)

    def _reviews(self, annotators: dict[str, int]) -> None:
        ids = [r.id for r in self.payload.reviews]
        present = {row[0] for row in matching(self.session, select(Review.id), Review.id, ids)}
        rows = [
            {"id": r.id, "annotation_id": r.annotation, "reviewer_id": annotators[r.reviewer],
             "verdict": r.verdict, "comment": r.comment, "created": r.created}
            for r in self.payload.reviews
            if r.id not in present
        ]
        if rows:
            self.session.execute(_REVIEWS.insert(), rows)
            note_reviews(self.session, self.changes, [r.annotation for r in self.payload.reviews
                                                      if r.id not in present])
        self.counts["reviews"] = len(rows)
