"""compute_agreement: tokens, per-user marks, then every coefficient per label and overall."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.agreement.coefficients import (
    MISSING,
    Statistic,
    cohen_kappa,
    nominal_alpha,
    span_scores,
)
from annotator.agreement.relations import relation_agreement
from annotator.agreement.report import OVERALL, AgreementReport, LabelScores, PairScores
from annotator.agreement.span_matching import Interval, exact_matches, overlap_matches
from annotator.agreement.spans import DocumentSpans
from annotator.agreement.tokens import BoolArray, IntArray, mark_tokens, tokenize
from annotator.errors import AnnotatorError

Progress = Callable[[int, int], None]
# Per user, per label: document index -> that user's (start, end) spans there.
Grouped = dict[str, dict[str, dict[int, list[Interval]]]]
_MAX_BITMASK_LABELS = 62


def compute_agreement(
    documents: Sequence[DocumentSpans],
    users: Sequence[str],
    labels: Sequence[str],
    *,
    progress: Progress | None = None,
) -> AgreementReport:
    """Agreement of ``users`` over ``documents``, per label in ``labels`` and overall.

    Spans with a label not in ``labels``, and users not in ``users``, are ignored
    everywhere. ``progress(done, total)`` is called after each step; a caller cancels by
    raising from it. Raises :class:`AnnotatorError` for fewer than two users or a span
    outside its document.
    """
    users = tuple(dict.fromkeys(users))
    labels = tuple(dict.fromkeys(labels))
    if len(users) < 2:
        raise AnnotatorError("Agreement needs at least two annotators.")
    steps = 1 + len(users) + len(labels) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps)

    # One joined text, one tokenisation: the "\n" between documents is never in a token
    # or in a span, so global offsets never mix documents.
    doc_offsets = np.zeros(len(documents) + 1, dtype=np.int64)
    for i, doc in enumerate(documents):
        doc_offsets[i + 1] = doc_offsets[i] + len(doc.text) + 1
    tok_starts, tok_ends = tokenize("\n".join(doc.text for doc in documents))
    doc_tokens = np.searchsorted(tok_starts, doc_offsets)
    token_count = len(tok_starts)
    step()

    grouped: Grouped = {}
    marks: dict[str, list[BoolArray]] = {}
    coded: dict[str, BoolArray | None] = {}
    for user in users:
        grouped[user], starts, ends = _collect(documents, user, labels, doc_offsets)
        marks[user] = [mark_tokens(tok_starts, tok_ends, s, e)
                       for s, e in zip(starts, ends, strict=True)]
        coded[user] = _coded_mask(documents, user, doc_tokens, token_count)
        step()

    pairs = list(combinations(sorted(users), 2))
    shared_docs = {
        (a, b): [i for i, doc in enumerate(documents) if a in doc.spans and b in doc.spans]
        for a, b in pairs
    }
    span_counts = {(a, b, label): _span_counts(grouped, a, b, label, shared_docs[a, b])
                   for a, b in pairs for label in labels}

    blocks = []
    for index, label in enumerate(labels):
        codes = np.stack([marks[u][index].astype(np.int64) for u in users])
        blocks.append(_block(label, codes, ("O", label), users, coded, grouped, pairs,
                             {pair: span_counts[(*pair, label)] for pair in pairs}))
        step()
    codes, categories = _overall_codes(marks, users, labels, token_count)
    overall_counts = {pair: _sum_counts([span_counts[(*pair, label)] for label in labels])
                      for pair in pairs}
    overall = _block(OVERALL, codes, categories, users, coded, grouped, pairs, overall_counts)
    step()
    return AgreementReport(len(documents), token_count, users, tuple(blocks), overall,
                           relation_agreement(documents, users))


def _collect(documents: Sequence[DocumentSpans], user: str, labels: tuple[str, ...],
             doc_offsets: IntArray) -> tuple[dict[str, dict[int, list[Interval]]],
                                             list[IntArray], list[IntArray]]:
    """Group one user's spans by label and document; also their global offsets per label."""
    index = {label: i for i, label in enumerate(labels)}
    by_label: dict[str, dict[int, list[Interval]]] = {label: {} for label in labels}
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
                    f"document {d + 1} ({size} characters)."
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


def _span_counts(grouped: Grouped, a: str, b: str, label: str,
                 docs: list[int]) -> tuple[int, int, int, int]:
    """(spans of a, spans of b, exact matches, overlap matches) over shared documents."""
    first, second = grouped[a][label], grouped[b][label]
    count_a = count_b = exact = overlap = 0
    for d in docs:
        spans_a, spans_b = first.get(d, []), second.get(d, [])
        count_a += len(spans_a)
        count_b += len(spans_b)
        exact += exact_matches(spans_a, spans_b)
        overlap += overlap_matches(spans_a, spans_b)
    return count_a, count_b, exact, overlap


def _sum_counts(counts: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    a, b, exact, overlap = (sum(c[k] for c in counts) for k in range(4))
    return a, b, exact, overlap


def _overall_codes(marks: dict[str, list[BoolArray]], users: tuple[str, ...],
                   labels: tuple[str, ...], token_count: int
                   ) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    """Dense category codes (users × tokens) of each token's label set, and their names."""
    if not labels:
        return np.zeros((len(users), token_count), dtype=np.int64), ("O",)
    if len(labels) <= _MAX_BITMASK_LABELS:
        keys = np.zeros((len(users), token_count), dtype=np.int64)
        for u, user in enumerate(users):
            for bit, marked in enumerate(marks[user]):
                keys[u] |= marked.astype(np.int64) << bit
        distinct, inverse = _dense(keys.ravel())
        sets = [[labels[b] for b in range(len(labels)) if (key >> b) & 1]
                for key in distinct.tolist()]
    else:
        packed = [np.ascontiguousarray(np.packbits(np.stack(marks[u]), axis=0).T)
                  for u in users]
        width = packed[0].shape[1]
        rows = np.concatenate(packed).view(np.dtype((np.void, width))).ravel()
        distinct_rows, inverse = np.unique(rows, return_inverse=True)
        bits = np.unpackbits(distinct_rows.view(np.uint8).reshape(-1, width), axis=1)
        sets = [[labels[b] for b in np.flatnonzero(row[: len(labels)]).tolist()]
                for row in bits]
    names = tuple("+".join(sorted(s)) if s else "O" for s in sets)
    codes = inverse.reshape(len(users), token_count).astype(np.int64)
    # Category 0 must be "O" (the empty set sorts first as key 0) for the counts below.
    return _with_o_first(codes, names)


def _dense(keys: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(keys, return_inverse=True)``; by table lookup when keys are small,
    which saves a sort of users × tokens values."""
    if keys.size == 0 or int(keys.max()) >= 1 << 20:
        distinct, inverse = np.unique(keys, return_inverse=True)
        return distinct, inverse.astype(np.int64)
    seen = np.bincount(keys) > 0
    lookup = np.cumsum(seen) - 1
    return np.flatnonzero(seen).astype(np.int64), lookup[keys]


def _with_o_first(codes: npt.NDArray[np.int64], names: tuple[str, ...]
                  ) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    if names and names[0] == "O":
        return codes, names
    return codes + 1, ("O", *names)


def _block(name: str, codes: npt.NDArray[np.int64], categories: tuple[str, ...],
           users: tuple[str, ...], coded: dict[str, BoolArray | None], grouped: Grouped,
           pairs: list[tuple[str, str]],
           span_counts: dict[tuple[str, str], tuple[int, int, int, int]]) -> LabelScores:
    """Scores of one label (categories O / label) or overall; category 0 is "O"."""
    row = {user: u for u, user in enumerate(users)}
    for user in users:
        mask = coded[user]
        if mask is not None:
            codes[row[user], ~mask] = MISSING
    what = "" if name == OVERALL else f" labelled {name}"
    # Reasons say "not claim" where the confusion matrix says "O".
    shown = categories if name == OVERALL else (f"not {name}", name)
    pair_scores = []
    for a, b in pairs:
        ca, cb = codes[row[a]], codes[row[b]]
        if coded[a] is not None or coded[b] is not None:
            both = (ca != MISSING) & (cb != MISSING)
            ca, cb = ca[both], cb[both]
        k = len(categories)
        confusion = np.bincount(ca * k + cb, minlength=k * k).reshape(k, k)
        tokens = int(confusion.sum())
        agreeing = int(np.trace(confusion))
        observed = (Statistic(agreeing / tokens) if tokens else
                    Statistic.undefined(f"no token was coded by both {a} and {b}"))
        spans_a, spans_b, exact, overlap = span_counts[a, b]
        p_e, r_e, f_e = span_scores(exact, spans_a, spans_b, names=(a, b), what=what)
        p_o, r_o, f_o = span_scores(overlap, spans_a, spans_b, names=(a, b), what=what)
        pair_scores.append(PairScores(
            first=a, second=b,
            kappa=cohen_kappa(confusion, names=(a, b), categories=shown),
            observed=observed,
            precision_exact=p_e, recall_exact=r_e, f1_exact=f_e,
            precision_overlap=p_o, recall_overlap=r_o, f1_overlap=f_o,
            tokens=tokens, agreeing_tokens=agreeing,
            confusion=_sparse(confusion, categories),
            spans=(spans_a, spans_b), matched_exact=exact, matched_overlap=overlap,
        ))
    tagged = codes > 0
    if name == OVERALL:
        spans = {u: sum(len(v) for by_doc in grouped[u].values() for v in by_doc.values())
                 for u in users}
    else:
        spans = {u: sum(len(v) for v in grouped[u][name].values()) for u in users}
    return LabelScores(
        name=name,
        alpha=nominal_alpha(codes, categories=shown),
        pairs=tuple(pair_scores),
        tokens_marked={user: int(tagged[row[user]].sum()) for user in users},
        spans=spans,
        untagged_tokens=int((~tagged.any(axis=0)).sum()),
    )


def _sparse(confusion: npt.NDArray[np.int64], categories: tuple[str, ...]
            ) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for i, j in zip(*np.nonzero(confusion), strict=True):
        out[categories[int(i)]][categories[int(j)]] = int(confusion[i, j])
    return dict(out)
