"""Storing documents and annotations that arrive from outside: imports now, merges later.

:func:`ingest` takes what a reader (or a merge) found and applies it inside the caller's
transaction, all or nothing:

- documents are matched by id, then by the sha256 of their text, and created when the
  incoming side carries the text;
- annotations keep their ids. Same id and same content: unchanged. Same id and different
  content: the version with the newer ``updated`` wins (ties go to the greater content, so
  both sides of a merge agree), and the losing version is written to ``annotation_history``
  with the given reason. Incoming tombstones (``deleted``) travel the same way;
- every annotation is checked against its document's text (offsets inside it, recorded
  passage equal to the text at the offsets, or re-anchored by its quote when that is
  unique) and any problem refuses the whole batch with :class:`FileRefused`;
- unknown labels (palette colour) and annotators are created.

All lookups are bulk queries in chunks, so 10^5 annotations need no per-row SELECT.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from annotator.formats.fields import stable_id
from annotator.formats.model import (
    FileRefused,
    IncomingAnnotation,
    IncomingDocument,
    Problem,
)
from annotator.models import (
    Annotation,
    AnnotationVersion,
    Annotator,
    Base,
    Document,
    Label,
    new_uuid,
    utcnow,
)
from annotator.service.base import ensure_annotators
from annotator.service.documents import DocumentsMixin, text_sha256
from annotator.service.ingest_match import (
    IngestCounts,
    check_annotations,
    chunks,
    clean_note,
    document_texts,
    resolve_documents,
)
from annotator.service.labels import next_color
from annotator.service.reviews import latest_verdicts

_UPDATED_COLUMNS = ("start", "end", "label_id", "annotator_id", "note", "updated", "deleted")


@dataclass(slots=True)
class _Existing:
    id: str
    document_pk: int
    start: int
    end: int
    label: str
    annotator: str
    note: str | None
    created: datetime
    updated: datetime
    deleted: bool


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def ingest(
    session: Session,
    documents: Sequence[IncomingDocument],
    *,
    user: str,
    reason: str = "import",
    policy: str = "newer-wins",
    labels: Iterable[str] = (),
) -> IngestCounts:
    """Store incoming documents and annotations; raise FileRefused (nothing stored) on problems.

    ``user`` is credited with annotations whose annotator the file does not name; ``labels``
    are created even if no annotation uses them (a format's declared tag set); the colours
    and keys a file gives them are applied afterwards by
    :func:`annotator.service.labels.apply_label_styles`.
    """
    if policy != "newer-wins":
        raise ValueError(f"unknown policy {policy!r}")
    counts = IngestCounts()
    problems: list[Problem] = []
    pks = resolve_documents(session, documents, problems, counts)
    texts = document_texts(session, documents, pks)
    check_annotations(documents, texts, problems, counts)
    if problems:
        raise FileRefused(problems)
    _create_documents(session, documents, pks, counts)
    label_ids = _ensure_labels(session, [*labels, *_all_labels(documents)], counts)
    anonymous = any(a.annotator is None for d in documents for a in d.annotations)
    names = [user] * anonymous + _all_annotators(documents)
    annotator_ids = _ensure_annotators(session, names, counts)
    _adopt_matching_ids(session, documents, pks)
    existing = _existing(session, [a.id for d in documents for a in d.annotations])
    current = _apply(session, documents, pks, existing, label_ids, annotator_ids, user, reason,
                     counts, problems)
    if problems:
        raise FileRefused(problems)
    _apply_verdicts(session, documents, current, user, counts)
    return counts


def _all_labels(documents: Sequence[IncomingDocument]) -> list[str]:
    return list(dict.fromkeys(a.label for d in documents for a in d.annotations))


def _all_annotators(documents: Sequence[IncomingDocument]) -> list[str]:
    return list(
        dict.fromkeys(a.annotator for d in documents for a in d.annotations if a.annotator)
    )


def _create_documents(
    session: Session,
    documents: Sequence[IncomingDocument],
    pks: dict[int, int | None],
    counts: IngestCounts,
) -> None:
    created: dict[str, int] = {}
    for index, document in enumerate(documents):
        if index not in pks or pks[index] is not None or document.text is None:
            continue
        sha = document.sha256 or text_sha256(document.text)
        if sha not in created:
            uuid = DocumentsMixin._insert_document(
                session, document.text, document.title or "Untitled", "txt", None,
                document.meta, document.id,
            )
            pk = session.scalar(select(Document.id).where(Document.uuid == uuid))
            assert pk is not None
            created[sha] = pk
            counts.documents_created += 1
        pks[index] = created[sha]


def _ensure_labels(session: Session, names: list[str], counts: IngestCounts) -> dict[str, int]:
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    rows = {row.name: row for row in session.scalars(select(Label))}
    live = [row for row in rows.values() if not row.removed]
    used = {row.color.upper() for row in live}
    order = max((row.order for row in live), default=-1)
    for name in names:
        row = rows.get(name)
        if row is not None and not row.removed:
            continue
        color = next_color(used)
        used.add(color)
        order += 1
        if row is None:
            row = Label(name=name, description="")
            session.add(row)
            rows[name] = row
        row.color, row.key, row.order, row.removed = color, None, order, False
        counts.labels_created.append(name)
    session.flush()
    return {name: row.id for name, row in rows.items() if not row.removed}


def _ensure_annotators(
    session: Session, names: list[str], counts: IngestCounts
) -> dict[str, int]:
    ids, created = ensure_annotators(session, names)
    counts.annotators_created.extend(created)
    return ids


def _adopt_matching_ids(
    session: Session, documents: Sequence[IncomingDocument], pks: dict[int, int | None]
) -> None:
    """Give made-up ids the id of an existing live annotation with the same span and label.

    By content, never by place in the file: among the annotations of one span and label,
    those with the same note and annotator are paired first, then the same note, then the
    same annotator, then any (the oldest first). A made-up id left unpaired that names an
    annotation paired with another is replaced, so no two incoming annotations share one.
    """
    wanted = sorted({pks[i] or 0 for i, d in enumerate(documents)
                     if any(a.synthetic_id for a in d.annotations) and pks.get(i)})
    if not wanted:
        return
    explicit = {a.id for d in documents for a in d.annotations if not a.synthetic_id}
    candidates: dict[tuple[int, int, int, str], list[tuple[str, str, str | None]]]
    candidates = defaultdict(list)
    for chunk in chunks(wanted):
        query = (
            select(Annotation.document_id, Annotation.start, Annotation.end, Label.name,
                   Annotation.id, Annotator.name, Annotation.note)
            .join(Label, Annotation.label_id == Label.id)
            .join(Annotator, Annotation.annotator_id == Annotator.id)
            .where(Annotation.document_id.in_(chunk), Annotation.deleted == False)  # noqa: E712
            .order_by(Annotation.created, Annotation.id)
        )
        for owner, start, end, label, annotation_id, annotator, note in session.execute(query):
            if annotation_id not in explicit:
                candidates[(owner, start, end, label)].append((annotation_id, annotator, note))
    groups: dict[tuple[int, int, int, str], list[IncomingAnnotation]] = defaultdict(list)
    for index, document in enumerate(documents):
        pk = pks.get(index)
        for a in document.annotations:
            if a.synthetic_id and pk is not None:
                groups[(pk, a.start, a.end, a.label)].append(a)
    adopted: set[str] = set()
    unpaired: list[IncomingAnnotation] = []
    for group_key, incoming in groups.items():
        unpaired.extend(_pair(incoming, candidates.get(group_key, []), adopted))
    for a in unpaired:
        if a.id in adopted:
            a.id = stable_id(a.id, "unpaired")


def _pair(
    incoming: list[IncomingAnnotation], options: list[tuple[str, str, str | None]],
    adopted: set[str],
) -> list[IncomingAnnotation]:
    """Pair annotations of one span and label with existing (id, annotator, note) options,
    closest match first; return those left unpaired."""

    def score(a: IncomingAnnotation, option: tuple[str, str, str | None]) -> int:
        same_note = a.has_note and option[2] == (clean_note(a.note) if a.has_note else None)
        return 2 * same_note + (option[1] == a.annotator)

    left = list(incoming)
    for tier in (3, 2, 1, 0):
        for a in list(left):
            pick = next((o for o in options if score(a, o) == tier), None)
            if pick is not None:
                options.remove(pick)
                left.remove(a)
                a.id = pick[0]
                adopted.add(pick[0])
    return left


def _existing(session: Session, ids: list[str]) -> dict[str, _Existing]:
    found: dict[str, _Existing] = {}
    for chunk in chunks(sorted(set(ids))):
        query = (
            select(Annotation.id, Annotation.document_id, Annotation.start, Annotation.end,
                   Label.name, Annotator.name, Annotation.note, Annotation.created,
                   Annotation.updated, Annotation.deleted)
            .join(Label, Annotation.label_id == Label.id)
            .join(Annotator, Annotation.annotator_id == Annotator.id)
            .where(Annotation.id.in_(chunk))
        )
        for row in session.execute(query):
            found[row[0]] = _Existing(
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9]
            )
    return found


def _content(start: int, end: int, label: str, annotator: str, note: str | None,
             deleted: bool) -> tuple[Any, ...]:
    return (start, end, label, annotator, note or "", bool(deleted))


def _apply(
    session: Session,
    documents: Sequence[IncomingDocument],
    pks: dict[int, int | None],
    existing: dict[str, _Existing],
    label_ids: dict[str, int],
    annotator_ids: dict[str, int],
    user: str,
    reason: str,
    counts: IngestCounts,
    problems: list[Problem],
) -> set[str]:
    """Write the annotations; return the ids whose stored version is now the incoming one."""
    now = utcnow()
    current: set[str] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for index, document in enumerate(documents):
        pk = pks.get(index)
        if pk is None:
            continue
        for a in document.annotations:
            old = existing.get(a.id)
            if old is None:
                created = a.created or a.updated or now
                inserts.append({
                    "id": a.id, "document_id": pk, "start": a.start, "end": a.end,
                    "label_id": label_ids[a.label],
                    "annotator_id": annotator_ids[a.annotator or user],
                    "note": a.note if a.has_note else None, "created": created,
                    "updated": a.updated or created, "deleted": a.deleted,
                })
                counts.added += 1
                current.add(a.id)
                continue
            if old.document_pk != pk:
                problems.append(Problem(document.source, a.line,
                                        f"annotation {a.id} belongs to another document"))
                continue
            annotator = a.annotator or old.annotator
            note = a.note if a.has_note else old.note
            mine = _content(old.start, old.end, old.label, old.annotator, old.note, old.deleted)
            theirs = _content(a.start, a.end, a.label, annotator, note, a.deleted)
            if mine == theirs:
                counts.unchanged += 1
                current.add(a.id)
                continue
            incoming_updated = a.updated or now
            incoming_wins = (incoming_updated, repr(theirs)) > (old.updated, repr(mine))
            if incoming_wins:
                history.append(_version(old.id, old.start, old.end, old.label, old.annotator,
                                        old.note, old.deleted, old.updated, now, reason))
                updates.append({
                    "id": a.id, "start": a.start, "end": a.end, "label_id": label_ids[a.label],
                    "annotator_id": annotator_ids[annotator], "note": note,
                    "updated": incoming_updated, "deleted": a.deleted,
                })
                counts.updated += 1
                current.add(a.id)
            else:
                history.append(_version(a.id, a.start, a.end, a.label, annotator, note,
                                        a.deleted, incoming_updated, now, reason))
                counts.kept += 1
    if problems:
        return current
    if inserts:
        # Core executemany: the ORM's bulk path splits batches wherever a None appears.
        session.connection().execute(insert(_table("annotations")), inserts)
    if updates:
        table = _table("annotations")
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("match_id"))
            .values({name: bindparam(name) for name in _UPDATED_COLUMNS}),
            [{"match_id": row["id"], **{n: row[n] for n in _UPDATED_COLUMNS}} for row in updates],
        )
    if history:
        _add_history(session, history)
    return current


def _apply_verdicts(
    session: Session,
    documents: Sequence[IncomingDocument],
    current: set[str],
    user: str,
    counts: IngestCounts,
) -> None:
    """A file's ``accepted``/``rejected`` status becomes the importing user's verdict when
    the project's latest verdict differs, so the status comes back out as it went in.
    Only for annotations stored as the file has them (a verdict on another version of an
    annotation would not be about what the file shows); ``pending`` retracts nothing."""
    wanted = {a.id: a.status for d in documents for a in d.annotations
              if a.status in ("accepted", "rejected") and a.id in current}
    if not wanted:
        return
    verdicts = latest_verdicts()
    known: dict[str, str] = {}
    for chunk in chunks(sorted(wanted)):
        rows = session.execute(select(verdicts.c.annotation_id, verdicts.c.verdict)
                               .where(verdicts.c.annotation_id.in_(chunk)))
        known.update({row[0]: row[1] for row in rows})
    changed = [(aid, verdict) for aid, verdict in wanted.items() if known.get(aid) != verdict]
    if not changed:
        return
    reviewer = _ensure_annotators(session, [user], counts)[user]
    now = utcnow()
    session.connection().execute(insert(_table("reviews")), [
        {"id": new_uuid(), "annotation_id": aid, "reviewer_id": reviewer, "verdict": verdict,
         "comment": None, "created": now}
        for aid, verdict in changed
    ])
    counts.notes[f"given {user}'s review verdict from the file's status"] += len(changed)


def _version(annotation_id: str, start: int, end: int, label: str, annotator: str,
             note: str | None, deleted: bool, updated: datetime, now: datetime,
             reason: str) -> dict[str, Any]:
    return {"annotation_id": annotation_id, "start": start, "end": end, "label": label,
            "annotator": annotator, "note": note, "deleted": deleted, "updated": updated,
            "recorded": now, "reason": reason}


def _add_history(session: Session, versions: list[dict[str, Any]]) -> None:
    """Add versions not already recorded, so ingesting the same batch twice adds nothing."""
    ids = sorted({v["annotation_id"] for v in versions})
    recorded: set[tuple[Any, ...]] = set()
    for chunk in chunks(ids):
        query = select(AnnotationVersion.annotation_id, AnnotationVersion.start,
                       AnnotationVersion.end, AnnotationVersion.label,
                       AnnotationVersion.annotator, AnnotationVersion.note,
                       AnnotationVersion.deleted, AnnotationVersion.updated).where(
            AnnotationVersion.annotation_id.in_(chunk))
        recorded.update(tuple(row) for row in session.execute(query))
    fresh = [v for v in versions if (v["annotation_id"], v["start"], v["end"], v["label"],
                                     v["annotator"], v["note"], v["deleted"], v["updated"])
             not in recorded]
    if fresh:
        session.connection().execute(insert(_table("annotation_history")), fresh)
