"""Running a dataset export or an annotation import off the GUI thread, cancellably.

The same pattern as ui/import_worker.py (a QObject moved to a QThread, the core's plain
progress callback turned into queued signals, Cancel reaching the busy worker through a
direct connection), but for any job of the shape ``job(progress) -> result`` where
``progress(done, total) -> bool`` returns False to cancel. The core's exchange functions
are of that shape, and on cancel leave nothing behind (an export writes nothing at its
destination, an import stores nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator import AnnotatorError
from annotator.formats.model import Cancelled, FileRefused, Problem
from ui.progress_dialog import CollectorPause, ProgressDialog

# progress(done, total, label="") -> False to cancel; label, if given, replaces the default text.
Progress = Callable[..., bool]
Job = Callable[[Progress], object]


class ExchangeWorker(QObject):
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
        else:
            self.finished.emit(result)


class ExchangeController(QObject):
    """One job at a time: the thread, the worker and a cancellable progress dialog."""

    finished = Signal(object)
    failed = Signal(str, object)  # message, list[Problem]
    cancelled = Signal()

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.setObjectName("exchangeController")
        self._parent_widget = parent_widget
        self._thread: QThread | None = None
        self.worker: ExchangeWorker | None = None
        self.dialog: ProgressDialog | None = None
        self._verb = ""
        self._unit = "document"
        self._collector = CollectorPause()

    def busy(self) -> bool:
        return self._thread is not None

    def start(
        self,
        job: Job,
        title: str,
        verb: str,
        unit: str = "document",
        dialog_name: str = "exchangeProgress",
    ) -> bool:
        """Run ``job`` on a worker thread; ``verb``/``unit`` word the progress text."""
        if self.busy():
            return False
        self._verb, self._unit = verb, unit
        dialog = ProgressDialog(f"{verb}…", title, self._parent_widget, dialog_name)
        self.dialog = dialog
        thread = QThread(self)
        worker = ExchangeWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        # Direct: the worker's thread is busy with the job, so a queued call would never run.
        dialog.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
        self._thread, self.worker = thread, worker
        self._collector.pause()
        thread.start()
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
            self._thread.quit()
            self._thread.wait()
            self._collector.resume()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self.dialog is not None:
            plural = "" if total == 1 else "s"
            default = f"{self._verb}: {done:,} of {total:,} {self._unit}{plural}"
            self.dialog.update_progress(done, total, label or default)

    def _finish(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._collector.resume()
            self._thread.deleteLater()
        # The worker is Python's: its last reference goes here, on the GUI thread, after the
        # thread has ended. A deleteLater as well would delete it twice (a crash) when the
        # worker thread happened to drop the last reference and PySide deferred the deletion.
        self._thread = self.worker = None
        if self.dialog is not None:
            self.dialog.dispose()
            self.dialog = None

    def _on_finished(self, result: object) -> None:
        self._finish()
        self.finished.emit(result)

    def _on_failed(self, message: str, problems: list[Problem]) -> None:
        self._finish()
        self.failed.emit(message, problems)

    def _on_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()


def plural(count: int, word: str) -> str:
    """``1 document``, ``2,000 documents``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def show_message(
    parent: QWidget,
    title: str,
    text: str,
    *,
    name: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    informative: str = "",
    details: str = "",
) -> QMessageBox:
    """A window-modal message that returns at once (so nothing blocks, tests included)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    # QMessageBox sizes itself to its headline; paths in the text need more room.
    box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel "
                      "{ min-width: 440px; }")
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
