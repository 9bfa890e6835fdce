"""One run of the suggester off the GUI thread, and stopping it.

The rules run in one piece (they take no progress callback), so Stop cannot interrupt them:
it drops the run's result, whenever the worker ends, and frees the window at once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from annotator.formats.model import Cancelled
from annotator.suggest import Suggestions, suggest_text
from ui.operations.background import BackgroundRunner, Progress


class SuggestRun(QObject):
    """``suggested(document_id, Suggestions)`` when a run that was not stopped ends;
    ``message`` for the status bar."""

    suggested = Signal(str, object)
    message = Signal(str)

    def __init__(self, stop_action: QAction, parent: QObject) -> None:
        super().__init__(parent)
        self.runner = BackgroundRunner(self)
        self.runner.setObjectName("suggestRunner")
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._ended)
        self._pending: str | None = None  # the document being worked on, unless stopped
        self.stop_action = stop_action
        stop_action.setEnabled(False)
        stop_action.triggered.connect(lambda _checked=False: self.stop())

    def start(self, document_id: str, text: str) -> bool:
        """Suggest for ``text`` on a worker thread; False (and why, as a message) when a run
        is still going."""
        if self.runner.busy():
            self.message.emit("Suggestions are still being made" if self._pending
                              else "The cancelled suggestions are still stopping")
            return False

        def job(progress: Progress) -> Suggestions:
            if not progress(0, 1):
                raise Cancelled
            result = suggest_text(text)
            if not progress(1, 1):  # stopped while the rules ran: drop what they found
                raise Cancelled
            return result

        self._pending = document_id
        self.message.emit("Making suggestions… (Document › Stop suggesting)")
        started = self.runner.start(job)
        self.stop_action.setEnabled(started)
        return started

    def stop(self) -> None:
        """Cancel the run: its result, whenever the worker ends, is dropped."""
        if self.runner.busy() and self._pending is not None:
            self._pending = None
            self.runner.cancel()
            self.message.emit("Suggestions cancelled")
        self.stop_action.setEnabled(False)

    def _finished(self, result: object) -> None:
        document_id = self._pending
        self._ended()
        if document_id is not None and isinstance(result, Suggestions):
            self.suggested.emit(document_id, result)

    def _failed(self, message: str, _problems: object) -> None:
        self._ended()
        self.message.emit(message)

    def _ended(self) -> None:
        self._pending = None
        self.stop_action.setEnabled(False)
