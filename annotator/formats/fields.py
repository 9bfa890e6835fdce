"""Reading values out of parsed records, with reasons a person can act on."""

from __future__ import annotations

import uuid
from typing import Any

from annotator.formats.model import parse_time

# Ids made up for formats that carry none: the same annotation gets the same id on every
# import, so importing a file twice changes nothing.
ID_NAMESPACE = uuid.UUID("5b0f3c8e-6a1d-4c59-9d51-7c1a3e2f4b60")


class BadRecord(ValueError):
    """One record of a file cannot be read; the message says why."""


def stable_id(*parts: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


class StableIds:
    """Made-up ids that stay apart when a file states the same span twice."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, *parts: object) -> str:
        base = stable_id(*parts)
        occurrence = self._seen.get(base, 0)
        self._seen[base] = occurrence + 1
        return base if occurrence == 0 else stable_id(*parts, occurrence)


def uuid_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    return str(parsed)


def get_int(record: dict[str, Any], key: str) -> int:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRecord(f"{key!r} must be a whole number, not {value!r}")
    return value


def get_str(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str):
        raise BadRecord(f"{key!r} must be text, not {value!r}")
    return value


def opt_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRecord(f"{key!r} must be text, not {value!r}")
    return value


def get_dict(record: dict[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRecord(f"{key!r} must be an object, not {type(value).__name__}")
    return value


def get_list(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"{key!r} must be a list, not {type(value).__name__}")
    return value


def get_time(record: dict[str, Any], key: str) -> Any:
    try:
        return parse_time(record.get(key))
    except ValueError as exc:
        raise BadRecord(f"{key!r} is not a time: {exc}") from None


STATUSES = ("pending", "accepted", "rejected")


def get_status(record: dict[str, Any], key: str = "status") -> str | None:
    """A review status (``pending``, ``accepted``, ``rejected``) or None when absent."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if value not in STATUSES:
        raise BadRecord(f"{key!r} must be one of {', '.join(STATUSES)}, not {value!r}")
    return str(value)
