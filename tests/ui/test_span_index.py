"""SpanIndex (Qt-free) and word_bounds: placement, block buckets, edits, snapping rules."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from annotator.records import AnnotationRecord
from ui.workspace import word_bounds
from ui.workspace.span_index import NO_COLOR, RecordSpans, SpanIndex, ViewSpan, view_span

TEXT = "first para 😀\r\nsecond para\nthird para with more words"


def vs(span_id: str, start: int, end: int) -> ViewSpan:
    return ViewSpan(span_id, start, end, "claim", "#d6604d", "alice", None)


def test_placement_blocks_and_qt_positions() -> None:
    index = SpanIndex()
    across = vs("across", 6, TEXT.index("third") + 5)
    index.reset(TEXT, [vs("emoji", 11, 12), across])
    emoji = index.get("emoji")
    assert emoji is not None and (emoji.qt_start, emoji.qt_end) == (11, 13)
    placed = index.get("across")
    assert placed is not None and (placed.first_block, placed.last_block) == (0, 2)
    assert placed.qt_end == TEXT.index("third") + 5 + 1 - 1  # +1 emoji unit, -1 CRLF
    buckets = index.in_blocks(0, 2)
    assert [p.span.id for p in buckets[0]] == ["emoji", "across"]
    assert [p.span.id for p in buckets[1]] == ["across"]
    assert index.block_count == 3


def test_upsert_remove_and_reuse() -> None:
    index = SpanIndex()
    index.reset(TEXT, [vs("a", 0, 5)])
    assert index.upsert(vs("a", TEXT.index("third"), len(TEXT))) == range(0, 3)
    assert index.in_block(0) == []
    assert index.upsert(vs("b", 0, 5)) == range(0, 1)
    assert [p.span.id for p in index.at(2)] == ["b"]
    assert index.remove("b") == range(0, 1)
    assert index.remove("b") == range(0)
    assert index.at(2) == [] and index.get("b") is None
    index.upsert(vs("b", 0, 5))  # undo of a delete brings the same id back
    assert [p.span.id for p in index.ordered()] == ["b", "a"]
    assert len(index) == 2


def test_at_returns_shortest_first_and_repeated_ids_keep_the_last() -> None:
    index = SpanIndex()
    index.reset(TEXT, [vs("long", 0, 20), vs("short", 2, 4), vs("short", 1, 5)])
    assert len(index) == 2
    assert [p.span.id for p in index.at(3)] == ["short", "long"]
    short = index.get("short")
    assert short is not None and short.span.start == 1


@given(st.lists(st.tuples(st.integers(0, len(TEXT)), st.integers(0, 30)), max_size=25),
       st.integers(0, 2))
def test_in_blocks_matches_a_brute_force_scan(pairs: list[tuple[int, int]], block: int) -> None:
    index = SpanIndex()
    spans = [vs(str(i), s, min(s + n, len(TEXT))) for i, (s, n) in enumerate(pairs)]
    index.reset(TEXT, spans)
    expected = {s.id for s in spans
                if index.block_of(s.start) <= block <= index.block_of(max(s.end - 1, s.start))}
    found = index.in_block(block)
    assert {p.span.id for p in found} == expected
    assert all(p == index.get(p.span.id) for p in found)  # placed as one span is


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, len(TEXT)), st.integers(0, 30)),
                min_size=1, max_size=150))
def test_spans_upserted_one_by_one_are_placed_as_a_reset_places_them(
        edits: list[tuple[int, int, int]]) -> None:
    # Upserts place one span without numpy and grow the columns by doubling (past 64, 128
    # columns): every answer is the one a reset with the resulting spans gives.
    index = SpanIndex()
    index.reset(TEXT, [vs("seed", 0, 3)])
    final: dict[str, ViewSpan] = {"seed": vs("seed", 0, 3)}
    for n in range(130):
        final[f"bulk{n}"] = vs(f"bulk{n}", n % len(TEXT), min(n % len(TEXT) + 4, len(TEXT)))
        index.upsert(final[f"bulk{n}"])
    for n, (kind, s, length) in enumerate(edits):
        span_id = str(n % 97) if kind else f"new{n}"
        if kind == 3:
            index.remove(span_id)
            final.pop(span_id, None)
        else:
            final[span_id] = vs(span_id, s, min(s + length, len(TEXT)))
            index.upsert(final[span_id])
    fresh = SpanIndex()
    fresh.reset(TEXT, list(final.values()))
    assert len(index) == len(fresh)
    assert all(index.get(i) == fresh.get(i) for i in final)
    assert [p.span for p in index.ordered()] == [p.span for p in fresh.ordered()]
    for block in range(3):
        assert sorted(p.span.id for p in index.in_block(block)) == sorted(
            p.span.id for p in fresh.in_block(block))
    assert index.starting_in(0, len(TEXT)) == fresh.starting_in(0, len(TEXT))
    for offset in range(0, len(TEXT), 7):
        assert index.at(offset) == fresh.at(offset)


NOW = datetime(2024, 5, 1, tzinfo=UTC)
COLORS = {"claim": "#d6604d", "source": "#4393c3"}


def record(record_id: str, start: int, end: int, label: str = "claim",
           annotator: str = "alice", note: str | None = None) -> AnnotationRecord:
    return AnnotationRecord(record_id, "doc", start, end, label, annotator, note, NOW, NOW)


def test_a_record_span_is_made_from_its_record() -> None:
    spans = RecordSpans([record("a", 0, 5, "source", "bob", "n"), record("b", 1, 2, "gone")],
                        COLORS, "alice")
    assert len(spans) == 2
    assert spans[0] == ViewSpan("a", 0, 5, "source", "#4393c3", "bob", "n", False)
    assert spans[1] == ViewSpan("b", 1, 2, "gone", NO_COLOR, "alice", None, True)
    assert spans[0:1] == [spans[0]] and list(spans) == [spans[0], spans[1]]


def test_record_spans_keep_the_colours_they_were_made_with() -> None:
    colors = dict(COLORS)
    spans = RecordSpans([record("a", 0, 5)], colors, "alice")
    index = SpanIndex()
    index.reset(TEXT, spans)
    colors["claim"] = "#000000"  # a later recolour resets the view with new spans
    assert index.span("a") == view_span(record("a", 0, 5), COLORS, "alice")


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, len(TEXT)), st.integers(0, 30),
                          st.sampled_from(["claim", "source", "fact"]),
                          st.sampled_from(["alice", "bob"])), max_size=40),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, len(TEXT))), max_size=6))
def test_records_placed_lazily_answer_as_their_spans_placed_at_once(
        rows: list[tuple[int, int, int, str, str]], edits: list[tuple[int, int]]) -> None:
    # Ids repeat (the last one wins), spans are read in any order, edits follow.
    records = [record(f"r{i}", s, min(s + n, len(TEXT)), label, who)
               for i, s, n, label, who in rows]
    lazy, eager = SpanIndex(), SpanIndex()
    lazy.reset(TEXT, RecordSpans(records, COLORS, "alice"))
    eager.reset(TEXT, [view_span(r, COLORS, "alice") for r in records])
    for n, offset in edits:
        if n % 3 == 0:
            assert lazy.remove(f"r{n}") == eager.remove(f"r{n}")
        else:
            span = vs(f"r{n}", offset, min(offset + n, len(TEXT)))
            assert lazy.upsert(span) == eager.upsert(span)
    for n in range(9):
        assert lazy.span(f"r{n}") == eager.span(f"r{n}")
    for block in range(3):
        assert lazy.in_block(block) == eager.in_block(block)
    for offset in range(0, len(TEXT), 5):
        assert lazy.at(offset) == eager.at(offset)
    assert lazy.starting_in(0, len(TEXT)) == eager.starting_in(0, len(TEXT))
    assert lazy.ordered() == eager.ordered() and len(lazy) == len(eager)


def test_word_moves() -> None:
    text = "alpha beta, gamma-delta e\u0301te"
    b = text.index("beta")
    assert word_bounds.grow_end(text, b, b + 4, True) == text.index("gamma-delta") + 11
    assert word_bounds.shrink_end(text, 0, b + 4, True) == 5
    assert word_bounds.shrink_end(text, 0, 5, True) == 5  # never empty
    assert word_bounds.grow_start(text, b, b + 4, True) == 0
    assert word_bounds.shrink_start(text, 0, b + 4, True) == b
    e = text.index("e\u0301")
    assert word_bounds.grow_end(text, e - 1, e, False) == e + 2  # keeps the combining mark
    assert word_bounds.snap_to_words(text, e + 1, e + 3) == (e, len(text))
    family = "x 👩\u200d👩\u200d👧 y"
    assert word_bounds.cluster_start(family, 4) == 2
    assert word_bounds.cluster_end(family, 3) == 7
