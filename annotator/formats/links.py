"""Reading the relations a file states, for every format that carries them.

A file names a relation's two ends by its own references to spans (our span ids, doccano's
entity ids, brat's T numbers). A relation whose ends are not both among the document's
spans, or that links a span to itself, cannot be kept; it is counted, not refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from annotator.formats.fields import uuid_or_none
from annotator.formats.model import IncomingAnnotation, IncomingDocument, IncomingRelation

UNLINKED = "relation(s) whose ends are not both spans of the document"
SELF_LINKS = "relation(s) linking a span to itself"


def add_relation(
    document: IncomingDocument,
    spans: Mapping[Any, IncomingAnnotation],
    *,
    given_id: object,
    type: str,
    source: object,
    target: object,
    skipped: Counter[str],
    annotator: str | None = None,
    created: datetime | None = None,
    updated: datetime | None = None,
) -> None:
    """Add the relation ``source`` -> ``target`` (references into ``spans``) to
    ``document``, or count why it cannot be kept."""
    start = spans.get(_key(source))
    end = spans.get(_key(target))
    if start is None or end is None:
        skipped[UNLINKED] += 1
        return
    if start is end:
        skipped[SELF_LINKS] += 1
        return
    relation_id = uuid_or_none(given_id)
    document.relations.append(IncomingRelation(
        id=relation_id or "", type=type, source=start, target=end, line=document.line,
        annotator=annotator, created=created, updated=updated,
        synthetic_id=relation_id is None,
    ))


def _key(reference: object) -> object:
    # Ids may be written as numbers or as their text (doccano's are integers); a tuple is
    # a span named by its offsets and label.
    if isinstance(reference, tuple):
        return reference
    if isinstance(reference, int | str) and not isinstance(reference, bool):
        return str(reference)
    return None
