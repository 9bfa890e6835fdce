""""Tag all occurrences": the same label proposed on every other occurrence of a passage."""

from __future__ import annotations

import re
from collections.abc import Collection

from annotator.suggest.records import OccurrenceProposal


def occurrences(
    document_id: str,
    text: str,
    passage: str,
    label: str,
    taken: Collection[tuple[int, int]] = (),
) -> list[OccurrenceProposal]:
    """Every occurrence of ``passage`` in ``text`` not already in ``taken`` (spans that have
    the label), as proposals. Exact, case-sensitive matches; a passage beginning or ending
    with a word character matches only where a word begins or ends, so "Kim" is not
    proposed inside "Kimberley"."""
    if not passage.strip():
        return []
    head = r"(?<!\w)" if re.match(r"\w", passage) else ""
    tail = r"(?!\w)" if re.search(r"\w$", passage) else ""
    pattern = re.compile(head + re.escape(passage) + tail)
    skip = set(taken)
    return [
        OccurrenceProposal(document_id, label, m.start(), m.end(), passage)
        for m in pattern.finditer(text)
        if (m.start(), m.end()) not in skip
    ]
