"""Bringing a colleague's work in (merge) and packing ours up for them (bundle).

Documents are matched by the sha256 of their text, annotations and reviews by id. For an
annotation present on both sides with different content, the version with the later
``updated`` wins (ties: a fixed order of the content, so every project picks the same
one) and the other is recorded in ``annotation_history``: nothing is lost, merging again
changes nothing, and disjoint work merges to the same result in any order. Deletions
are tombstones, so they travel like any other version. Statuses (per document and
annotator) keep the newer. The whole merge is one transaction: a bad source changes
nothing.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Row, Select, Table, bindparam, func, inspect, select, text
from sqlalchemy.orm import Session

from annotator.errors import AnnotatorError
from annotator.models import (
    Annotation,
    AnnotationVersion,
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
from annotator.service.payload import InAnnotation, Payload, parse_payload
from annotator.service.project_file import is_sqlite_file, read_project_file
from annotator.service.tables import collect

CHUNK = 5_000
Content = tuple[int, int, str, str, str | None, bool]
VersionKey = tuple[str, int, int, str, str, str | None, bool, datetime]

_ANNOTATIONS = cast(Table, Annotation.__table__)
_HISTORY = cast(Table, AnnotationVersion.__table__)
_STATUS = cast(Table, DocumentStatus.__table__)
_REVIEWS = cast(Table, Review.__table__)


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _matching(
    session: Session, query: Select[*tuple[Any, ...]], key: Any, ids: Sequence[str]
) -> Iterator[Row[*tuple[Any, ...]]]:
    """The rows of ``query`` whose ``key`` is one of ``ids``.

    Many ids: one scan of the table, filtered here, is much faster than long IN lists.
    Few ids against a big table: IN lists, in chunks.
    """
    if not ids:
        return
    table_rows = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if len(ids) * 4 >= table_rows:
        wanted = set(ids)
        for row in session.execute(query):
            if row[0] in wanted:
                yield row
        return
    for chunk in _chunks(ids):
        yield from session.execute(query.where(key.in_(chunk)))


def _rank(content: Content) -> tuple[bool, int, int, str, str, str]:
    start, end, label, annotator, note, deleted = content
    return (deleted, start, end, label, annotator, note or "")


class MergeMixin(ProjectBase):
    def bundle(
        self, path: str | os.PathLike[str], users: Sequence[str] | None = None
    ) -> BundleSummary:
        """Write a bundle of the project's work (``users``: only theirs) to ``path``."""
        wanted = None if not users else list(dict.fromkeys(u.strip() for u in users))
        with self.reading() as session:
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
        with self.transaction() as session:
            return _Merge(session, payload).run(str(path), kind)


class _Merge:
    def __init__(self, session: Session, payload: Payload) -> None:
        self.session = session
        self.payload = payload
        self.counts = dict.fromkeys(
            ("documents_added", "documents_matched", "added", "updated", "unchanged",
             "conflicting", "deletions", "reviews", "statuses", "history"), 0)
        self.labels_added: list[str] = []

    def run(self, source: str, kind: str) -> MergeReport:
        label_ids = self._labels()
        documents = self._documents()
        annotators = self._annotators()
        live_labels = self._annotations(documents, label_ids, annotators)
        self._revive_labels(live_labels)
        self._statuses(documents, annotators)
        self._reviews(annotators)
        c = self.counts
        return MergeReport(
            source, kind, c["documents_added"], c["documents_matched"], c["added"], c["updated"],
            c["unchanged"], c["conflicting"], c["deletions"], c["reviews"], c["statuses"],
            tuple(self.labels_added), c["history"],
        )

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

    def _documents(self) -> dict[str, int]:
        session = self.session
        by_sha: dict[str, int] = {}
        query = select(Document.sha256, Document.id).order_by(Document.id)
        for digest, local_pk in session.execute(query):
            by_sha.setdefault(digest, local_pk)
        taken = set(session.scalars(select(Document.uuid)))
        mapping: dict[str, int] = {}
        for doc in self.payload.documents:
            pk = by_sha.get(doc.sha256)
            if pk is None:
                row = Document(
                    uuid=doc.id if doc.id not in taken else new_uuid(),
                    title=doc.title[:1000] or "Untitled",
                    text=doc.text, chars=len(doc.text), sha256=doc.sha256, file_name=doc.file_name,
                    format=doc.format, meta=doc.meta, created=doc.created,
                )
                session.add(row)
                session.flush()
                pk = by_sha[doc.sha256] = row.id
                taken.add(row.uuid)
                self.counts["documents_added"] += 1
            else:
                self.counts["documents_matched"] += 1
            mapping[doc.id] = pk
        return mapping

    def _annotators(self) -> dict[str, int]:
        p = self.payload
        names = {a.annotator for a in p.annotations} | {s.annotator for s in p.statuses}
        names |= {r.reviewer for r in p.reviews}
        return ensure_annotators(self.session, sorted(names))[0]

    def _annotations(
        self, documents: dict[str, int], label_ids: dict[str, int], annotators: dict[str, int]
    ) -> set[str]:
        session = self.session
        ids = [a.id for a in self.payload.annotations]
        labels = {pk: name for name, pk in label_ids.items()}
        names = {pk: name for name, pk in annotators.items()}
        existing: dict[str, tuple[int, Content, datetime]] = {}
        known: set[VersionKey] = set()
        columns = select(Annotation.id, Annotation.document_id, Annotation.start, Annotation.end,
                         Annotation.label_id, Annotation.annotator_id, Annotation.note,
                         Annotation.deleted, Annotation.updated)
        for found in _matching(session, columns, Annotation.id, ids):
            content = (found[2], found[3], labels[found[4]], names[found[5]], found[6],
                       bool(found[7]))
            existing[found[0]] = (found[1], content, found[8])
        versions_query = select(
            AnnotationVersion.annotation_id, AnnotationVersion.start, AnnotationVersion.end,
            AnnotationVersion.label, AnnotationVersion.annotator, AnnotationVersion.note,
            AnnotationVersion.deleted, AnnotationVersion.updated,
        )
        for v in _matching(session, versions_query, AnnotationVersion.annotation_id,
                           list(existing)):
            known.add((v[0], v[1], v[2], v[3], v[4], v[5], bool(v[6]), v[7]))
        now = utcnow()
        inserts: list[dict[str, Any]] = []
        replaced: list[dict[str, Any]] = []
        touched: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        live_labels: set[str] = set()
        c = self.counts

        def keep(key: VersionKey, recorded: datetime, reason: str) -> None:
            if key not in known:
                known.add(key)
                versions.append({
                    "annotation_id": key[0], "start": key[1], "end": key[2], "label": key[3],
                    "annotator": key[4], "note": key[5], "deleted": key[6], "updated": key[7],
                    "recorded": recorded, "reason": reason,
                })

        for a in self.payload.annotations:
            row = self._row(a, documents, label_ids, annotators)
            theirs: Content = (a.start, a.end, a.label, a.annotator, a.note, a.deleted)
            local = existing.get(a.id)
            if local is None:
                inserts.append(row)
                c["added"] += 1
                c["deletions"] += a.deleted
            elif local[0] != row["document_id"]:
                raise AnnotatorError(
                    f"annotation {a.id} belongs to a different document in the source; "
                    "nothing was merged"
                )
            elif local[1] == theirs:
                c["unchanged"] += 1
                if a.updated > local[2]:
                    touched.append({"b_id": a.id, "updated": a.updated})
                continue
            elif (a.updated, _rank(theirs)) > (local[2], _rank(local[1])):
                keep((a.id, *local[1], local[2]), now, "merge: replaced by a newer version")
                replaced.append(row)
                c["updated"] += 1
                c["deletions"] += a.deleted and not local[1][5]
            elif (a.id, *theirs, a.updated) in known:
                c["unchanged"] += 1
                continue
            else:
                keep((a.id, *theirs, a.updated), now, "merge: older version from a source")
                c["conflicting"] += 1
                continue
            if not a.deleted:
                live_labels.add(a.label)
        for old in self.payload.history:
            keep((old.annotation, old.start, old.end, old.label, old.annotator, old.note,
                  old.deleted, old.updated), old.recorded, old.reason)
        if inserts:
            session.execute(_ANNOTATIONS.insert(), inserts)
        if replaced:
            for change in replaced:
                change["b_id"] = change.pop("id")
                del change["created"]
            session.execute(
                _ANNOTATIONS.update().where(_ANNOTATIONS.c.id == bindparam("b_id")), replaced
            )
        if touched:
            session.execute(
                _ANNOTATIONS.update().where(_ANNOTATIONS.c.id == bindparam("b_id")), touched
            )
        if versions:
            session.execute(_HISTORY.insert(), versions)
        c["history"] = len(versions)
        return live_labels

    @staticmethod
    def _row(
        a: InAnnotation,
        documents: dict[str, int],
        labels: dict[str, int],
        annotators: dict[str, int],
    ) -> dict[str, Any]:
        return {
            "id": a.id, "document_id": documents[a.document], "start": a.start, "end": a.end,
            "label_id": labels[a.label], "annotator_id": annotators[a.annotator], "note": a.note,
            "created": a.created, "updated": a.updated, "deleted": a.deleted,
        }

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

    def _reviews(self, annotators: dict[str, int]) -> None:
        ids = [r.id for r in self.payload.reviews]
        present = {row[0] for row in _matching(self.session, select(Review.id), Review.id, ids)}
        rows = [
            {"id": r.id, "annotation_id": r.annotation, "reviewer_id": annotators[r.reviewer],
             "verdict": r.verdict, "comment": r.comment, "created": r.created}
            for r in self.payload.reviews
            if r.id not in present
        ]
        if rows:
            self.session.execute(_REVIEWS.insert(), rows)
        self.counts["reviews"] = len(rows)
