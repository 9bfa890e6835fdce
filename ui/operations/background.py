"""The one way the window runs work off the GUI thread: imports, exports, merges, bundles,
agreement.

A job has the shape ``job(progress) -> result``, where ``progress(done, total) -> bool``
returns False to cancel (the core's long calls take such a callback and, cancelled, leave
nothing behind). The worker, a QObject moved to a QThread, turns progress into queued
signals; Cancel reaches the busy worker through a direct connection. Whatever the job
raises, ``BaseException`` included, ends as exactly one outcome signal, and the runner
always returns to idle: the thread joined, the busy flag down, Python's collector resumed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget

from annotator import AnnotatorError
from annotator.formats.model import Cancelled, FileRefused, Problem
from ui.widgets.progress_dialog import CollectorPause, ProgressDialog

# progress(done, total, label="") -> False to cancel; label, if given, replaces the default text.
Progress = Callable[..., bool]
Job = Callable[[Progress], object]


class Worker(QObject):
    """Runs one job in its thread; emits progress, then exactly one of the outcomes."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # the job's result
    failed = Signal(str, object)  # message, list[Problem] (empty unless a file was refused)
    cancelled = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int, label: str = "") -> bool:
        self.progressed.emit(done, total, label)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._progress)
        except Cancelled:
            self.cancelled.emit()
        except FileRefused as error:
            self.failed.emit(str(error), list(error.problems))
        except AnnotatorError as error:
            self.failed.emit(str(error), [])
        except OSError as error:
            self.failed.emit(f"cannot read or write {error.filename or ''}: "
                             f"{error.strerror or error}", [])
        except BaseException as error:
            # Everything else is a bug or the machine (MemoryError): say so, don't die.
            self.failed.emit(f"unexpected error: {type(error).__name__}: {error}", [])
        else:
            self.finished.emit(result)


class BackgroundRunner(QObject):
    """One job at a time: the thread, the worker and, when titled, a cancellable progress
    dialog."""

    finished = Signal(object)
    failed = Signal(str, object)  # message, list[Problem]
    cancelled = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("backgroundRunner")
        # The progress dialog, when there is one, is modal over the widget that asked.
        self._parent_widget = parent if isinstance(parent, QWidget) else None
        self._thread: QThread | None = None
        self.worker: Worker | None = None
        self.dialog: ProgressDialog | None = None
        self._verb = ""
        self._unit = "document"
        self._collector = CollectorPause()

    def busy(self) -> bool:
        return self._thread is not None

    def start(
        self,
        job: Job,
        title: str | None = None,
        verb: str = "",
        unit: str = "document",
        dialog_name: str = "exchangeProgress",
    ) -> bool:
        """Run ``job`` on a worker thread; with a ``title``, behind a progress dialog whose
        text ``verb``/``unit`` word. False (nothing started) while another job runs."""
        if self.busy():
            return False
        self._verb, self._unit = verb, unit
        dialog = (None if title is None
                  else ProgressDialog(f"{verb}…", title, self._parent_widget, dialog_name))
        self.dialog = dialog
        thread = QThread(self)
        worker = Worker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        if dialog is not None:
            # Direct: the worker's thread is busy with the job; a queued call would never run.
            dialog.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
        self._thread, self.worker = thread, worker
        self._collector.pause()
        thread.start()
        if dialog is not None:
            dialog.show()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def wait(self) -> None:
        """Cancel and join the worker (when the window closes)."""
        if self._thread is not None:
            self.cancel()
            try:
                self._thread.quit()
                self._thread.wait()
            finally:
                self._collector.resume()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self.dialog is not None:
            plural = "" if total == 1 else "s"
            default = f"{self._verb}: {done:,} of {total:,} {self._unit}{plural}"
            self.dialog.update_progress(done, total, label or default)

    def _finish(self) -> None:
        thread, dialog = self._thread, self.dialog
        # The worker is Python's: its last reference goes here, on the GUI thread, after the
        # thread has ended. A deleteLater as well would delete it twice (a crash) when the
        # worker thread happened to drop the last reference and PySide deferred the deletion.
        self._thread = self.worker = None
        self.dialog = None
        try:
            if thread is not None:
                thread.quit()
                thread.wait()
                thread.deleteLater()
        finally:
            self._collector.resume()
            if dialog is not None:
                dialog.dispose()

    def _on_finished(self, result: object) -> None:
        self._finish()
        self.finished.emit(result)

    def _on_failed(self, message: str, problems: list[Problem]) -> None:
        self._finish()
        self.failed.emit(message, problems)

    def _on_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()
