"""Importing files off the GUI thread, with a progress dialog that can cancel.

The core's import_paths reports through a plain callback; the worker turns it into queued
signals and turns the dialog's Cancel into the callback returning False.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget

from annotator import AnnotatorError, Project
from annotator.records import ImportReport
from ui.progress_dialog import CollectorPause, ProgressDialog


class ImportWorker(QObject):
    """Runs project.import_paths in its thread; emits progress, then finished or failed."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(self, project: Project, paths: Sequence[str]) -> None:
        super().__init__()
        self._project = project
        self._paths = list(paths)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int, current: str) -> bool:
        self.progressed.emit(done, total, current)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        try:
            report = self._project.import_paths(self._paths, self._progress)
        except AnnotatorError as error:
            self.failed.emit(str(error))
        except OSError as error:
            self.failed.emit(f"cannot import: {error}")
        else:
            self.finished.emit(report)


class ImportController(QObject):
    """One import at a time: the thread, the worker and the progress dialog."""

    imported = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self.dialog: ProgressDialog | None = None
        self._collector = CollectorPause()

    def busy(self) -> bool:
        return self._thread is not None

    def start(self, project: Project, paths: Sequence[str]) -> bool:
        if self.busy() or not paths:
            return False
        dialog = ProgressDialog(
            "Preparing import…", "Importing documents", self._parent_widget, "importProgress"
        )
        self.dialog = dialog
        thread = QThread(self)
        worker = ImportWorker(project, paths)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        # Direct: the worker's thread is busy importing, so a queued call would never run.
        dialog.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
        self._thread, self._worker = thread, worker
        self._collector.pause()
        thread.start()
        return True

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def wait(self) -> None:
        """Stop and join the worker (on window close)."""
        if self._thread is not None:
            self.cancel()
            self._thread.quit()
            self._thread.wait()
            self._collector.resume()

    def _on_progress(self, done: int, total: int, current: str) -> None:
        if self.dialog is None:
            return
        label = self.dialog.labelText()
        if current:
            name = current.replace("\\", "/").rsplit("/", 1)[-1]
            label = f"Importing {name} ({done + 1} of {total})"
        self.dialog.update_progress(done, total, label)

    def _finish(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._collector.resume()
            self._thread.deleteLater()
        # The worker is Python's: its last reference goes here, on the GUI thread, after the
        # thread has ended. A deleteLater as well would delete it twice (a crash) when the
        # worker thread happened to drop the last reference and PySide deferred the deletion.
        self._thread = self._worker = None
        if self.dialog is not None:
            self.dialog.dispose()
            self.dialog = None
            # Hand the keyboard back to the window the import was started from.
            self._parent_widget.activateWindow()

    def _on_finished(self, report: Any) -> None:
        self._finish()
        assert isinstance(report, ImportReport)
        self.imported.emit(report)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)
