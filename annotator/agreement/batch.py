"""One batch of documents as token codes: each user's category of each token, per label
and overall, and the spans each pair of users matched.

A batch is tokenised as one joined text: the "\\n" between documents is never in a token
or in a span, so global offsets never mix documents. Nothing here outlives the batch
except the counts :mod:`annotator.agreement.tally` takes from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.agreement.coefficients import MISSING
from annotator.agreement.span_matching import Interval, exact_matches, overlap_matches
from annotator.agreement.spans import DocumentSpans
from annotator.agreement.tokens import BoolArray, IntArray, mark_tokens, tokenize
from annotator.errors import AnnotatorError

Codes = npt.NDArray[np.int64]
# A category is the set of labels a user gave a token, as sorted label indices; () is "O".
LabelSet = tuple[int, ...]
# Per label: document index in the batch -> one user's (start, end) spans there.
ByLabel = dict[str, dict[int, list[Interval]]]
_MAX_BITMASK_LABELS = 62


@dataclass(frozen=True, slots=True)
class BatchCodes:
    """Token codes of one batch (users × tokens, ``MISSING`` where a user did not
    annotate the document), per label (0 "O", 1 the label) and overall (indices into
    ``overall_sets``, 0 being "O"); span counts per (first, second, label)."""

    tokens: int
    label_codes: tuple[Codes, ...]
    overall_codes: Codes
    overall_sets: tuple[LabelSet, ...]
    spans: dict[str, dict[str, int]]
    """Per user, per label: spans in the documents of the batch that user annotated."""
    span_counts: dict[tuple[str, str, str], tuple[int, int, int, int]]
    """(spans of first, spans of second, exact matches, overlap matches) in the
    documents of the batch both annotated."""


def batch_codes(documents: Sequence[DocumentSpans], first_number: int,
                users: tuple[str, ...], labels: tuple[str, ...]) -> BatchCodes:
    """The codes of ``documents``, the first of which is document ``first_number`` (from 1)
    of the corpus, as error messages count them."""
    doc_offsets = np.zeros(len(documents) + 1, dtype=np.int64)
    for i, doc in enumerate(documents):
        doc_offsets[i + 1] = doc_offsets[i] + len(doc.text) + 1
    tok_starts, tok_ends = tokenize("\n".join(doc.text for doc in documents))
    doc_tokens = np.searchsorted(tok_starts, doc_offsets)
    token_count = len(tok_starts)

    grouped: dict[str, ByLabel] = {}
    marks: dict[str, list[BoolArray]] = {}
    coded: dict[str, BoolArray | None] = {}
    for user in users:
        grouped[user], starts, ends = _collect(documents, first_number, user, labels,
                                               doc_offsets)
        marks[user] = [mark_tokens(tok_starts, tok_ends, s, e)
                       for s, e in zip(starts, ends, strict=True)]
        coded[user] = _coded_mask(documents, user, doc_tokens, token_count)

    span_counts = {}
    for a, b in combinations(sorted(users), 2):
        shared = [i for i, doc in enumerate(documents) if a in doc.spans and b in doc.spans]
        for label in labels:
            span_counts[a, b, label] = _span_counts(grouped[a][label], grouped[b][label],
                                                    shared)
    label_codes = tuple(
        _missing(np.stack([marks[u][index].astype(np.int64) for u in users]), users, coded)
        for index in range(len(labels))
    )
    overall, sets = _overall_codes(marks, users, labels, token_count)
    return BatchCodes(
        token_count, label_codes, _missing(overall, users, coded), sets,
        {u: {label: sum(map(len, grouped[u][label].values())) for label in labels}
         for u in users},
        span_counts,
    )


def _collect(documents: Sequence[DocumentSpans], first_number: int, user: str,
             labels: tuple[str, ...], doc_offsets: IntArray
             ) -> tuple[ByLabel, list[IntArray], list[IntArray]]:
    """Group one user's spans by label and document; also their offsets in the batch."""
    index = {label: i for i, label in enumerate(labels)}
    by_label: ByLabel = {label: {} for label in labels}
    starts: list[list[int]] = [[] for _ in labels]
    ends: list[list[int]] = [[] for _ in labels]
    for d, doc in enumerate(documents):
        size = len(doc.text)
        base = int(doc_offsets[d])
        for span in doc.spans.get(user, ()):
            i = index.get(span.label)
            if i is None:
                continue
            if not 0 <= span.start <= span.end <= size:
                raise AnnotatorError(
                    f"{user}'s {span.label} span {span.start}–{span.end} lies outside "
                    f"document {first_number + d} ({size} characters)."
                )
            by_label[span.label].setdefault(d, []).append((span.start, span.end))
            starts[i].append(base + span.start)
            ends[i].append(base + span.end)
    return (by_label, [np.array(s, dtype=np.int64) for s in starts],
            [np.array(e, dtype=np.int64) for e in ends])


def _coded_mask(documents: Sequence[DocumentSpans], user: str, doc_tokens: IntArray,
                token_count: int) -> BoolArray | None:
    """Tokens of the documents ``user`` annotated; ``None`` when that is all of them."""
    present = [user in doc.spans for doc in documents]
    if all(present):
        return None
    diff = np.zeros(token_count + 1, dtype=np.int64)
    for d, here in enumerate(present):
        if here:
            diff[doc_tokens[d]] += 1
            diff[doc_tokens[d + 1]] -= 1
    mask: BoolArray = np.cumsum(diff[:token_count]) > 0
    return mask


def _missing(codes: Codes, users: tuple[str, ...], coded: dict[str, BoolArray | None]
             ) -> Codes:
    for row, user in enumerate(users):
        mask = coded[user]
        if mask is not None:
            codes[row, ~mask] = MISSING
    return codes


def _span_counts(first: dict[int, list[Interval]], second: dict[int, list[Interval]],
                 docs: list[int]) -> tuple[int, int, int, int]:
    count_a = count_b = exact = overlap = 0
    for d in docs:
        spans_a, spans_b = first.get(d, []), second.get(d, [])
        count_a += len(spans_a)
        count_b += len(spans_b)
        exact += exact_matches(spans_a, spans_b)
        overlap += overlap_matches(spans_a, spans_b)
    return count_a, count_b, exact, overlap


def _overall_codes(marks: dict[str, list[BoolArray]], users: tuple[str, ...],
                   labels: tuple[str, ...], token_count: int
                   ) -> tuple[Codes, tuple[LabelSet, ...]]:
    """Dense category codes (users × tokens) of each token's label set, and the sets;
    code 0 is always the empty set ("O")."""
    if not labels:
        return np.zeros((len(users), token_count), dtype=np.int64), ((),)
    if len(labels) <= _MAX_BITMASK_LABELS:
        keys = np.zeros((len(users), token_count), dtype=np.int64)
        for u, user in enumerate(users):
            for bit, marked in enumerate(marks[user]):
                keys[u] |= marked.astype(np.int64) << bit
        distinct, inverse = _dense(keys.ravel())
        sets = [tuple(b for b in range(len(labels)) if (key >> b) & 1)
                for key in distinct.tolist()]
    else:
        packed = [np.ascontiguousarray(np.packbits(np.stack(marks[u]), axis=0).T)
                  for u in users]
        width = packed[0].shape[1]
        rows = np.concatenate(packed).view(np.dtype((np.void, width))).ravel()
        distinct_rows, inverse = np.unique(rows, return_inverse=True)
        bits = np.unpackbits(distinct_rows.view(np.uint8).reshape(-1, width), axis=1)
        sets = [tuple(np.flatnonzero(row[: len(labels)]).tolist()) for row in bits]
    codes = inverse.reshape(len(users), token_count).astype(np.int64)
    # The empty set sorts first (key 0) when present; otherwise make room for it.
    if sets and sets[0] == ():
        return codes, tuple(sets)
    return codes + 1, ((), *sets)


def _dense(keys: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(keys, return_inverse=True)``; by table lookup when keys are small,
    which saves a sort of users × tokens values."""
    if keys.size == 0 or int(keys.max()) >= 1 << 20:
        distinct, inverse = np.unique(keys, return_inverse=True)
        return distinct, inverse.astype(np.int64)
    seen = np.bincount(keys) > 0
    lookup = np.cumsum(seen) - 1
    return np.flatnonzero(seen).astype(np.int64), lookup[keys]


def set_order(labels: tuple[str, ...]) -> Callable[[LabelSet], tuple[int, ...]]:
    """The sort key that orders label sets as the overall categories are listed: by
    bitmask (label i as bit i) when they fit in one, else by their bits label 0 first."""
    if len(labels) <= _MAX_BITMASK_LABELS:
        return lambda s: (sum(1 << b for b in s),)
    return lambda s: tuple(int(b in s) for b in range(len(labels)))
