"""Uuids made many at once (an import's documents) are what uuid4 makes one at a time."""

from __future__ import annotations

import uuid

from annotator.models import new_uuid, new_uuids

HEX = set("0123456789abcdef")


def test_each_is_a_canonical_random_version_4_uuid_and_all_differ() -> None:
    made = new_uuids(20_000)
    assert len(made) == 20_000 == len(set(made))
    for text in made:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text  # lower-case, dashes where uuid4's are
    # every random digit takes every value; the version digit is 4, the variant's 8-b
    for position in (*range(8), 9, 10, 11, 12, 15, 16, 17, 20, 21, 22, *range(24, 36)):
        assert {text[position] for text in made} == HEX, position
    assert {text[14] for text in made} == {"4"}
    assert {text[19] for text in made} == set("89ab")
    assert len(new_uuid()) == len(made[0])


def test_none_asked_none_made() -> None:
    assert new_uuids(0) == []
    assert len(new_uuids(1)) == 1
