"""The annotation table model stays in text order under any sequence of single-row changes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from annotator.records import AnnotationRecord
from ui.documents.document_model import DocumentListModel
from ui.workspace.annotation_model import LABEL, NOTE, PASSAGE, AnnotationTableModel

NOW = datetime.now(UTC)
TEXT = "The minister said growth was strong. " * 30


def record(key: int, start: int, length: int, label: str) -> AnnotationRecord:
    return AnnotationRecord(f"a{key}", "doc", start, start + length, label, "alice", None, NOW, NOW)


operations = st.lists(
    st.tuples(
        st.sampled_from(["upsert", "remove"]),
        st.integers(0, 12),  # which annotation
        st.integers(0, len(TEXT) - 20),
        st.integers(1, 15),
        st.sampled_from(["claim", "source", "fact"]),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(operations)
def test_rows_follow_text_order_and_counts(qapp: object, ops: list) -> None:
    model = AnnotationTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_document(TEXT, [], {"claim": "#E69F00"})
    expected: dict[str, AnnotationRecord] = {}
    for op, key, start, length, label in ops:
        if op == "remove":
            model.remove(f"a{key}")
            expected.pop(f"a{key}", None)
        else:
            new = record(key, start, length, label)
            row = model.upsert(new)
            expected[new.id] = new
            assert model.record(row) == new
    ordered = sorted(expected.values(), key=lambda r: (r.start, r.end, r.id))
    assert model.records() == ordered
    assert all(model.row_of(r.id) == i for i, r in enumerate(ordered))
    counts: dict[str, int] = {}
    for r in ordered:
        counts[r.label] = counts.get(r.label, 0) + 1
    assert model.label_counts() == counts


def test_cells_and_note_editing(qapp: object) -> None:
    model = AnnotationTableModel()
    model.set_document(TEXT, [record(1, 4, 8, "claim")], {"claim": "#E69F00"})
    assert model.index(0, PASSAGE).data() == "minister"
    assert model.index(0, LABEL).data(Qt.ItemDataRole.DecorationRole).name() == "#e69f00"
    assert model.flags(model.index(0, NOTE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, PASSAGE)) & Qt.ItemFlag.ItemIsEditable
    edits: list[tuple[str, str]] = []
    model.noteEdited.connect(lambda *args: edits.append(args))
    assert model.setData(model.index(0, NOTE), "  check  ")
    assert edits == [("a1", "check")]
    assert model.index(0, NOTE).data() == ""  # unchanged until the core confirms


def test_document_model_patches_one_row(qapp: object) -> None:
    from annotator.records import DocumentInfo

    docs = [
        DocumentInfo(n, f"d{n}", f"Title {n}", 100, 0, "new", "", None, "txt", NOW)
        for n in range(1, 6)
    ]
    model = DocumentListModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_documents(docs)
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top.row()))
    model.adjust_count("d3", 2)
    model.update_document("d3", status="done")
    assert changed == [2, 2]
    info = model.info("d3")
    assert info is not None and (info.annotations, info.status) == (2, "done")
    assert model.index(2, 2).data() == "done"
