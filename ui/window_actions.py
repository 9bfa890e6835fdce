"""The main window's own actions (projects, editing, view, documents, help), with their keys.

Standard keys (QKeySequence.StandardKey) are used wherever Qt has one, with a fallback for
platforms where the standard key is empty (Quit and Preferences on Linux). The menus that
show these actions, and the features' actions, are built in :mod:`ui.menu_bar`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QWidget

from ui.documents.document_list import DocumentList
from ui.documents.document_model import DocumentListModel
from ui.workspace.annotation_editing import AnnotationEditing
from ui.workspace.annotation_table import AnnotationTable
from ui.workspace.document_view import DocumentView

Key = QKeySequence.StandardKey


class WindowCommands(Protocol):
    """What the window's own actions call, and the panes F6 moves between."""

    @property
    def undo_stack(self) -> QUndoStack: ...
    @property
    def editing(self) -> AnnotationEditing: ...
    @property
    def view(self) -> DocumentView: ...
    @property
    def document_list(self) -> DocumentList: ...
    @property
    def document_model(self) -> DocumentListModel: ...
    @property
    def annotation_table(self) -> AnnotationTable: ...
    @property
    def documents_dock(self) -> QDockWidget: ...
    @property
    def annotations_dock(self) -> QDockWidget: ...
    def current_document_id(self) -> str | None: ...
    def new_project_dialog(self) -> None: ...
    def open_project_dialog(self) -> None: ...
    def import_dialog(self) -> None: ...
    def restore_backup_dialog(self) -> object: ...
    def open_labels_dialog(self) -> object: ...
    def open_preferences(self) -> object: ...
    def set_word_snapping(self, on: bool) -> None: ...
    def show_find(self) -> None: ...
    def step_document(self, step: int) -> bool: ...
    def mark_done_and_next(self) -> bool: ...
    def show_shortcuts(self) -> object: ...


def _keys(standard: Key | None, *fallback: str) -> list[QKeySequence]:
    keys = QKeySequence.keyBindings(standard) if standard is not None else []
    present = {k.toString() for k in keys}
    keys += [QKeySequence(f) for f in fallback if f not in present]
    return keys


@dataclass
class WindowActions:
    new_project: QAction
    open_project: QAction
    recent_menu: QMenu
    import_documents: QAction
    restore_backup: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    delete: QAction
    copy_to_my_layer: QAction
    edit_note: QAction
    labels: QAction
    preferences: QAction
    find: QAction
    word_snapping: QAction
    show_documents: QAction
    show_annotations: QAction
    next_pane: QAction
    previous_pane: QAction
    filter_documents: QAction
    next_document: QAction
    previous_document: QAction
    mark_done: QAction
    shortcuts: QAction

    def groups(self) -> list[tuple[str, list[QAction]]]:
        """These actions by menu, for the shortcuts dialog."""
        return [
            ("File", [self.new_project, self.open_project, self.import_documents, self.quit]),
            ("Edit", [self.undo, self.redo, self.delete, self.copy_to_my_layer, self.edit_note,
                      self.labels, self.preferences]),
            ("View", [self.find, self.word_snapping, self.next_pane, self.previous_pane,
                      self.filter_documents]),
            ("Document", [self.next_document, self.previous_document, self.mark_done]),
            ("Help", [self.shortcuts]),
        ]


def _action(
    window: QWidget,
    text: str,
    slot: Callable[[], object],
    keys: list[QKeySequence] | None = None,
    name: str = "",
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts(keys)
    if name:
        action.setObjectName(name)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # shortcuts work even while a toolbar or menu is hidden
    return action


def _recent_menu(window: QWidget) -> QMenu:
    menu = QMenu("Open &recent", window)
    menu.setObjectName("recentMenu")
    return menu


def build_actions(commands: WindowCommands, window: QWidget) -> WindowActions:
    """The window's own actions, each added to `window` so its keys work without menus."""
    stack = commands.undo_stack
    undo = stack.createUndoAction(window, "&Undo")
    undo.setObjectName("undoAction")
    undo.setShortcuts(_keys(Key.Undo))
    redo = stack.createRedoAction(window, "&Redo")
    redo.setObjectName("redoAction")
    redo.setShortcuts(_keys(Key.Redo, "Ctrl+Shift+Z", "Ctrl+Y"))
    window.addActions([undo, redo])
    snapping = QAction("Snap selections to &whole words", window)
    snapping.setObjectName("wordSnappingAction")
    snapping.setCheckable(True)
    snapping.toggled.connect(commands.set_word_snapping)
    actions = WindowActions(
        new_project=_action(window, "&New project…", commands.new_project_dialog,
                            _keys(Key.New), "newProjectAction"),
        open_project=_action(window, "&Open project…", commands.open_project_dialog,
                             _keys(Key.Open), "openProjectAction"),
        recent_menu=_recent_menu(window),
        import_documents=_action(window, "&Import documents…", commands.import_dialog,
                                 [QKeySequence("Ctrl+I")], "importAction",
                                 "Import text, HTML, Word, PDF or JSON files"),
        restore_backup=_action(window, "Restore &backup…", commands.restore_backup_dialog,
                               None, "restoreBackupAction",
                               "Put back an earlier state of the project from its backups"),
        quit=_action(window, "&Quit", window.close, _keys(Key.Quit, "Ctrl+Q"), "quitAction"),
        undo=undo,
        redo=redo,
        delete=_action(window, "&Delete annotation", commands.editing.delete_selected,
                       _keys(Key.Delete), "deleteAction"),
        copy_to_my_layer=_action(window, "&Copy to my layer", commands.editing.copy_to_my_layer,
                                 [QKeySequence("Ctrl+D")], "copyToMyLayerAction",
                                 "Copy the selected colleague's tag into your own layer"),
        edit_note=_action(window, "Edit &note", commands.editing.edit_selected_note,
                          [QKeySequence("N")], "editNoteAction"),
        labels=_action(window, "&Labels…", commands.open_labels_dialog,
                       [QKeySequence("Ctrl+Shift+L")], "labelsAction"),
        preferences=_action(window, "&Preferences…", commands.open_preferences,
                            _keys(Key.Preferences, "Ctrl+,"), "preferencesAction"),
        find=_action(window, "&Find in document…", commands.show_find,
                     _keys(Key.Find), "findAction"),
        word_snapping=snapping,
        show_documents=commands.documents_dock.toggleViewAction(),
        show_annotations=commands.annotations_dock.toggleViewAction(),
        next_pane=_action(window, "Next &pane", lambda: focus_pane(commands, 1),
                          _keys(None, "F6"), "nextPaneAction",
                          "Move the keyboard to the next pane: documents, text, annotations"),
        previous_pane=_action(window, "Pre&vious pane", lambda: focus_pane(commands, -1),
                              _keys(None, "Shift+F6"), "previousPaneAction"),
        filter_documents=_action(window, "&Go to document filter",
                                 lambda: focus_document_filter(commands),
                                 _keys(None, "Ctrl+L"), "filterDocumentsAction"),
        next_document=_action(window, "&Next document", lambda: commands.step_document(1),
                              [QKeySequence("Alt+Right")], "nextDocumentAction"),
        previous_document=_action(window, "&Previous document",
                                  lambda: commands.step_document(-1),
                                  [QKeySequence("Alt+Left")], "previousDocumentAction"),
        mark_done=_action(window, "Mark &done and open next", commands.mark_done_and_next,
                          [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")],
                          "markDoneAction"),
        shortcuts=_action(window, "&Keyboard shortcuts", commands.show_shortcuts,
                          _keys(Key.HelpContents), "shortcutsAction"),
    )
    # Label keys and N must not fire while the note editor or filter box has focus;
    # line edits claim printable keys through ShortcutOverride, so window scope is safe.
    actions.edit_note.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    return actions


def _panes(window: WindowCommands) -> list[QWidget]:
    """Where F6 moves the keyboard, in order; a closed dock is skipped."""
    documents = window.document_list
    first = (documents.table if documents.table.isVisible()
             else documents.add_sample_button)
    return [w for w in (first, window.view, window.annotation_table) if w.isVisible()]


def focus_pane(window: WindowCommands, step: int) -> QWidget | None:
    """Give the keyboard to the next (step 1) or previous (-1) pane.

    Tab cannot do this from the text, where it walks the annotations.
    """
    panes = _panes(window)
    if not panes:
        return None
    focus = QApplication.focusWidget()
    here = next((i for i, pane in enumerate(panes)
                 if focus is not None and (focus is pane or pane.isAncestorOf(focus))), None)
    if here is None and focus is not None and window.document_list.isAncestorOf(focus):
        here = 0  # the filter box belongs to the documents pane
    target = panes[0 if here is None and step > 0 else ((here or 0) + step) % len(panes)]
    table = window.document_list.table
    if target is table and not table.currentIndex().isValid() and table.model().rowCount():
        current = window.current_document_id()
        row = window.document_model.row_of(current) if current else None
        table.selectRow(row or 0)
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)
    return target


def focus_document_filter(window: WindowCommands) -> None:
    documents = window.documents_dock
    if not documents.isVisible():
        documents.show()
    box = window.document_list.filter_box
    if box.isEnabled():
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()
    else:
        window.document_list.add_sample_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
