"""Telling the user what a save waits for: another program's merge, say, holds the project.

The core calls the project's ``waiting`` callback, in the writing thread, each time a write
could not get the lock for a while ("waiting for merge x.zip by alice (process 4242, 12 s
so far)…") and then tries again. A write made on the GUI thread blocks it meanwhile, so the
status bar is repainted at once; one from a worker thread is passed to the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QStatusBar


class WriteWaitNotice(QObject):
    """A callable for ``Project.waiting`` that shows its message in ``status``."""

    message = Signal(str)

    def __init__(self, status: QStatusBar, parent: QObject) -> None:
        super().__init__(parent)
        self._status = status
        self.message.connect(self._show)  # queued when emitted from a worker thread

    def __call__(self, text: str) -> None:
        if QThread.currentThread() is self.thread():
            self._show(text)
        else:
            self.message.emit(text)

    def _show(self, text: str) -> None:
        self._status.showMessage(text)
        self._status.repaint()  # the GUI thread is blocked in the write until it ends
