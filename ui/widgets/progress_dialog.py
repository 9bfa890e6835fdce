"""A cancellable progress dialog that can be finished from inside its own update."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from ui.widgets.plain_text import make_plain


class ProgressDialog(QProgressDialog):
    """Window-modal progress for work on a worker thread.

    A window-modal QProgressDialog processes events inside ``setValue``; the worker's outcome
    can arrive right there and finish the dialog. Deleting it then would pull the dialog out
    from under the running ``setValue`` (a segmentation fault), so :meth:`dispose` waits until
    no update is on the stack.
    """

    def __init__(self, label: str, title: str, parent: QWidget | None, name: str) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        # Its one label (Qt's own, aligned by the style) names the files being read.
        text_label = self.findChild(QLabel)
        assert text_label is not None  # QProgressDialog makes it in its constructor
        make_plain(text_label)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setMinimumWidth(380)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self._updating = 0
        self._disposed = False

    def update_progress(self, done: int, total: int, label: str) -> None:
        if self._disposed or self.wasCanceled():
            return
        self.setLabelText(label)
        self.setMaximum(max(total, 1))
        self._updating += 1
        try:
            self.setValue(min(done, max(total, 1)))
        finally:
            self._updating -= 1
        if self._disposed and not self._updating:
            self.deleteLater()

    def dispose(self) -> None:
        """Close now; delete as soon as no update is running."""
        if self._disposed:
            return
        self._disposed = True
        self.close()
        if not self._updating:
            self.deleteLater()



class CollectorPause:
    """Pauses Python's automatic cycle collection while one worker thread runs.

    The collector runs on whichever thread happens to allocate; when it frees the wrapper of
    a Qt object on a worker thread, PySide hands the deletion to the GUI thread, where it can
    hit an object Qt already deleted (a crash seen in the export tests). Collection resumes,
    on the GUI thread, when the last running worker has ended; reference counting still frees
    everything that is not in a cycle meanwhile.
    """

    _running = 0

    def __init__(self) -> None:
        self._paused = False

    def pause(self) -> None:
        """On the GUI thread, just before the worker thread starts."""
        if not self._paused:
            self._paused = True
            if CollectorPause._running == 0:
                gc.disable()
            CollectorPause._running += 1

    def resume(self) -> None:
        """On the GUI thread, once the worker thread has ended; safe to call twice."""
        if self._paused:
            self._paused = False
            CollectorPause._running -= 1
            if CollectorPause._running == 0:
                gc.enable()
