"""The toolbar with one action per label: colour swatch, name and key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QToolButton

from annotator.records import LabelRecord
from ui.widgets.plain_text import action_text, tooltip
from ui.widgets.swatches import swatch_icon


class LabelToolbar(QToolBar):
    """Triggering an action (click or its key) emits labelTriggered with the label's name."""

    labelTriggered = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("labelToolbar")
        self.setAccessibleName("Labels")
        self.setMovable(False)
        self.setIconSize(QSize(14, 14))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._label_actions: list[QAction] = []

    def label_actions(self) -> list[QAction]:
        return list(self._label_actions)

    def action_for(self, name: str) -> QAction | None:
        return next((a for a in self._label_actions if a.data() == name), None)

    def set_labels(self, labels: Sequence[LabelRecord]) -> None:
        host = self.window()
        for action in self._label_actions:
            self.removeAction(action)
            if host is not None and host is not self:
                host.removeAction(action)
            action.setParent(None)  # gone from findChild now, freed with its last reference
        self._label_actions = []
        for label in labels:
            action = QAction(swatch_icon(label.color), action_text(label.name), self)
            action.setObjectName(f"label:{label.name}")
            action.setData(label.name)
            hint = f"Tag the selection as “{label.name}”"
            if label.key:
                action.setShortcut(QKeySequence(label.key))
                action.setIconText(action_text(f"{label.name}  {label.key}"))
                hint += f" ({label.key})"
            if label.description:
                hint += f"\n{label.description}"
            action.setToolTip(tooltip(hint))
            action.setStatusTip(hint)  # the status bar draws its messages as plain text
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, n=label.name: self.labelTriggered.emit(n))
            self.addAction(action)
            button = self.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setObjectName(f"labelButton:{label.name}")
                button.setAccessibleName(f"Label {label.name}")
            self._label_actions.append(action)
