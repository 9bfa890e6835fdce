"""File › Export… and File › Import annotations…, added to an existing main window.

install_exchange_actions(window) is the only entry point: it puts both actions into the
window's File menu after "Import documents…", opens the dialogs on the window's current
project, refreshes the window after an import, and joins any running worker when the
window closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator import ExportResult, ImportResult
from ui.exchange.export_dialog import ExportDialog
from ui.exchange.import_annotations_dialog import ImportAnnotationsDialog
from ui.operations.background import BackgroundRunner
from ui.widgets.messages import plural

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class ExchangeActions(QObject):
    """The two actions and the dialogs they open (one of each at a time)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("exchangeActions")
        self.window = window
        self.export_dialog: ExportDialog | None = None
        self.import_dialog: ImportAnnotationsDialog | None = None
        self.export_action = QAction("&Export…", window)
        self.export_action.setObjectName("exportAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.setStatusTip("Write the annotations as a dataset (JSONL, CSV, brat…)")
        self.export_action.triggered.connect(lambda _checked=False: self.open_export())
        self.import_action = QAction("Import &annotations…", window)
        self.import_action.setObjectName("importAnnotationsAction")
        self.import_action.setStatusTip("Bring annotations back from an export")
        self.import_action.triggered.connect(lambda _checked=False: self.open_import())
        window.addActions([self.export_action, self.import_action])
        window.installEventFilter(self)

    def open_export(self) -> ExportDialog:
        if self.export_dialog is None:
            dialog = ExportDialog(self.window.project, self.window.current_document_id(),
                                  self.window)
            dialog.exported.connect(self._exported)
            dialog.finished.connect(self._export_closed)
            self.export_dialog = dialog
        self.export_dialog.open()
        self.export_dialog.raise_()
        return self.export_dialog

    def open_import(self) -> ImportAnnotationsDialog:
        if self.import_dialog is None:
            dialog = ImportAnnotationsDialog(self.window.project, self.window)
            dialog.imported.connect(self._imported)
            dialog.finished.connect(self._import_closed)
            self.import_dialog = dialog
        self.import_dialog.open()
        self.import_dialog.raise_()
        return self.import_dialog

    def _export_closed(self) -> None:
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
            self.export_dialog = None

    def _import_closed(self) -> None:
        if self.import_dialog is not None:
            self.import_dialog.deleteLater()
            self.import_dialog = None

    def _exported(self, result: ExportResult) -> None:
        self.window.status.showMessage(
            f"Exported {plural(result.documents, 'document')}, "
            f"{plural(result.annotations, 'annotation')}", 10000,
        )

    def _imported(self, result: ImportResult) -> None:
        report_import(self.window, result)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            # A running export or import must end before its thread object is destroyed.
            for controller in self.window.findChildren(BackgroundRunner):
                controller.wait()
        return False


def report_import(window: MainWindow, result: ImportResult) -> None:
    """Say what an annotation import did; the views follow its Changes on their own."""
    c = result.counts
    summary = (f"Imported annotations: {c.added:,} added, {c.updated:,} updated, "
               f"{c.unchanged:,} unchanged")
    if c.added or c.updated or c.kept or c.documents_created or c.folded:
        # Undo commands remember annotation states the import may have replaced.
        window.clear_undo("Importing annotations", summary)
    else:
        window.status.showMessage(summary, 10000)


def _file_menu(window: MainWindow) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == "File":
            return menu
    return None


def install_exchange_actions(window: MainWindow) -> None:
    """Add File › Export… (Ctrl+Shift+E) and File › Import annotations… to ``window``.

    Installing twice changes nothing (so tests may call it on a window that already has it).
    """
    if window.findChild(ExchangeActions, "exchangeActions") is not None:
        return
    actions = ExchangeActions(window)
    window.exchange_actions = actions  # type: ignore[attr-defined]
    menu = _file_menu(window)
    if menu is None:
        menu = window.menuBar().addMenu("&File")
    items = menu.actions()
    anchor = window.window_actions.import_documents
    if anchor in items:
        position = items.index(anchor) + 1
        before = items[position] if position < len(items) else None
        menu.insertActions(before, [actions.import_action, actions.export_action])  # type: ignore[arg-type]
    else:
        menu.addActions([actions.import_action, actions.export_action])
    window.window_actions.extra_groups.append(
        ("File", [actions.import_action, actions.export_action])
    )
