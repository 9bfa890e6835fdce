"""The relation types part of Edit › Labels…: add, rename, change the labels a type
connects, and remove, as labels are edited.

Every change goes straight to the core (the window follows the published Changes); errors
show inline; removing a type in use asks first through confirm_removal(), which tests
replace.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator import AnnotatorError, Project
from annotator.records import RelationTypeRecord


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def type_summary(kind: RelationTypeRecord) -> str:
    """``attributed_to: claim → source`` (any label where a side is open)."""
    sources = ", ".join(kind.from_labels) or "any label"
    targets = ", ".join(kind.to_labels) or "any label"
    return f"{kind.name}: {sources} \u2192 {targets}"


class RelationTypesEditor(QGroupBox):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__("Relation types (links between labels)", parent)
        self.setObjectName("relationTypesEditor")
        self._project = project
        self._types: list[RelationTypeRecord] = []
        self.type_list = QListWidget(self)
        self.type_list.setObjectName("relationTypeList")
        self.type_list.setAccessibleName("Relation types")
        self.type_list.currentRowChanged.connect(self._show_current)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("relationTypeName")
        self.name_edit.setAccessibleName("Relation type name")
        self.from_edit = QLineEdit(self)
        self.from_edit.setObjectName("relationTypeFrom")
        self.from_edit.setPlaceholderText("labels, comma-separated; empty: any")
        self.to_edit = QLineEdit(self)
        self.to_edit.setObjectName("relationTypeTo")
        self.to_edit.setPlaceholderText("labels, comma-separated; empty: any")
        form = QFormLayout()
        form.addRow("Na&me:", self.name_edit)
        form.addRow("&From:", self.from_edit)
        form.addRow("&To:", self.to_edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("relationTypeError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #D55E00;")
        self.error_label.setWordWrap(True)
        buttons = QVBoxLayout()
        for text, name, slot in (("Add", "addRelationType", self._add_from_form),
                                 ("Apply", "applyRelationType", self._apply_form),
                                 ("Remove", "removeRelationType", self._remove_current)):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.type_list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        self.reload()

    def types(self) -> list[RelationTypeRecord]:
        return list(self._types)

    def add_type(self, name: str, from_labels: list[str], to_labels: list[str]) -> bool:
        return self._run(lambda: self._project.add_relation_type(name, from_labels, to_labels),
                         name)

    def update_type(self, name: str, new_name: str, from_labels: list[str],
                    to_labels: list[str]) -> bool:
        return self._run(lambda: self._project.update_relation_type(
            name, new_name=new_name if new_name != name else None, from_labels=from_labels,
            to_labels=to_labels), new_name)

    def remove_type(self, name: str) -> bool:
        try:
            in_use = self._project.relation_type_usage(name)
        except AnnotatorError as error:
            self.error_label.setText(str(error))
            return False
        if in_use and not self.confirm_removal(name, in_use):
            return False
        return self._run(
            lambda: self._project.remove_relation_type(name, force=bool(in_use)), None)

    def confirm_removal(self, name: str, in_use: int) -> bool:
        """Ask before removing a type in use (tests replace this)."""
        noun = "link" if in_use == 1 else "links"
        box = QMessageBox(QMessageBox.Icon.Question, "Remove relation type",
                          f"The relation type \u201c{name}\u201d is used by {in_use} {noun}. "
                          f"Removing it removes those {noun} too. Remove it?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def reload(self, select: str | None = None) -> None:
        current = select or self._current_name()
        self._types = self._project.relation_types()
        self.type_list.blockSignals(True)
        self.type_list.clear()
        for kind in self._types:
            item = QListWidgetItem(type_summary(kind))
            item.setData(Qt.ItemDataRole.UserRole, kind.name)
            self.type_list.addItem(item)
        self.type_list.blockSignals(False)
        names = [kind.name for kind in self._types]
        row = names.index(current) if current in names else (0 if names else -1)
        self.type_list.setCurrentRow(row)
        self._show_current(row)

    def _run(self, change: Callable[[], object], select: str | None) -> bool:
        try:
            change()
        except AnnotatorError as error:
            self.error_label.setText(str(error))
            return False
        self.error_label.clear()
        self.reload(select)
        return True

    def _current_name(self) -> str | None:
        item = self.type_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _show_current(self, row: int) -> None:
        kind = self._types[row] if 0 <= row < len(self._types) else None
        self.name_edit.setText(kind.name if kind else "")
        self.from_edit.setText(", ".join(kind.from_labels) if kind else "")
        self.to_edit.setText(", ".join(kind.to_labels) if kind else "")

    def _add_from_form(self) -> None:
        self.add_type(self.name_edit.text().strip(), _names(self.from_edit.text()),
                      _names(self.to_edit.text()))

    def _apply_form(self) -> None:
        name = self._current_name()
        if name is not None:
            self.update_type(name, self.name_edit.text().strip(),
                             _names(self.from_edit.text()), _names(self.to_edit.text()))

    def _remove_current(self) -> None:
        name = self._current_name()
        if name is not None:
            self.remove_type(name)
