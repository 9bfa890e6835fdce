"""Working with colleagues' copies: File › Merge colleague's work… and File › Export bundle….

Both run off the GUI thread (:mod:`ui.review.merge_dialog`). A merge's changes reach the
views through the window's refresh; only the undo history has to end, since its commands
remember annotation versions the merge may have replaced.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.review_records import MergeReport
from ui.feature_host import FeatureHost
from ui.review import merge_dialog
from ui.review.merge_dialog import BundleExport, MergeDialog


class ColleagueWork(QObject):
    """The merge and bundle actions, with the last merge dialog and bundle export."""

    def __init__(self, host: FeatureHost, window: QWidget) -> None:
        super().__init__(window)
        self._host = host
        self._window = window
        self.merge_dialog: MergeDialog | None = None
        self.bundle_export: BundleExport | None = None
        self.merge_action = QAction("&Merge colleague's work…", window)
        self.merge_action.setObjectName("mergeAction")
        self.merge_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.merge_action.setStatusTip(
            "Bring in a colleague's bundle (.zip) or project file (.db)")
        self.merge_action.triggered.connect(lambda _checked=False: self.open_merge())
        self.bundle_action = QAction("E&xport bundle…", window)
        self.bundle_action.setObjectName("exportBundleAction")
        self.bundle_action.setStatusTip("Write this project's work to a zip for a colleague")
        self.bundle_action.triggered.connect(lambda _checked=False: self.export_bundle())
        window.addActions([self.merge_action, self.bundle_action])

    def open_merge(self, source: str | None = None) -> MergeDialog | None:
        """Merge `source` (asked for if None) into the project, showing its progress."""
        path = source or merge_dialog.choose_merge_source(self._window)
        if not path:
            return None
        if self.merge_dialog is not None and self.merge_dialog.task.busy():
            self._host.show_status("A merge is already running", 5000)
            return None
        if self.merge_dialog is not None:
            self.merge_dialog.close()
            self.merge_dialog.deleteLater()
        dialog = MergeDialog(self._host.project, path, self._window)
        self.merge_dialog = dialog
        dialog.merged.connect(self._merged)
        dialog.start()
        return dialog

    def _merged(self, report: object) -> None:
        assert isinstance(report, MergeReport)
        self._host.clear_undo("Merging", f"Merged {Path(report.source).name}: "
                              f"{report.annotations_added} added, "
                              f"{report.annotations_updated} updated")

    def export_bundle(self, target: str | None = None) -> BundleExport | None:
        """Write everybody's work to `target` (asked for if None) in the background."""
        project = self._host.project
        name = Path(project.location).stem.split(".")[0] or "project"
        path = target or merge_dialog.choose_bundle_path(
            self._window, f"{name}-{project.user}.zip")
        if not path:
            return None
        export = BundleExport(project, path, self._window)
        self.bundle_export = export
        export.done.connect(self._bundle_done)
        export.start()
        return export

    def _bundle_done(self, message: str, ok: bool) -> None:
        if ok:
            self._host.show_status(message, 10000)
        else:
            self._host.show_error(message)
