"""Agreement streams: documents are read and let go a batch at a time, and the figures do
not depend on how the corpus is cut into batches."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import annotator.agreement.compute as compute
import annotator.service.agreement_data as agreement_data
from annotator.agreement import DocumentSpans, Span, compute_agreement
from tests.core.review_support import OTHER, TEXT, open_at

USERS = ["ann", "bob", "cy"]
LABELS = ["claim", "fact", "source"]


@dataclass(frozen=True)
class Counted(DocumentSpans):
    """A DocumentSpans that can be watched: every one made is registered while alive."""

    def __post_init__(self) -> None:
        ALIVE[0] += 1
        weakref.finalize(self, _gone)


ALIVE = [0]


def _gone() -> None:
    ALIVE[0] -= 1


def corpus(n: int) -> list[tuple[str, dict[str, list[Span]]]]:
    out = []
    for i in range(n):
        text = f"{TEXT} Document {i}. {OTHER}"
        spans = {"ann": [Span(4, 12, "claim"), Span(i % 30, 40, "fact")],
                 "bob": [Span(4, 13, "claim"), Span(20 + i % 5, 30, "source")]}
        if i % 3:
            spans["cy"] = [Span(0, 3 + i % 7, LABELS[i % 3])]
        out.append((text, spans))
    return out


def counted_reader(n: int, most_alive: list[int]) -> Iterator[DocumentSpans]:
    """Yields the corpus lazily, noting how many documents were alive at each read."""
    for text, spans in corpus(n):
        document = Counted(text, spans)
        most_alive[0] = max(most_alive[0], ALIVE[0])
        yield document
        del document


def test_at_most_one_batch_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "BATCH_DOCUMENTS", 4)
    most_alive = [0]
    streamed = compute_agreement(counted_reader(50, most_alive), USERS, LABELS)
    # The batch being filled plus the document just read.
    assert most_alive[0] <= 4 + 1
    assert streamed.documents == 50
    whole = [DocumentSpans(text, spans) for text, spans in corpus(50)]
    monkeypatch.setattr(compute, "BATCH_DOCUMENTS", 10_000)
    assert streamed.to_json() == compute_agreement(whole, USERS, LABELS).to_json()


@pytest.mark.parametrize("size", [1, 3, 7])
def test_batches_do_not_change_any_figure(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    whole = [DocumentSpans(text, spans) for text, spans in corpus(20)]
    expected = compute_agreement(whole, USERS, LABELS).to_json()
    monkeypatch.setattr(compute, "BATCH_DOCUMENTS", size)
    assert compute_agreement(whole, USERS, LABELS).to_json() == expected
    monkeypatch.setattr(compute, "BATCH_DOCUMENTS", 10_000)
    monkeypatch.setattr(compute, "BATCH_CHARACTERS", len(whole[0].text) * size)
    assert compute_agreement(whole, USERS, LABELS).to_json() == expected


def test_unsized_documents_need_a_count_for_progress() -> None:
    seen: list[tuple[int, int]] = []
    docs = (DocumentSpans(text, spans) for text, spans in corpus(5))
    compute_agreement(docs, USERS, LABELS, count=5,
                      progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 6) for i in range(1, 7)]
    with pytest.raises(TypeError, match="count"):
        compute_agreement(iter([]), USERS, LABELS, progress=lambda done, total: None)


def test_project_reads_documents_a_chunk_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_at(tmp_path / "many.db", "ann") as project:
        ids = [project.add_document(text, f"Doc {i}") for i, (text, _) in enumerate(corpus(30))]
        for user in ("ann", "bob"):
            project.set_user(user)
            for number, document in enumerate(ids):
                project.add_annotation(document, 4, 12 + number % 2, "claim")
        expected = project.agreement(all_docs=True).to_json()
        monkeypatch.setattr(agreement_data, "READ_CHUNK", 3)
        monkeypatch.setattr(agreement_data, "DocumentSpans", Counted)
        monkeypatch.setattr(compute, "BATCH_DOCUMENTS", 2)
        most_alive = [0]

        def note(done: int, total: int) -> None:
            most_alive[0] = max(most_alive[0], ALIVE[0])

        streamed = project.agreement(all_docs=True, progress=note)
    # One chunk read from the database and one batch being counted, at most.
    assert 0 < most_alive[0] <= 3 + 2
    assert streamed.to_json() == expected
    assert streamed.documents == 30
