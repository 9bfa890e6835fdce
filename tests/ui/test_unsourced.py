"""UnsourcedClaims keeps the claims without a source in text order through any changes,
whether it still reads them from the rebuild's columns or has made them a list."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.records import AnnotationRecord
from ui.workspace.overlay import Mark
from ui.workspace.unsourced import UnsourcedClaims

NOW = datetime.now(UTC)
ids = st.sampled_from([f"a{i}" for i in range(10)])


def record(annotation_id: str, start: int, label: str) -> AnnotationRecord:
    return AnnotationRecord(annotation_id, "doc", start, start + 3, label, "alice", None, NOW,
                            NOW)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(ids, st.tuples(st.integers(0, 30), st.sampled_from(["claim", "fact"]))),
       st.sets(ids),
       st.lists(st.tuples(ids, st.one_of(st.none(), st.tuples(
           st.integers(0, 30), st.sampled_from(["claim", "fact"])))), max_size=12),
       st.booleans())
def test_claims_follow_changes_from_columns_or_list(
        shown: dict[str, tuple[int, str]], attributed: set[str],
        changes: list[tuple[str, tuple[int, str] | None]], look_first: bool) -> None:
    records = {key: record(key, start, label) for key, (start, label) in shown.items()}
    claims = sorted((r for r in records.values() if r.label == "claim"),
                    key=lambda r: (r.start, r.end, r.id))
    unsourced = UnsourcedClaims(lambda key: Mark(records[key].start, records[key].end, "#000",
                                                 "claim", key))
    unsourced.rebuild([r.start for r in claims], [r.end for r in claims],
                      [r.id for r in claims], lambda r: r.label == "claim", attributed)
    if look_first:  # a lookup by id makes the list before any change
        assert all((key in unsourced) == (key in {r.id for r in claims} - attributed)
                   for key in records)
    for key, state in changes:
        if state is None:
            records.pop(key, None)
            unsourced.update([(key, None)])
        else:
            records[key] = record(key, *state)
            unsourced.update([(key, records[key])])
    expected = sorted((r for r in records.values()
                       if r.label == "claim" and r.id not in attributed),
                      key=lambda r: (r.start, r.end, r.id))
    assert len(unsourced) == len(expected)
    assert [m.text for m in unsourced.marks()] == [r.id for r in expected]
    assert [(m.start, m.end) for m in unsourced.marks()[1:]] == [
        (r.start, r.end) for r in expected[1:]]
    assert all((key in unsourced) == (key in {r.id for r in expected}) for key in records)
