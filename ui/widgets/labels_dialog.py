"""Edit › Labels…: add, rename, recolour, reorder, assign keys and remove labels, and edit
the relation types that link them (:mod:`ui.widgets.relation_types_editor`).

Every change goes straight to the core; the dialog never blocks on its own (errors show
inline) and the one question it asks – removing a label in use – goes through
confirm_removal(), which tests replace.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator import AnnotatorError, Project
from annotator.records import LabelRecord
from ui.widgets.plain_text import ask, make_plain
from ui.widgets.relation_types_editor import RelationTypesEditor
from ui.widgets.swatches import OKABE_ITO, swatch_icon


class LabelsDialog(QDialog):
    """labelsChanged(structural): structural is True after a rename or a removal."""

    labelsChanged = Signal(bool)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle("Labels")
        self.setMinimumWidth(520)
        self._project = project
        self._labels: list[LabelRecord] = []

        self.label_list = QListWidget(self)
        self.label_list.setObjectName("labelList")
        self.label_list.setAccessibleName("Labels")
        self.label_list.currentRowChanged.connect(self._show_current)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("labelName")
        self.name_edit.setAccessibleName("Label name")
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("labelKey")
        self.key_edit.setAccessibleName("Label key")
        self.key_edit.setMaxLength(1)
        self.key_edit.setPlaceholderText("none")
        self.color_button = QPushButton(self)
        self.color_button.setObjectName("labelColor")
        self.color_button.setAccessibleName("Label colour")
        self.color_button.clicked.connect(self._pick_color)
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("labelDescription")
        self.description_edit.setAccessibleName("Label description")
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Key:", self.key_edit)
        form.addRow("&Colour:", self.color_button)
        form.addRow("&Description:", self.description_edit)
        apply_button = QPushButton("&Apply", self)
        apply_button.setObjectName("applyLabel")
        apply_button.clicked.connect(self._apply_form)

        add_button = QPushButton("Add…", self)
        add_button.setObjectName("addLabel")
        add_button.clicked.connect(self._add_from_form)
        up_button = QPushButton("Move up", self)
        up_button.clicked.connect(lambda: self._move_current(-1))
        down_button = QPushButton("Move down", self)
        down_button.clicked.connect(lambda: self._move_current(1))
        remove_button = QPushButton("Remove", self)
        remove_button.setObjectName("removeLabel")
        remove_button.clicked.connect(self._remove_current)

        self.error_label = make_plain(QLabel(self))  # the core's messages quote names
        self.error_label.setObjectName("labelError")
        self.error_label.setStyleSheet("color: #D55E00;")
        self.error_label.setWordWrap(True)

        buttons = QVBoxLayout()
        for button in (add_button, up_button, down_button, remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        lists = QHBoxLayout()
        lists.addWidget(self.label_list, 1)
        lists.addLayout(buttons)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addWidget(apply_button, 0, Qt.AlignmentFlag.AlignRight)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(lists)
        layout.addLayout(editor)
        layout.addWidget(self.error_label)
        self.relation_types = RelationTypesEditor(project, self)
        layout.addWidget(self.relation_types)
        layout.addWidget(close)
        self._pending_color = ""
        self.reload()

    # the programmatic interface (buttons call these too)
    def labels(self) -> list[LabelRecord]:
        return list(self._labels)

    def add_label(self, name: str, color: str | None = None, key: str | None = None) -> bool:
        return self._run(lambda: self._project.add_label(name, color=color, key=key), False, name)

    def rename_label(self, name: str, new_name: str) -> bool:
        return self._run(
            lambda: self._project.update_label(name, new_name=new_name), True, new_name
        )

    def set_label_color(self, name: str, color: str) -> bool:
        return self._run(lambda: self._project.update_label(name, color=color), False, name)

    def set_label_key(self, name: str, key: str | None) -> bool:
        return self._run(lambda: self._project.update_label(name, key=key or ""), False, name)

    def move_label(self, name: str, offset: int) -> bool:
        names = [label.name for label in self._labels]
        if name not in names:
            return False
        old = names.index(name)
        new = max(0, min(len(names) - 1, old + offset))
        if new == old:
            return False
        names.insert(new, names.pop(old))
        return self._run(lambda: self._project.reorder_labels(names), False, name)

    def remove_label(self, name: str) -> bool:
        try:
            in_use = self._project.label_usage(name)
        except AnnotatorError as error:
            self.show_error(str(error))
            return False
        if in_use and not self.confirm_removal(name, in_use):
            return False
        return self._run(lambda: self._project.remove_label(name, force=bool(in_use)), True, None)

    def confirm_removal(self, name: str, in_use: int) -> bool:
        """Ask before removing a label in use (tests monkeypatch this)."""
        noun = "annotation" if in_use == 1 else "annotations"
        return ask(self, "Remove label",
                   f"The label “{name}” is used by {in_use} {noun}.\n"
                   f"Removing it removes those {noun} too. Remove it?")

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)

    # internals
    def _run(self, change: Any, structural: bool, select: str | None) -> bool:
        try:
            change()
        except AnnotatorError as error:
            self.show_error(str(error))
            return False
        self.error_label.clear()
        self.reload(select)
        # A rename or removal changes the labels the relation types name.
        self.relation_types.reload()
        self.labelsChanged.emit(structural)
        return True

    def reload(self, select: str | None = None) -> None:
        current = select or self._current_name()
        self._labels = self._project.labels()
        self.label_list.blockSignals(True)
        self.label_list.clear()
        for label in self._labels:
            text = f"{label.name}    key {label.key}" if label.key else label.name
            item = QListWidgetItem(swatch_icon(label.color), text)
            item.setData(Qt.ItemDataRole.UserRole, label.name)
            self.label_list.addItem(item)
        self.label_list.blockSignals(False)
        names = [label.name for label in self._labels]
        row = names.index(current) if current in names else (0 if names else -1)
        self.label_list.setCurrentRow(row)
        self._show_current(row)

    def _current_name(self) -> str | None:
        item = self.label_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _show_current(self, row: int) -> None:
        label = self._labels[row] if 0 <= row < len(self._labels) else None
        self.name_edit.setText(label.name if label else "")
        self.key_edit.setText((label.key or "") if label else "")
        self.description_edit.setText(label.description if label else "")
        self._set_pending_color(label.color if label else OKABE_ITO[0])

    def _set_pending_color(self, color: str) -> None:
        self._pending_color = color
        self.color_button.setIcon(swatch_icon(color))
        self.color_button.setText(color)

    def _pick_color(self) -> None:
        for i, color in enumerate(OKABE_ITO):
            QColorDialog.setCustomColor(i, QColor(color))
        chosen = QColorDialog.getColor(QColor(self._pending_color), self, "Label colour")
        if chosen.isValid():
            self._set_pending_color(chosen.name().upper())

    def _apply_form(self) -> None:
        name = self._current_name()
        if name is None:
            return
        new_name = self.name_edit.text().strip()

        def change() -> None:
            self._project.update_label(
                name,
                new_name=new_name if new_name != name else None,
                color=self._pending_color,
                key=self.key_edit.text().strip(),
                description=self.description_edit.text(),
            )

        self._run(change, new_name != name, new_name)

    def _add_from_form(self) -> None:
        existing = {label.name for label in self._labels}
        name = self.name_edit.text().strip()
        if not name or name in existing:
            name = next(f"label {n}" for n in range(1, 1000) if f"label {n}" not in existing)
        used_keys = {label.key for label in self._labels}
        key = next((k for k in "123456789" if k not in used_keys), None)
        self.add_label(name, key=key)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _move_current(self, offset: int) -> None:
        name = self._current_name()
        if name is not None:
            self.move_label(name, offset)

    def _remove_current(self) -> None:
        name = self._current_name()
        if name is not None:
            self.remove_label(name)
