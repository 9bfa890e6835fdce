"""Everything that changes the open project, delivered on the GUI thread as ``Changes``.

Two sources, one signal: the project's own writes (published by the core in the thread
that made them: a key press on the GUI thread arrives at once, an import on a worker
thread is queued across), and what others commit (the command line, another window, a
colleague on the server), found by polling the core's change follower a few times a
second. The window connects ``changed`` to its one refresh point.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from annotator import AnnotatorError, ChangeFollower, Changes, Project

POLL_MS = 250


class ChangeFeed(QObject):
    changed = Signal(object)  # Changes, always on the GUI thread
    _published = Signal(object)

    def __init__(self, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._follower: ChangeFollower | None = None
        self._unsubscribe: Callable[[], None] | None = None
        # Auto connection: direct when published on the GUI thread (the key press sees its
        # change applied before push() returns), queued from a worker thread.
        self._published.connect(self.changed)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def follow(self, project: Project) -> None:
        """Deliver ``project``'s changes from now on (and stop delivering the previous one's)."""
        self.stop()
        self._project = project
        self._unsubscribe = project.subscribe(self._published.emit)
        try:
            self._follower = project.follow()
        except AnnotatorError:
            self._follower = None  # a database we cannot poll: own changes still arrive
        self._timer.start()

    def poll(self) -> Changes | None:
        """Look for outside changes now; they are emitted too. Returns them (None: none)."""
        if self._follower is None:
            return None
        try:
            changes = self._follower.poll()
        except AnnotatorError:
            return None  # the database is busy or gone for a moment: try again next time
        if changes is not None:
            self.changed.emit(changes)
        return changes

    def stop(self) -> None:
        self._timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._follower is not None:
            self._follower.close()
            self._follower = None
        self._project = None
