"""File › Restore backup…: the project's backups, as ``annotator backups list`` shows them.

The dialog only chooses; the window restores (through the core) and reloads the project.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.backups import Backup
from annotator.untrusted import human_size
from ui.widgets.plain_text import plain_label

_EXPLAINED = (
    "Choose the state to go back to. The project as it is now is backed up first, so a "
    "restore can itself be undone by restoring that backup. Other windows and programs "
    "using this project should be closed."
)


def backup_row(backup: Backup) -> tuple[str, str, str, str]:
    """When (UTC), why, size and name of a backup, as the command line lists them."""
    return (f"{backup.made:%Y-%m-%d %H:%M:%S} UTC", backup.reason, human_size(backup.size),
            backup.name)


class BackupsDialog(QDialog):
    """Lists ``backups`` newest first; :meth:`chosen` is the one selected when accepted."""

    def __init__(self, backups: list[Backup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Restore backup")
        self._backups = backups
        layout = QVBoxLayout(self)
        explanation = plain_label(_EXPLAINED if backups else "This project has no backups yet.")
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.table = QTableWidget(len(backups), 4, self)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(["Made", "Why", "Size", "Name"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, backup in enumerate(backups):
            for column, text in enumerate(backup_row(backup)):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = buttons.addButton(
            "&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        if backups:
            self.table.selectRow(0)
        self._selection_changed()
        self.resize(640, 360)

    def chosen(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)
