"""Asking before removing a colleague's link, as for a colleague's tag."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.records import RelationRecord
from ui.widgets.plain_text import message_box


def ask_remove_colleague_link(parent: QWidget, record: RelationRecord) -> bool:
    """True when the user chooses to remove ``record``, a colleague's link, as a reviewer."""
    kind = record.type.replace("_", " ")
    box = message_box(QMessageBox.Icon.Question, "A colleague's link",
                      f"This link ({kind}) is {record.annotator}'s.", parent,
                      QMessageBox.StandardButton.NoButton)
    box.setObjectName("colleagueLinkQuestion")
    box.setInformativeText(
        f"Remove {record.annotator}'s link as a reviewer? Undo brings it back; your own "
        "links are removed without asking.")
    remove = box.addButton(f"Remove {record.annotator}'s", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is remove
