"""The document list paints from one multiData call per cell: the same pixels as data()."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtWidgets import QApplication

from annotator.records import DocumentInfo
from ui.documents.document_list import DocumentList
from ui.documents.document_model import DocumentListModel
from ui.widgets.role_span import DELEGATE_ROLES

NOW = datetime(2024, 1, 1, tzinfo=UTC)
STATUSES = ("new", "in_progress", "done", "strange")


class _DataOnly(DocumentListModel):
    """The same model answering role by role through data(), as Qt's own multiData does."""

    def multiData(self, index: Any, roleDataSpan: Any) -> None:
        QAbstractTableModel.multiData(self, index, roleDataSpan)


def _filled(model: DocumentListModel) -> DocumentListModel:
    model.set_documents([
        DocumentInfo(n, f"d{n}", f"Title {n} & more", 100 * n, n * 7, STATUSES[n % 4], "",
                     None, "txt", NOW)
        for n in range(1, 12)])
    model.set_current("d3")
    return model


def test_the_list_paints_the_same_as_from_data(qapp: object) -> None:
    grabs = []
    for model in (_filled(DocumentListModel()), _filled(_DataOnly())):
        pane = DocumentList(model)
        pane.resize(420, 400)
        pane.show()
        pane.select_document("d5")
        QApplication.processEvents()
        grabs.append(pane.table.viewport().grab().toImage())
        pane.close()
    assert grabs[0] == grabs[1]


def test_the_delegate_asks_for_the_roles_in_the_order_the_model_expects(qapp: object) -> None:
    asked: list[tuple[int, ...]] = []

    class Recording(DocumentListModel):
        def multiData(self, index: Any, roleDataSpan: Any) -> None:
            asked.append(tuple(data.role() for data in roleDataSpan))
            super().multiData(index, roleDataSpan)

    pane = DocumentList(_filled(Recording()))
    pane.resize(420, 300)
    pane.show()
    QApplication.processEvents()
    pane.table.viewport().repaint()
    pane.close()
    assert asked and set(asked) == {DELEGATE_ROLES}


def test_multi_data_answers_what_data_answers(qapp: object) -> None:
    model = _filled(DocumentListModel())
    roles = [*(Qt.ItemDataRole(role) for role in DELEGATE_ROLES), Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.UserRole, Qt.ItemDataRole.EditRole]
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in roles:
                data = QModelRoleData(role)
                model.multiData(index, QModelRoleDataSpan(data))
                assert data.data() == model.data(index, role), (row, column, role)
    assert model.multiData(QModelIndex(), QModelRoleDataSpan(QModelRoleData(0))) is None
