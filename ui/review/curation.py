"""Curation in the window: the pane in its dock, Review › Curation and the disagreement keys.

The window places the dock (right, hidden until asked for) and lists the actions in its
menus; `.` and `,` open the pane if it is closed and step through the disagreements.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from annotator import Changes
from ui.feature_host import WorkspaceHost
from ui.review.curation_view import CurationView
from ui.review.layers import Layers


def _action(window: QWidget, text: str, name: str, key: str) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    action.setShortcut(QKeySequence(key))
    window.addAction(action)  # the keys work while the menu bar is hidden
    return action


class Curation(QObject):
    """The curation pane, its dock and its three actions."""

    def __init__(self, host: WorkspaceHost, layers: Layers, window: QWidget) -> None:
        super().__init__(window)
        self.view = CurationView(host, layers, window)
        self.dock = QDockWidget("Curation", window)
        self.dock.setObjectName("curationDock")
        self.dock.setWidget(self.view)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.dock.visibilityChanged.connect(lambda shown: self.view.refresh() if shown else None)
        self.toggle_action = self.dock.toggleViewAction()
        self.toggle_action.setText("&Curation (gold adjudication)")
        self.toggle_action.setObjectName("curationAction")
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        window.addAction(self.toggle_action)
        self.next_action = _action(window, "Next &disagreement", "nextDisagreementAction", ".")
        self.previous_action = _action(window, "Previous d&isagreement",
                                       "previousDisagreementAction", ",")
        self.next_action.triggered.connect(lambda: self.step(1))
        self.previous_action.triggered.connect(lambda: self.step(-1))

    def actions(self) -> list[QAction]:
        return [self.toggle_action, self.next_action, self.previous_action]

    def step(self, direction: int) -> bool:
        """Show the next (1) or previous (-1) disagreement, opening the pane if closed."""
        if not self.dock.isVisible():
            self.dock.show()
        return self.view.step(direction)

    def apply_changes(self, changes: Changes) -> None:
        """Follow the core's changes: any annotation or review may settle a disagreement."""
        if changes.reset or changes.annotations or changes.reviews:
            self._refresh_if_shown()

    def project_changed(self) -> None:
        self._refresh_if_shown()

    def _refresh_if_shown(self) -> None:
        # A closed pane refreshes when it is shown again.
        if self.dock.isVisible():
            self.view.refresh()
