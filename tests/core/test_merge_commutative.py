"""Disjoint work merges to the same result in either order (hypothesis)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.review_support import TEXT, content, open_at

LABELS = ("claim", "source", "fact")
span = st.tuples(
    st.integers(0, len(TEXT) - 1), st.integers(1, 40), st.sampled_from(LABELS), st.booleans()
)
work = st.lists(span, max_size=8)


def _project(path: Path, user: str, spans: list[tuple[int, int, str, bool]], done: bool) -> int:
    """Make the project; returns how many annotations (tombstones included) it holds."""
    made = 0
    with open_at(path, user) as project:
        doc = project.add_document(TEXT, user)
        live: set[tuple[int, int, str]] = set()
        for start, length, label, deleted in spans:
            key = (start, min(len(TEXT), start + length), label)
            if key in live:
                continue  # one annotator never holds two identical live annotations
            annotation = project.add_annotation(doc, *key)
            made += 1
            if deleted:
                project.delete_annotation(annotation)
            else:
                live.add(key)
        if done:
            project.set_status(doc, "done")
    return made


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work, work, st.booleans(), st.booleans())
def test_disjoint_work_merges_the_same_in_either_order(
    alice_spans: list[tuple[int, int, str, bool]],
    bob_spans: list[tuple[int, int, str, bool]],
    alice_done: bool,
    bob_done: bool,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        made = _project(root / "alice.db", "alice", alice_spans, alice_done)
        made += _project(root / "bob.db", "bob", bob_spans, bob_done)
        shutil.copyfile(root / "alice.db", root / "alice-then-bob.db")
        shutil.copyfile(root / "bob.db", root / "bob-then-alice.db")
        with open_at(root / "alice.db", "alice") as project:
            project.bundle(root / "alice.zip")
        with open_at(root / "alice-then-bob.db", "alice") as first:
            first.merge(root / "bob.db")
            first_content = content(first)
            first_statuses = {
                (u, first.status(first.documents()[0].id, u)) for u in ("alice", "bob")
            }
        with open_at(root / "bob-then-alice.db", "bob") as second:
            second.merge(root / "alice.zip")
            second_content = content(second)
            second_statuses = {
                (u, second.status(second.documents()[0].id, u)) for u in ("alice", "bob")
            }
        assert first_content == second_content
        assert len(first_content) == made
        assert first_statuses == second_statuses
        # A third project gets the same set whichever it merges first.
        with open_at(root / "carol1.db", "carol") as carol:
            carol.merge(root / "alice.zip")
            carol.merge(root / "bob.db")
            assert content(carol) == first_content
        with open_at(root / "carol2.db", "carol") as carol:
            carol.merge(root / "bob.db")
            carol.merge(root / "alice.zip")
            assert content(carol) == first_content
