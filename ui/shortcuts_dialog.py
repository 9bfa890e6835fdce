"""Help › Keyboard shortcuts: every action with a shortcut, grouped by menu."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys handled inside the document view rather than by window actions.
VIEW_KEYS = (
    ("Move the caret", "Arrows, Ctrl+Left, Ctrl+Right, Home, End"),
    ("Select text", "Shift+Arrows, Ctrl+Shift+Left, Ctrl+Shift+Right"),
    ("Next annotation", "Tab"),
    ("Previous annotation", "Shift+Tab"),
    ("Grow annotation end (annotation selected)", "Shift+Right"),
    ("Shrink annotation end (annotation selected)", "Shift+Left"),
    ("Grow annotation start (annotation selected)", "Shift+Up"),
    ("Shrink annotation start (annotation selected)", "Shift+Down"),
    ("Clear selection", "Escape"),
)


# Dedicated media/keyboard keys Qt lists among standard bindings; nobody types these.
_SPECIAL_KEYS = {"Undo", "Redo", "Open", "New", "Find", "Help", "Close", "Save", "Forward",
                 "Back", "Cancel", "Copy", "Paste", "Cut"}


def shortcut_text(action: QAction) -> str:
    keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
    return ", ".join(k for k in keys if k not in _SPECIAL_KEYS and "Backspace" not in k)


class ShortcutsDialog(QDialog):
    def __init__(
        self, groups: Sequence[tuple[str, Sequence[QAction]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 640)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsList")
        self.tree.setHeaderLabels(["Action", "Shortcut"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        # Features installed later add to a menu's group: one heading per menu.
        merged: dict[str, list[tuple[str, str]]] = {}
        for group, actions in groups:
            merged.setdefault(group, []).extend(
                (a.text().replace("&", ""), shortcut_text(a)) for a in actions)
        merged["Document view"] = list(VIEW_KEYS)
        for group, rows in merged.items():
            rows = [(name, keys) for name, keys in rows if keys]
            if not rows:
                continue
            heading = QTreeWidgetItem(self.tree, [group])
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            heading.setFirstColumnSpanned(True)
            for name, keys in rows:
                QTreeWidgetItem(self.tree, [f"    {name}", keys])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def entries(self) -> list[tuple[str, str]]:
        """(action, shortcut) pairs as listed."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.text(1):
                out.append((item.text(0).strip(), item.text(1)))
        return out
