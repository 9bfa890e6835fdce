"""layered_runs: the sweep against its definition, one boundary pair at a time."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from ui.workspace.span_highlighter import layered_runs
from ui.workspace.span_index import PlacedSpan, ViewSpan

COLORS = ("#d6604d", "#4393c3", "#5aae61")


def by_definition(pieces: list[tuple[int, int, PlacedSpan]]
                  ) -> list[tuple[int, int, tuple[tuple[str, bool], ...]]]:
    """Between each two neighbouring boundaries, the spans covering it, longest first
    (then by start, then by id): the innermost span's tint lands on top."""
    bounds = sorted({t[0] for t in pieces} | {t[1] for t in pieces})
    runs = []
    for a, b in pairwise(bounds):
        covering = sorted((p.span for s, e, p in pieces if s <= a and e >= b),
                          key=lambda span: (span.start - span.end, span.start, span.id))
        if covering:
            runs.append((a, b, tuple((span.color, span.own) for span in covering)))
    return runs


@st.composite
def block_pieces(draw: st.DrawFn) -> list[tuple[int, int, PlacedSpan]]:
    pieces = []
    for i in range(draw(st.integers(0, 14))):
        start = draw(st.integers(0, 60))
        end = start + draw(st.integers(1, 25))
        # The core span may reach beyond the block (the piece is cut to it) and spans
        # may tie on length and start: the id settles their order.
        core_start = start - draw(st.integers(0, 3))
        span = ViewSpan(f"s{draw(st.integers(0, 5))}{i}", core_start,
                        end + draw(st.integers(0, 3)), "claim",
                        draw(st.sampled_from(COLORS)), "alice", None, draw(st.booleans()))
        pieces.append((start, end, PlacedSpan(span, start, end, 0, 0)))
    return pieces


@given(block_pieces())
def test_layered_runs_match_their_definition(pieces: list[tuple[int, int, PlacedSpan]]
                                             ) -> None:
    assert layered_runs(pieces) == by_definition(pieces)


def test_nested_and_touching_spans() -> None:
    outer = PlacedSpan(ViewSpan("o", 0, 10, "claim", "#d6604d", "alice", None), 0, 10, 0, 0)
    inner = PlacedSpan(ViewSpan("i", 2, 4, "claim", "#4393c3", "bob", None, False),
                       2, 4, 0, 0)
    after = PlacedSpan(ViewSpan("a", 10, 12, "claim", "#d6604d", "alice", None), 10, 12, 0, 0)
    red, blue = ("#d6604d", True), ("#4393c3", False)
    assert layered_runs([(10, 12, after), (2, 4, inner), (0, 10, outer)]) == [
        (0, 2, (red,)), (2, 4, (red, blue)), (4, 10, (red,)), (10, 12, (red,))]
