"""File › Export… and File › Import annotations…: the actions and the dialogs they open.

The dialogs work on the window's current project; an import's changes reach the views
through the window's refresh, and the window waits for a running worker when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator import ExportResult, ImportResult
from ui.feature_host import FeatureHost
from ui.widgets.messages import plural

if TYPE_CHECKING:  # the dialogs (and every format module) load when first opened
    from ui.exchange.export_dialog import ExportDialog
    from ui.exchange.import_annotations_dialog import ImportAnnotationsDialog


class ExchangeActions(QObject):
    """The two actions and the dialogs they open (one of each at a time)."""

    def __init__(self, host: FeatureHost, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("exchangeActions")
        self._host = host
        self._window = window
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

    def open_export(self) -> ExportDialog:
        if self.export_dialog is None:
            from ui.exchange.export_dialog import ExportDialog

            dialog = ExportDialog(self._host.project, self._host.current_document_id(),
                                  self._window)
            dialog.exported.connect(self._exported)
            dialog.finished.connect(self._export_closed)
            self.export_dialog = dialog
        self.export_dialog.open()
        self.export_dialog.raise_()
        return self.export_dialog

    def open_import(self) -> ImportAnnotationsDialog:
        if self.import_dialog is None:
            from ui.exchange.import_annotations_dialog import ImportAnnotationsDialog

            dialog = ImportAnnotationsDialog(self._host.project, self._window)
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
        self._host.show_status(
            f"Exported {plural(result.documents, 'document')}, "
            f"{plural(result.annotations, 'annotation')}", 10000,
        )

    def _imported(self, result: ImportResult) -> None:
        report_import(self._host, result)


def report_import(host: FeatureHost, result: ImportResult) -> None:
    """Say what an annotation import did; the views follow its Changes on their own."""
    c = result.counts
    summary = (f"Imported annotations: {c.added:,} added, {c.updated:,} updated, "
               f"{c.unchanged:,} unchanged")
    if c.added or c.updated or c.kept or c.documents_created or c.folded:
        # Undo commands remember annotation states the import may have replaced.
        host.clear_undo("Importing annotations", summary)
    else:
        host.show_status(summary, 10000)
