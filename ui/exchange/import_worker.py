"""Importing document files off the GUI thread, with a progress dialog that can cancel.

A thin layer over :class:`ui.operations.background.BackgroundRunner`: the core's
``import_paths`` progress (done, total, current file) becomes the dialog's text, and Cancel
makes that callback return False, so the files not yet started are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator import Project
from annotator.records import ImportReport
from ui.operations.background import BackgroundRunner, Job, Progress
from ui.widgets.progress_dialog import ProgressDialog


def import_job(project: Project, paths: Sequence[str]) -> Job:
    """The import as a worker job: the current file's name becomes the progress text."""
    files = list(paths)

    def job(progress: Progress) -> ImportReport:
        def report(done: int, total: int, current: str) -> bool:
            name = current.replace("\\", "/").rsplit("/", 1)[-1]
            label = f"Importing {name} ({done + 1} of {total})" if current else ""
            return progress(done, total, label)

        return project.import_paths(files, report)

    return job


class ImportController(QObject):
    """One import at a time: the thread, the worker and the progress dialog."""

    imported = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._runner = BackgroundRunner(parent_widget)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)

    @property
    def dialog(self) -> ProgressDialog | None:
        return self._runner.dialog

    def busy(self) -> bool:
        return self._runner.busy()

    def start(self, project: Project, paths: Sequence[str]) -> bool:
        if self.busy() or not paths:
            return False
        return self._runner.start(
            import_job(project, paths),
            "Importing documents",
            "Importing",
            "file",
            dialog_name="importProgress",
        )

    def cancel(self) -> None:
        self._runner.cancel()

    def wait(self) -> None:
        """Stop and join the worker (on window close)."""
        self._runner.wait()

    def _on_finished(self, report: Any) -> None:
        assert isinstance(report, ImportReport)
        # Hand the keyboard back to the window the import was started from.
        self._parent_widget.activateWindow()
        self.imported.emit(report)

    def _on_failed(self, message: str, _problems: object) -> None:
        self._parent_widget.activateWindow()
        self.failed.emit(message)
