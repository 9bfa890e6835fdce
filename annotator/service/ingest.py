"""Storing documents and annotations that arrive from outside: imports now, merges later.

:func:`ingest` takes what a reader (or a merge) found and applies it inside the caller's
transaction, all or nothing:

- documents are matched by id, then by the sha256 of their text, and created when the
  incoming side carries the text;
- annotations keep their ids (made-up ids of formats without ours first adopt the id of
  the matching stored annotation) and go through the one upsert engine that merges use
  too (:mod:`annotator.service.upsert`): newer wins, the loser goes to history, twins
  are folded;
- every annotation is checked against its document's text (offsets inside it, recorded
  passage equal to the text at the offsets, or re-anchored by its quote when that is
  unique) and any problem refuses the whole batch with :class:`FileRefused`;
- unknown labels (palette colour) and annotators are created;
- relations between the file's annotations follow (:mod:`annotator.service.ingest_relations`).

All lookups are bulk queries in chunks, so 10^5 annotations need no per-row SELECT.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.changes import ADDED, ChangeSet
from annotator.formats.fields import stable_id
from annotator.formats.model import FileRefused, IncomingAnnotation, IncomingDocument, Problem
from annotator.models import Annotation, Annotator, Base, Document, Label, new_uuid, utcnow
from annotator.service.base import ensure_annotators
from annotator.service.changelog import note_reviews
from annotator.service.document_rows import text_sha256
from annotator.service.documents import DocumentsMixin
from annotator.service.ingest_match import (
    IngestCounts,
    check_annotations,
    chunks,
    clean_note,
    document_texts,
    resolve_documents,
)
from annotator.service.ingest_relations import ingest_relations
from annotator.service.labels import next_color
from annotator.service.origin_store import import_origins
from annotator.service.reviews import latest_verdicts
from annotator.service.upsert import Version, existing_versions, upsert


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
    changes: ChangeSet | None = None,
) -> IngestCounts:
    """Store incoming documents and annotations; raise FileRefused (nothing stored) on problems.

    ``user`` is credited with annotations whose annotator the file does not name; ``labels``
    are created even if no annotation uses them (a format's declared tag set); the colours
    and keys a file gives them are applied afterwards by
    :func:`annotator.service.labels.apply_label_styles`. What changed is recorded in
    ``changes``.
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
    changes = changes if changes is not None else ChangeSet(reason)
    _create_documents(session, documents, pks, counts, changes)
    label_ids = _ensure_labels(session, [*labels, *_all_labels(documents)], counts, changes)
    anonymous = any(a.annotator is None for d in documents for a in d.annotations)
    names = [user] * anonymous + _all_annotators(documents)
    annotator_ids = _ensure_annotators(session, names, counts)
    _adopt_matching_ids(session, documents, pks)
    current = _apply(session, documents, pks, label_ids, annotator_ids, user, reason, counts,
                     problems, changes)
    if problems:
        raise FileRefused(problems)
    ingest_relations(session, documents, pks, user, counts, problems, changes)
    if problems:
        raise FileRefused(problems)
    _apply_verdicts(session, documents, current, user, counts, changes)
    import_origins(session, documents, pks, changes)
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
    changes: ChangeSet,
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
            changes.document(uuid, ADDED)
        pks[index] = created[sha]


def _ensure_labels(
    session: Session, names: list[str], counts: IngestCounts, changes: ChangeSet
) -> dict[str, int]:
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
        changes.label(name, ADDED)
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


def _apply(
    session: Session,
    documents: Sequence[IncomingDocument],
    pks: dict[int, int | None],
    label_ids: dict[str, int],
    annotator_ids: dict[str, int],
    user: str,
    reason: str,
    counts: IngestCounts,
    problems: list[Problem],
    changes: ChangeSet,
) -> set[str]:
    """Write the annotations through the upsert engine; return the ids whose stored
    version is now the incoming one. What the file does not state (annotator, note,
    times) is taken from the stored version, else the importing user and now."""
    local = sorted({pk for pk in pks.values() if pk is not None})
    uuids: dict[int, str] = {}
    for chunk in chunks(local):
        uuids.update(session.execute(
            select(Document.id, Document.uuid).where(Document.id.in_(chunk))).all())
    existing = existing_versions(session, [a.id for d in documents for a in d.annotations])
    now = utcnow()
    incoming: list[Version] = []
    lines: dict[str, tuple[str, int]] = {}
    for index, document in enumerate(documents):
        pk = pks.get(index)
        if pk is None:
            continue
        for a in document.annotations:
            old = existing.get(a.id)
            note = clean_note(a.note) if a.has_note else (old.note if old else None)
            annotator = a.annotator or (old.annotator if old else user)
            created = a.created or a.updated or (old.created if old else now)
            content = (a.start, a.end, a.label, annotator, note, a.deleted)
            # A file without times: a change is new (now); the same content changes nothing.
            updated = a.updated or (created if old is None else
                                    old.updated if old.content == content else now)
            incoming.append(Version(a.id, pk, uuids[pk], a.start, a.end, a.label, annotator,
                                    note, created, updated, a.deleted, a.synthetic_id))
            lines[a.id] = (document.source, a.line)
    outcome = upsert(session, incoming, existing, label_ids, annotator_ids, changes, reason)
    for version in outcome.elsewhere:
        source, line = lines[version.id]
        problems.append(Problem(source, line, f"annotation {version.id} belongs to another "
                                              "document"))
    counts.added += outcome.added
    counts.updated += outcome.updated
    counts.unchanged += outcome.unchanged
    counts.kept += outcome.older
    counts.folded += outcome.folded
    return outcome.current


def _apply_verdicts(
    session: Session,
    documents: Sequence[IncomingDocument],
    current: set[str],
    user: str,
    counts: IngestCounts,
    changes: ChangeSet,
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
    note_reviews(session, changes, [aid for aid, _ in changed])
