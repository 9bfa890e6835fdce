"""Rename document… (F2) and Delete document…, each one undoable command, on the document
selected in the list.

The list's context menu and the Document menu hold both; F2 works while the list has the
focus. Deleting has no
key of its own: Delete removes the selected annotation, and a document is worth a menu.
The window follows what they change through the core's ``Changes``, like any other write.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from annotator.records import DocumentInfo
from ui.documents.document_list import DocumentList
from ui.documents.document_model import DocumentListModel
from ui.feature_host import FeatureHost
from ui.operations.document_commands import DeleteDocumentCommand, RenameDocumentCommand
from ui.widgets.plain_text import ask


class DocumentActions(QObject):
    def __init__(self, host: FeatureHost, undo_stack: QUndoStack, document_list: DocumentList,
                 model: DocumentListModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = host
        self._stack = undo_stack
        self._list = document_list
        self._model = model
        self._parent = parent
        self._refused = False
        table = document_list.table
        self.rename_action = QAction("Rena&me document…", table)
        self.rename_action.setObjectName("renameDocumentAction")
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.triggered.connect(self.rename_selected)
        self.delete_action = QAction("De&lete document…", table)
        self.delete_action.setObjectName("deleteDocumentAction")
        self.delete_action.triggered.connect(self.delete_selected)
        for action in self.actions():
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            table.addAction(action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def actions(self) -> list[QAction]:
        return [self.rename_action, self.delete_action]

    def selected(self) -> DocumentInfo | None:
        index = self._list.table.currentIndex()
        if not index.isValid():
            return None
        return self._model.document_at(index.row())

    # what the user is asked (tests replace these)
    def ask_title(self, current: str) -> str | None:
        title, ok = QInputDialog.getText(self._parent, "Rename document", "New title:",
                                         QLineEdit.EchoMode.Normal, current)
        return title if ok else None

    def confirm_delete(self, info: DocumentInfo) -> bool:
        return ask(self._parent, "Delete document", delete_question(info))

    # the actions
    def rename_selected(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        title = self.ask_title(info.title)
        if title is None or " ".join(title.split()) == info.title:
            return False
        return self._push(RenameDocumentCommand(self._host.project, self._failed, info.id,
                                                info.title, title))

    def delete_selected(self) -> bool:
        info = self.selected()
        if info is None or not self.confirm_delete(info):
            return False
        if not self._push(DeleteDocumentCommand(self._host.project, self._failed, info.id,
                                                info.title, self._host.open_document)):
            return False
        self._host.show_status(
            f"Deleted “{info.title}” and hid its {info.annotations:,} annotation(s); "
            "Edit › Undo brings them back", 8000)
        return True

    def _push(self, command: QUndoCommand) -> bool:
        """Run the command; False if the core refused it (the stack then deleted it, so
        it must not be touched afterwards)."""
        self._refused = False
        self._stack.push(command)
        return not self._refused

    def _failed(self, message: str) -> None:
        self._refused = True
        self._host.show_error(message)


def delete_question(info: DocumentInfo) -> str:
    """The confirmation: which document, and how many annotations it hides."""
    return (f"Delete the document “{info.title}”?\n\n"
            f"Its {info.annotations:,} annotation(s) are hidden with it, for everyone who "
            "merges this project. Undo brings the document and its annotations back, and "
            "so does ‘annotator restore-document’.")
