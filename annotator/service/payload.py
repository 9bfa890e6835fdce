"""The data that travels between projects, and its validation.

A bundle, or another project's file, is read into plain JSON-like values (lists of dicts)
and checked here, field by field, before a merge touches the database: the source is
untrusted, so every type, id, reference and offset is verified and the first problem is
reported as one clear :class:`AnnotatorError`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from annotator.errors import AnnotatorError
from annotator.records import REOPENED, REVIEW_VERDICTS, STATUSES
from annotator.review_records import DISMISSED
from annotator.service.checks import MAX_NOTE
from annotator.suggest.outcomes import ACCEPTED, REJECTED
from annotator.untrusted import UntrustedInput, check_meta

MAX_NAME = 200
VERDICTS = (*REVIEW_VERDICTS, DISMISSED, REOPENED)
OUTCOMES = (ACCEPTED, REJECTED)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LINE_BREAK = re.compile(r"[\t\n\r\x00]")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class InLabel:
    name: str
    color: str
    key: str | None
    description: str
    order: int
    removed: bool


@dataclass(frozen=True, slots=True)
class InDocument:
    id: str
    title: str
    text: str
    sha256: str
    file_name: str | None
    format: str
    meta: dict[str, Any]
    created: datetime
    updated: datetime
    """When the title or the deletion last changed (sources older than document edits
    lack it: their documents were last edited when created)."""
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class InAnnotation:
    id: str
    document: str
    start: int
    end: int
    label: str
    annotator: str
    note: str | None
    created: datetime
    updated: datetime
    deleted: bool


@dataclass(frozen=True, slots=True)
class InStatus:
    document: str
    annotator: str
    status: str
    updated: datetime


@dataclass(frozen=True, slots=True)
class InReview:
    id: str
    annotation: str
    reviewer: str
    verdict: str
    comment: str | None
    created: datetime


@dataclass(frozen=True, slots=True)
class InVersion:
    annotation: str
    start: int
    end: int
    label: str
    annotator: str
    note: str | None
    deleted: bool
    updated: datetime
    recorded: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class InRelationType:
    name: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    description: str
    order: int
    removed: bool


@dataclass(frozen=True, slots=True)
class InRelation:
    id: str
    document: str
    source: str
    target: str
    type: str
    annotator: str
    created: datetime
    updated: datetime
    deleted: bool


@dataclass(frozen=True, slots=True)
class InOrigin:
    """An analyst's decision on a suggestion (see ``annotation_origin``)."""

    id: str
    document: str
    annotation: str | None
    outcome: str
    rule: str
    confidence: float | None
    label: str
    start: int
    end: int
    annotator: str
    created: datetime


@dataclass(frozen=True, slots=True)
class InLinkOrigin:
    """An analyst's decision on a suggested link (see ``relation_origin``); ``source`` and
    ``target`` are its ends as proposed: label, start, end."""

    id: str
    document: str
    relation: str | None
    outcome: str
    rule: str
    confidence: float | None
    type: str
    source: tuple[str, int, int]
    target: tuple[str, int, int]
    annotator: str
    created: datetime


@dataclass(frozen=True, slots=True)
class Payload:
    labels: tuple[InLabel, ...]
    documents: tuple[InDocument, ...]
    annotations: tuple[InAnnotation, ...]
    statuses: tuple[InStatus, ...]
    reviews: tuple[InReview, ...]
    history: tuple[InVersion, ...]
    relation_types: tuple[InRelationType, ...] = ()
    relations: tuple[InRelation, ...] = ()
    origins: tuple[InOrigin, ...] = ()
    link_origins: tuple[InLinkOrigin, ...] = ()


SECTIONS = ("labels", "documents", "annotations", "statuses", "reviews", "history",
            "relation_types", "relations", "origins", "link_origins")
SINCE = {"relation_types": 2, "relations": 2, "origins": 3, "link_origins": 4}
"""The bundle version that introduced each later section."""
LATER_SECTIONS = tuple(SINCE)
"""Sections that sources written before they existed lack (read as empty)."""
MAX_TYPE_LABELS = 1000


def format_time(value: datetime) -> str:
    """Naive UTC as stored, written with an explicit zone."""
    return value.replace(tzinfo=None).isoformat() + "Z"


def parse_payload(raw: dict[str, Any]) -> Payload:
    """Check every section of ``raw`` and return typed records, or raise AnnotatorError."""
    labels = _section(raw, "labels", _label)
    names = {label.name for label in labels}
    if len(names) != len(labels):
        raise AnnotatorError("invalid source: a label name appears twice")
    documents = _section(raw, "documents", _document)
    lengths = _unique({d.id: len(d.text) for d in documents}, len(documents), "document")
    annotations = _section(raw, "annotations", _annotation)
    ids = _unique({a.id: a for a in annotations}, len(annotations), "annotation")
    for a in annotations:
        _check_offsets(a.id, a.document, a.start, a.end, lengths)
        if a.label not in names:
            raise AnnotatorError(f"invalid source: annotation {a.id} has an unlisted label")
    statuses = _section(raw, "statuses", _status)
    for s in statuses:
        if s.document not in lengths:
            raise AnnotatorError("invalid source: a status refers to an unknown document")
    reviews = _section(raw, "reviews", _review)
    _unique({r.id: r for r in reviews}, len(reviews), "review")
    for r in reviews:
        if r.annotation not in ids:
            raise AnnotatorError(f"invalid source: review {r.id} refers to an unknown annotation")
    history = _section(raw, "history", _version)
    for v in history:
        owner = ids.get(v.annotation)
        if owner is None:
            raise AnnotatorError("invalid source: a history entry refers to an unknown annotation")
        _check_offsets(v.annotation, owner.document, v.start, v.end, lengths)
    relation_types = _section(raw, "relation_types", _relation_type)
    kinds = {kind.name for kind in relation_types}
    if len(kinds) != len(relation_types):
        raise AnnotatorError("invalid source: a relation type name appears twice")
    relations = _section(raw, "relations", _relation)
    _unique({link.id: link for link in relations}, len(relations), "relation")
    for link in relations:
        _check_relation(link, ids, kinds)
    origins = _section(raw, "origins", _origin)
    _unique({o.id: o for o in origins}, len(origins), "origin")
    for o in origins:
        _check_offsets(o.id, o.document, o.start, o.end, lengths)
        owner = None if o.annotation is None else ids.get(o.annotation)
        if o.annotation is not None and (owner is None or owner.document != o.document):
            raise AnnotatorError(f"invalid source: origin {o.id} refers to an unknown annotation")
    link_origins = _section(raw, "link_origins", _link_origin)
    _unique({o.id: o for o in link_origins}, len(link_origins), "link origin")
    links = {link.id: link for link in relations}
    for lo in link_origins:
        for side in (lo.source, lo.target):
            _check_offsets(lo.id, lo.document, side[1], side[2], lengths)
        became = None if lo.relation is None else links.get(lo.relation)
        if lo.relation is not None and (became is None or became.document != lo.document):
            raise AnnotatorError(f"invalid source: link origin {lo.id} refers to an unknown "
                                 "relation")
    return Payload(labels, documents, annotations, statuses, reviews, history, relation_types,
                   relations, origins, link_origins)


def _check_relation(r: InRelation, annotations: dict[str, InAnnotation], kinds: set[str]) -> None:
    source, target = annotations.get(r.source), annotations.get(r.target)
    if source is None or target is None:
        raise AnnotatorError(f"invalid source: relation {r.id} refers to an unknown annotation")
    if r.source == r.target:
        raise AnnotatorError(f"invalid source: relation {r.id} links an annotation to itself")
    if not source.document == target.document == r.document:
        raise AnnotatorError(
            f"invalid source: relation {r.id} links annotations of different documents"
        )
    if r.type not in kinds:
        raise AnnotatorError(f"invalid source: relation {r.id} has an unlisted type")


def _section(
    raw: dict[str, Any], name: str, parse: Callable[[dict[str, Any]], T]
) -> tuple[T, ...]:
    items = raw.get(name, [] if name in LATER_SECTIONS else None)
    if not isinstance(items, list):
        raise AnnotatorError(f"invalid source: {name} must be a list")
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise AnnotatorError(f"invalid source: {name}[{index}] is not an object")
        try:
            out.append(parse(item))
        except KeyError as exc:
            raise AnnotatorError(f"invalid source: {name}[{index}] lacks {exc.args[0]!r}") from exc
        except _Invalid as exc:
            raise AnnotatorError(f"invalid source: {name}[{index}]: {exc}") from exc
    return tuple(out)


def _unique(mapping: dict[str, Any], count: int, what: str) -> dict[str, Any]:
    if len(mapping) != count:
        raise AnnotatorError(f"invalid source: a {what} id appears twice")
    return mapping


def _check_offsets(
    owner: str, document: str, start: int, end: int, lengths: dict[str, int]
) -> None:
    length = lengths.get(document)
    if length is None:
        raise AnnotatorError(f"invalid source: annotation {owner} refers to an unknown document")
    if not 0 <= start < end <= length:
        raise AnnotatorError(
            f"invalid source: annotation {owner} has offsets {start}-{end} outside its "
            f"document's text (0-{length})"
        )


class _Invalid(Exception):
    pass


def _str(item: dict[str, Any], key: str, limit: int = MAX_NAME, *, empty: bool = False) -> str:
    value = item[key]
    if not isinstance(value, str) or len(value) > limit or (not empty and not value.strip()):
        raise _Invalid(f"{key} must be a non-empty text of at most {limit} characters")
    return value


def _opt_str(item: dict[str, Any], key: str, limit: int) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise _Invalid(f"{key} must be text of at most {limit} characters, or null")
    return value


def _name(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise _Invalid(f"{key} must be a non-empty text of at most {MAX_NAME} characters")
    cleaned = _clean_name(value)
    if cleaned is None:
        raise _Invalid(f"{key} must be one line of 1 to {MAX_NAME} characters")
    return cleaned


@lru_cache(maxsize=4096)
def _clean_name(value: str) -> str | None:
    # Names (labels, annotators) repeat on every row: each distinct one is checked once.
    cleaned = value.strip()
    if not cleaned or len(value) > MAX_NAME or _LINE_BREAK.search(cleaned):
        return None
    return cleaned


def _int(item: dict[str, Any], key: str) -> int:
    value = item[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{key} must be a whole number")
    return value


def _bool(item: dict[str, Any], key: str) -> bool:
    value = item[key]
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _Invalid(f"{key} must be true or false")


def _uuid(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not _UUID.match(value):
        raise _Invalid(f"{key} must be a lower-case uuid")
    return value


def _time(item: dict[str, Any], key: str) -> datetime:
    value = item[key]
    if type(value) is str and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise _Invalid(f"{key} is not an ISO date and time") from exc
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise _Invalid(f"{key} must be an ISO date and time")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _label(item: dict[str, Any]) -> InLabel:
    color = item["color"]
    if not isinstance(color, str) or not _COLOR.match(color):
        raise _Invalid("color must be #RRGGBB")
    key = _opt_str(item, "key", 20)
    if key is not None and (not key or any(c.isspace() for c in key)):
        key = None
    return InLabel(
        _name(item, "name"), color.upper(), key, _opt_str(item, "description", MAX_NOTE) or "",
        _int(item, "order"), _bool(item, "removed"),
    )


def _document(item: dict[str, Any]) -> InDocument:
    text = item["text"]
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        raise _Invalid("text must be a non-empty text without NUL characters")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    claimed = item["sha256"]
    if not isinstance(claimed, str) or not _SHA256.match(claimed) or claimed != digest:
        raise _Invalid("its sha256 does not match its text")
    try:
        meta = check_meta(item.get("meta"), "meta")
    except UntrustedInput as exc:
        raise _Invalid(str(exc)) from None
    created = _time(item, "created")
    return InDocument(
        _uuid(item, "id"), _str(item, "title", 10_000, empty=True), text, digest,
        _opt_str(item, "file_name", 10_000), _str(item, "format", 20), meta, created,
        _time(item, "updated") if "updated" in item else created,
        _bool(item, "deleted") if "deleted" in item else False,
    )


def _note(item: dict[str, Any]) -> str | None:
    note = _opt_str(item, "note", MAX_NOTE)
    return note if note and note.strip() else None


def _annotation(item: dict[str, Any]) -> InAnnotation:
    return InAnnotation(
        _uuid(item, "id"), _uuid(item, "document"), _int(item, "start"), _int(item, "end"),
        _name(item, "label"), _name(item, "annotator"), _note(item), _time(item, "created"),
        _time(item, "updated"), _bool(item, "deleted"),
    )


def _status(item: dict[str, Any]) -> InStatus:
    status = item["status"]
    if status not in STATUSES:
        raise _Invalid(f"status must be one of {', '.join(STATUSES)}")
    return InStatus(
        _uuid(item, "document"), _name(item, "annotator"), status, _time(item, "updated")
    )


def _review(item: dict[str, Any]) -> InReview:
    verdict = item["verdict"]
    if verdict not in VERDICTS:
        raise _Invalid(f"verdict must be one of {', '.join(VERDICTS)}")
    return InReview(
        _uuid(item, "id"), _uuid(item, "annotation"), _name(item, "reviewer"), verdict,
        _opt_str(item, "comment", MAX_NOTE), _time(item, "created"),
    )


def _version(item: dict[str, Any]) -> InVersion:
    return InVersion(
        _uuid(item, "annotation"), _int(item, "start"), _int(item, "end"), _name(item, "label"),
        _name(item, "annotator"), _note(item), _bool(item, "deleted"), _time(item, "updated"),
        _time(item, "recorded"), _str(item, "reason", 40),
    )


def _type_name(item: dict[str, Any], key: str) -> str:
    value = _name(item, key)
    if any(c.isspace() for c in value):
        raise _Invalid(f"{key} must be a name without spaces")
    return value


def _names(item: dict[str, Any], key: str) -> tuple[str, ...]:
    value = item[key]
    if not isinstance(value, list) or len(value) > MAX_TYPE_LABELS:
        raise _Invalid(f"{key} must be a list of at most {MAX_TYPE_LABELS} label names")
    names = []
    for name in value:
        if not isinstance(name, str) or _clean_name(name) is None:
            raise _Invalid(f"{key} must hold label names of one line of 1 to {MAX_NAME} "
                           "characters")
        names.append(name.strip())
    return tuple(dict.fromkeys(names))


def _relation_type(item: dict[str, Any]) -> InRelationType:
    return InRelationType(
        _type_name(item, "name"), _names(item, "from_labels"), _names(item, "to_labels"),
        _opt_str(item, "description", MAX_NOTE) or "", _int(item, "order"),
        _bool(item, "removed"),
    )


def _relation(item: dict[str, Any]) -> InRelation:
    return InRelation(
        _uuid(item, "id"), _uuid(item, "document"), _uuid(item, "from"), _uuid(item, "to"),
        _type_name(item, "type"), _name(item, "annotator"), _time(item, "created"),
        _time(item, "updated"), _bool(item, "deleted"),
    )


def _origin(item: dict[str, Any]) -> InOrigin:
    outcome, annotation, confidence = _decision(item, "annotation")
    return InOrigin(
        _uuid(item, "id"), _uuid(item, "document"), annotation, outcome, _name(item, "rule"),
        confidence, _name(item, "label"), _int(item, "start"), _int(item, "end"),
        _name(item, "annotator"), _time(item, "created"),
    )


def _link_origin(item: dict[str, Any]) -> InLinkOrigin:
    outcome, relation, confidence = _decision(item, "relation")
    return InLinkOrigin(
        _uuid(item, "id"), _uuid(item, "document"), relation, outcome, _name(item, "rule"),
        confidence, _type_name(item, "type"),
        (_name(item, "from_label"), _int(item, "from_start"), _int(item, "from_end")),
        (_name(item, "to_label"), _int(item, "to_start"), _int(item, "to_end")),
        _name(item, "annotator"), _time(item, "created"),
    )


def _decision(item: dict[str, Any], became: str) -> tuple[str, str | None, float | None]:
    """A decision's outcome, what an accepted one became (``became``: its key) and its
    confidence."""
    outcome = item["outcome"]
    if outcome not in OUTCOMES:
        raise _Invalid(f"outcome must be one of {', '.join(OUTCOMES)}")
    result = None if item.get(became) is None else _uuid(item, became)
    if (result is None) != (outcome == REJECTED):
        raise _Invalid(f"an accepted suggestion names its {became}, a rejected one none")
    confidence = item.get("confidence")
    if confidence is not None and (isinstance(confidence, bool)
                                   or not isinstance(confidence, int | float)):
        raise _Invalid("confidence must be a number or null")
    return outcome, result, None if confidence is None else float(confidence)
