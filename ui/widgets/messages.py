"""Small shared wording and message boxes for the window's features."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.widgets.plain_text import message_box


def plural(count: int, word: str) -> str:
    """``1 document``, ``2,000 documents``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def show_message(
    parent: QWidget,
    title: str,
    text: str,
    *,
    name: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    informative: str = "",
    details: str = "",
) -> QMessageBox:
    """A window-modal message in plain text that returns at once (so nothing blocks, tests
    included)."""
    box = message_box(icon, title, text, parent)
    box.setObjectName(name)
    # QMessageBox sizes itself to its headline; paths in the text need more room.
    box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel "
                      "{ min-width: 440px; }")
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
