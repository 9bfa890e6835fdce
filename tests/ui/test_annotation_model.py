"""The annotation table model stays in text order under any sequence of single-row changes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from annotator.records import (
    AnnotationRecord,
    DocumentAnnotations,
    RecordColumns,
    record_columns,
)
from ui.documents.document_model import DocumentListModel
from ui.widgets.annotator_badges import initials_icon
from ui.widgets.role_span import DELEGATE_ROLES
from ui.workspace.annotation_model import (
    ANNOTATOR,
    LABEL,
    NOTE,
    PASSAGE,
    STATUS,
    AnnotationTableModel,
)
from ui.workspace.annotation_table import AnnotationTable

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


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4), st.integers(1, 3)),
                max_size=30, unique_by=lambda t: t[0]),
       st.permutations(range(30)), st.integers(0, 12))
def test_a_loaded_document_is_put_in_text_order_whatever_order_it_came_in(
        qapp: object, rows: list[tuple[int, int, int]], order: list[int], moved: int) -> None:
    # Few starts and lengths: many rows start together, so the tie-break (end, id) decides.
    records = [record(key, start, length, "claim") for key, start, length in rows]
    shuffled = [records[i] for i in order if i < len(records)]
    model = AnnotationTableModel()
    model.set_document(TEXT, shuffled, {"claim": "#E69F00"})
    ordered = sorted(records, key=lambda r: (r.start, r.end, r.id))
    assert model.records() == ordered
    assert all(model.row_of(r.id) == i for i, r in enumerate(ordered))
    # Rows are then found by bisection: a move and a removal land on the right rows.
    if records:
        changed = records[moved % len(records)]._replace(start=moved, end=moved + 2)
        model.upsert(changed)
        model.remove(ordered[0].id)
        expected = sorted([changed if r.id == changed.id else r for r in records
                           if r.id != ordered[0].id], key=lambda r: (r.start, r.end, r.id))
        assert model.records() == expected


def lazy_records(records: list[AnnotationRecord], made: list[int]) -> DocumentAnnotations:
    """A read's records (in text order), each made when first read; `made` logs which."""
    def one(i: int) -> AnnotationRecord:
        made.append(i)
        return records[i]

    columns = RecordColumns(*(tuple(getattr(r, name) for r in records)
                              for name in ("id", "start", "end", "label")))
    return DocumentAnnotations(columns, one, lambda: list(records))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 40), st.integers(1, 9),
                          st.sampled_from(["claim", "source", "fact"])),
                max_size=13, unique_by=lambda t: t[0]),
       operations, st.integers(0, 20))
def test_a_model_of_lazy_records_answers_as_one_of_a_list(
        qapp: object, rows: list[tuple[int, int, int, str]], ops: list, looked: int) -> None:
    """Opened from a read's DocumentAnnotations, the model makes no record until one is
    read, and then answers every lookup, change and listing as the model opened from the
    same records in a list does."""
    records = sorted((record(key, start, length, label) for key, start, length, label in rows),
                     key=lambda r: (r.start, r.end, r.id))
    made: list[int] = []
    lazy, plain = AnnotationTableModel(), AnnotationTableModel()
    QAbstractItemModelTester(lazy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    opened = lazy_records(records, made)
    lazy.set_document(TEXT, opened, {"claim": "#E69F00"})
    plain.set_document(TEXT, list(records), {"claim": "#E69F00"})
    assert made == [] and lazy.rowCount() == len(records)
    assert lazy.label_counts() == plain.label_counts()
    assert lazy.columns() == plain.columns() == record_columns(records)
    if records:  # one looked up, one painted: those two made, the others not
        key = records[looked % len(records)]
        assert lazy.find(key.id) == key and lazy.row_of(key.id) == plain.row_of(key.id)
        assert lazy.index(len(records) - 1, PASSAGE).data() == plain.index(
            len(records) - 1, PASSAGE).data()
        assert len(set(made)) <= 2 + len(records).bit_length()  # bisection probes at most
    for op, key, start, length, label in ops:
        if op == "remove":
            lazy.remove(f"a{key}")
            plain.remove(f"a{key}")
        else:
            new = record(key, start, length, label)
            assert lazy.upsert(new) == plain.upsert(new)
        assert [lazy.record(i) for i in range(lazy.rowCount())] == plain.records()
    assert lazy.records() == plain.records()
    assert lazy.columns() == plain.columns()
    # The read's index, shared with the view, is never changed: the model copied it.
    assert dict(opened.positions()) == {r.id: i for i, r in enumerate(records)}
    assert all(lazy.row_of(r.id) == i for i, r in enumerate(plain.records()))
    assert lazy.label_counts() == plain.label_counts()


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


class _DataOnly(AnnotationTableModel):
    """The same model answering painting role by role through data(), as Qt's own
    multiData does: what the table showed before multiData was answered from the cache."""

    def multiData(self, index: Any, roleDataSpan: Any) -> None:
        QAbstractTableModel.multiData(self, index, roleDataSpan)


def _filled(model: AnnotationTableModel) -> AnnotationTableModel:
    rows = [record(n, 4 * n, 3 + n % 5, ("claim", "source", "fact")[n % 3]) for n in range(40)]
    rows[3] = rows[3]._replace(note="check this")
    model.set_document(TEXT, rows, {"claim": "#E69F00", "source": "#56B4E9"})  # fact: none
    model.set_reviews({"a2": ("accepted", "fine"), "a5": ("rejected", "no\nwrong span")})
    model.set_annotator_badges({"alice": initials_icon("alice", "#009E73")})
    return model


def test_the_table_paints_the_same_from_the_cell_cache(qapp: object) -> None:
    """multiData answers the delegate from the row cache: pixel for pixel what data()
    answered role by role (text, colour swatch, badge, review colour, selection)."""
    grabs = []
    for model in (_filled(AnnotationTableModel()), _filled(_DataOnly())):
        table = AnnotationTable(model)
        table.resize(900, 400)
        table.show()
        table.show_annotation("a2")
        QApplication.processEvents()
        grabs.append(table.viewport().grab().toImage())
        table.close()
    assert grabs[0] == grabs[1]


def test_the_delegate_asks_for_the_roles_in_the_order_the_model_expects(qapp: object) -> None:
    asked: list[tuple[int, ...]] = []

    class Recording(AnnotationTableModel):
        def multiData(self, index: Any, roleDataSpan: Any) -> None:
            asked.append(tuple(data.role() for data in roleDataSpan))
            super().multiData(index, roleDataSpan)

    table = AnnotationTable(_filled(Recording()))
    table.resize(600, 200)
    table.show()
    QApplication.processEvents()
    table.viewport().repaint()
    table.close()
    assert asked and set(asked) == {DELEGATE_ROLES}


def _same(one: object, other: object) -> bool:
    if isinstance(one, QIcon) and isinstance(other, QIcon):  # a QIcon equals only itself
        return one.cacheKey() == other.cacheKey()
    return one == other


def test_multi_data_answers_what_data_answers(qapp: object) -> None:
    """A span in another order than the delegate's is answered role by role, the same."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    model = _filled(AnnotationTableModel())
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
             Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
             Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole,
             Qt.ItemDataRole.FontRole]
    for row in (0, 2, 3, 5):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in roles:
                data = QModelRoleData(role)
                model.multiData(index, QModelRoleDataSpan(data))
                assert _same(data.data(), model.data(index, role)), (row, column, role)
    assert model.multiData(QModelIndex(), QModelRoleDataSpan(QModelRoleData(0))) is None


def test_cached_cells_follow_colours_badges_and_reviews(qapp: object) -> None:
    model = _filled(AnnotationTableModel())
    swatch = model.index(0, LABEL)  # a0: claim
    badge = model.index(0, ANNOTATOR)
    review = model.index(2, STATUS)
    assert swatch.data(Qt.ItemDataRole.DecorationRole).name() == "#e69f00"
    assert review.data() == "Accepted"
    assert review.data(Qt.ItemDataRole.ForegroundRole).name() == "#1a7f37"
    assert badge.data(Qt.ItemDataRole.DecorationRole) is not None
    model.set_colors({"claim": "#123456"})
    model.set_reviews({"a2": ("rejected", "")})
    model.set_annotator_badges({})
    assert swatch.data(Qt.ItemDataRole.DecorationRole).name() == "#123456"
    assert review.data() == "Rejected"
    assert review.data(Qt.ItemDataRole.ForegroundRole).name() == "#cf222e"
    assert badge.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(1, LABEL).data(Qt.ItemDataRole.DecorationRole).name() == "#999999"
    model.upsert(model.record(0)._replace(note="new note"))
    assert model.index(0, NOTE).data() == "new note"
