"""A small non-modal editor for a review comment on one annotation.

Ctrl+Enter saves, Escape cancels; the window keeps working while it is open.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.plain_text import escape, rich_label


class CommentEditor(QDialog):
    """submitted(annotation id, comment) when saved with a non-empty comment."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentEditor")
        self.setWindowTitle("Review comment")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(420, 200)
        self._annotation_id: str | None = None
        self.context_label = rich_label(parent=self)
        self.context_label.setObjectName("commentContext")
        self.context_label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("commentText")
        self.text.setAccessibleName("Comment")
        self.text.setPlaceholderText("Why accept or reject it, or what should change…")
        self.text.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Save comment")
        save.setToolTip("Ctrl+Enter")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # Caught on the text box itself: it works whether or not the window is active.
        self.text.installEventFilter(self)
        self.text.textChanged.connect(self._update_save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.context_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self._update_save()

    def open_for(self, annotation_id: str, label: str, passage: str, annotator: str) -> None:
        """Show the editor for one annotation (replacing any unsaved draft)."""
        self._annotation_id = annotation_id
        short = passage if len(passage) <= 120 else passage[:119] + "…"
        self.context_label.setText(
            f"Comment on <b>{escape(label)}</b> by {escape(annotator)}:<br>"
            f"<i>“{escape(short)}”</i>"
        )
        self.text.clear()
        self.show()
        self.raise_()
        self.activateWindow()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def annotation_id(self) -> str | None:
        return self._annotation_id

    def save(self) -> None:
        comment = self.text.toPlainText().strip()
        if not comment or self._annotation_id is None:
            return
        annotation_id = self._annotation_id
        self._annotation_id = None
        self.hide()
        self.submitted.emit(annotation_id, comment)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.text and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def _update_save(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.text.toPlainText().strip()))
