"""Edit › Preferences: user name, word snapping, reading font and size."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Preferences:
    user: str
    word_snapping: bool
    font: QFont


class PreferencesDialog(QDialog):
    def __init__(self, current: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.user_edit = QLineEdit(current.user, self)
        self.user_edit.setObjectName("preferencesUser")
        self.user_edit.setAccessibleName("User name")
        self.snap_box = QCheckBox("Snap selections to whole words", self)
        self.snap_box.setObjectName("preferencesWordSnapping")
        self.snap_box.setChecked(current.word_snapping)
        self.font_box = QFontComboBox(self)
        self.font_box.setObjectName("preferencesFont")
        self.font_box.setAccessibleName("Reading font")
        self.font_box.setCurrentFont(current.font)
        self.size_box = QSpinBox(self)
        self.size_box.setObjectName("preferencesFontSize")
        self.size_box.setAccessibleName("Font size")
        self.size_box.setRange(6, 48)
        self.size_box.setSuffix(" pt")
        self.size_box.setValue(max(6, current.font.pointSize()))
        form = QFormLayout()
        form.addRow("&User name:", self.user_edit)
        form.addRow("", self.snap_box)
        form.addRow("Reading &font:", self.font_box)
        form.addRow("Font &size:", self.size_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        font = QFont(self.font_box.currentFont())
        font.setPointSize(self.size_box.value())
        return Preferences(self.user_edit.text().strip(), self.snap_box.isChecked(), font)
