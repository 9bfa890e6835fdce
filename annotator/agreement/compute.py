"""compute_agreement: documents streamed in bounded batches through one tally.

Memory stays flat as the corpus grows: at most one batch of documents (and its tokens)
is held at a time; what survives a batch is only counts (see :mod:`.tally`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized

from annotator.agreement.report import AgreementReport
from annotator.agreement.spans import DocumentSpans
from annotator.agreement.tally import AgreementTally
from annotator.errors import AnnotatorError

Progress = Callable[[int, int], None]
BATCH_DOCUMENTS = 256
"""Most documents in one batch."""
BATCH_CHARACTERS = 2_000_000
"""A batch closes once its texts reach this many code points (numpy arrays of a few
bytes per code point are made from them)."""


def compute_agreement(
    documents: Iterable[DocumentSpans],
    users: Iterable[str],
    labels: Iterable[str],
    *,
    count: int | None = None,
    progress: Progress | None = None,
) -> AgreementReport:
    """Agreement of ``users`` over ``documents``, per label in ``labels`` and overall.

    ``documents`` is read once, in order, and never held whole: a lazy iterable keeps
    memory bounded by one batch. Spans with a label not in ``labels``, and users not in
    ``users``, are ignored everywhere. ``progress(done, total)`` is called after each
    document and once at the end (``total`` is the number of documents plus one, so
    ``count`` must be given when ``documents`` has no length); a caller cancels by
    raising from it. Raises :class:`AnnotatorError` for fewer than two users or a span
    outside its document.
    """
    users = tuple(dict.fromkeys(users))
    labels = tuple(dict.fromkeys(labels))
    if len(users) < 2:
        raise AnnotatorError("Agreement needs at least two annotators.")
    if count is None and isinstance(documents, Sized):
        count = len(documents)
    if progress is not None and count is None:
        raise TypeError("progress needs the count of documents")
    steps = (count or 0) + 1
    tally = AgreementTally(users, labels)
    for batch in _batches(documents):
        tally.add(batch)
        if progress is not None:
            for done in range(tally.documents - len(batch) + 1, tally.documents + 1):
                progress(done, steps)
        # Let the batch go before the next one is read.
        del batch
    report = tally.report()
    if progress is not None:
        progress(steps, steps)
    return report


def _batches(documents: Iterable[DocumentSpans]) -> Iterator[list[DocumentSpans]]:
    batch: list[DocumentSpans] = []
    characters = 0
    for document in documents:
        batch.append(document)
        characters += len(document.text)
        if len(batch) >= BATCH_DOCUMENTS or characters >= BATCH_CHARACTERS:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch
