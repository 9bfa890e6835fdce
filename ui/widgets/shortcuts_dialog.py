"""Help › Keyboard shortcuts: every action with a key, grouped by menu, in two columns.

`shortcut_table` is the one list: the dialog shows it, and the README's table of keys is
checked against it (tests/ui/test_shortcuts_dialog.py), so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

Key = Qt.Key
Format = QKeySequence.SequenceFormat
Rows = list[tuple[str, list[tuple[str, str]]]]

# Keys the document view handles itself rather than through window actions.
VIEW_KEYS: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("Text", (
        ("Next annotation", ("Tab",)),
        ("Previous annotation", ("Shift+Tab",)),
        ("Select text", ("Shift+Left", "Shift+Right")),
        ("Clear the selection", ("Esc",)),
    )),
    ("Find bar", (
        ("Next match", ("Return",)),
        ("Previous match", ("Shift+Return",)),
        ("Close the find bar", ("Esc",)),
    )),
    ("Selected annotation", (
        ("Grow its end", ("Shift+Right",)),
        ("Shrink its end", ("Shift+Left",)),
        ("Grow its start", ("Shift+Up",)),
        ("Shrink its start", ("Shift+Down",)),
    )),
    ("Linking (after L)", (
        ("Next / previous partner", ("Tab", "Shift+Tab")),
        ("Link (a number: by type)", ("Return", "1")),
    )),
    ("Suggestions", (
        ("Accept / reject it", ("Return", "Backspace")),
        ("Accept all in the document", ("Shift+Return",)),
        ("Next / previous (review off)", ("]", "[")),
    )),
)

# Keys found on an ordinary keyboard. Qt's standard bindings also name dedicated keys
# (Undo, Find, Open, Back, Copy, …) that few keyboards have and nobody types.
_TYPEABLE_KEYS = frozenset(
    {*range(Key.Key_Space.value, Key.Key_AsciiTilde.value + 1),
     *range(Key.Key_F1.value, Key.Key_F12.value + 1),
     *(k.value for k in (Key.Key_Escape, Key.Key_Tab, Key.Key_Backtab, Key.Key_Backspace,
                         Key.Key_Return, Key.Key_Enter, Key.Key_Insert, Key.Key_Delete,
                         Key.Key_Home, Key.Key_End, Key.Key_Left, Key.Key_Up, Key.Key_Right,
                         Key.Key_Down, Key.Key_PageUp, Key.Key_PageDown))})


def typeable(sequence: QKeySequence) -> bool:
    """True for a non-empty sequence of keys that an ordinary keyboard has."""
    combinations = _combinations(sequence)
    return bool(combinations) and all(c.key().value in _TYPEABLE_KEYS for c in combinations)


def _combinations(sequence: QKeySequence) -> list[QKeyCombination]:
    # QKeySequence supports indexing, though PySide's type stubs do not say so.
    return [sequence[i] for i in range(sequence.count())]  # type: ignore[index]


def key_text(keys: Iterable[QKeySequence], native: bool = True) -> str:
    """The typeable keys, comma-separated, in the platform's names (⌘Z on macOS) or,
    with native=False, Qt's portable names (Ctrl+Z), as the README lists them."""
    form = Format.NativeText if native else Format.PortableText
    usable = [k for k in keys if typeable(k)]
    # X11's legacy Alt+Backspace undo/redo keep working but are not worth a line of their own.
    primary = [k for k in usable if Key.Key_Backspace not in (c.key() for c in _combinations(k))]
    names: list[str] = []
    for sequence in primary or usable:
        name = sequence.toString(form)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def shortcut_table(groups: Sequence[tuple[str, Sequence[QAction]]],
                   native: bool = True) -> Rows:
    """(heading, [(what, keys)]) for every action with a typeable key, then the view's keys.

    Features installed later add to a menu's group, so groups of one name are merged."""
    merged: dict[str, list[tuple[str, str]]] = {}
    for group, actions in groups:
        rows = merged.setdefault(group, [])
        for action in actions:
            keys = key_text(action.shortcuts(), native)
            name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            if keys and (name, keys) not in rows:
                rows.append((name, keys))
    for group, entries in VIEW_KEYS:
        merged[group] = [(name, key_text((QKeySequence(k) for k in keys), native))
                         for name, keys in entries]
    return [(group, rows) for group, rows in merged.items() if rows]


def markdown_table(rows: Rows) -> str:
    """The table as Markdown, for the README."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")
    lines = ["| | action | keys |", "|---|---|---|"]
    for group, entries in rows:
        for i, (name, keys) in enumerate(entries):
            heading = f"**{cell(group)}**" if i == 0 else ""
            shown = " / ".join(f"`{cell(key)}`" for key in keys.split(", "))
            lines.append(f"| {heading} | {cell(name)} | {shown} |")
    return "\n".join(lines)


class ShortcutsDialog(QDialog):
    def __init__(
        self, groups: Sequence[tuple[str, Sequence[QAction]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = shortcut_table(groups)
        columns = QHBoxLayout()
        self.trees = [self._tree(part) for part in self._halves(self.rows)]
        for tree in self.trees:
            columns.addWidget(tree, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self._fit_to_screen()

    @staticmethod
    def _halves(rows: Rows) -> list[Rows]:
        """Whole groups in two columns of about equal height."""
        total = sum(len(entries) + 1 for _, entries in rows)
        left: Rows = []
        height = 0
        for group in rows:
            if height and height + (len(group[1]) + 1) / 2 > total / 2:
                break
            left.append(group)
            height += len(group[1]) + 1
        return [part for part in (left, rows[len(left):]) if part]

    def _tree(self, rows: Rows) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("shortcutsList")
        tree.setHeaderLabels(["Action", "Keys"])
        tree.setRootIsDecorated(False)
        tree.setIndentation(0)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree.setUniformRowHeights(True)
        tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Close keeps the keyboard: Esc, Enter
        for group, entries in rows:
            heading = QTreeWidgetItem(tree, [group])
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            heading.setFirstColumnSpanned(True)
            for name, keys in entries:
                QTreeWidgetItem(tree, [f"    {name}", keys])
        header = tree.header()
        header.setStretchLastSection(False)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Asked of the rows themselves: before the first show the header knows no widths yet.
        model, frame = tree.model(), 2 * tree.frameWidth()
        gap = tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = sum(tree.sizeHintForColumn(c) for c in (0, 1)) + frame + gap
        height = sum(tree.sizeHintForIndex(model.index(r, 0)).height()
                     for r in range(model.rowCount()))
        height += header.sizeHint().height() + frame
        # All of it, unless the screen is too small: then as much as fits, and scroll bars.
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry().size()
            width, height = min(width, room.width() // 2 - 24), min(height, room.height() - 120)
        tree.setMinimumSize(width, height)
        return tree

    def _fit_to_screen(self) -> None:
        self.adjustSize()
        self.resize(self.minimumSizeHint())

    def _items(self) -> list[QTreeWidgetItem]:
        return [item for tree in self.trees for i in range(tree.topLevelItemCount())
                if (item := tree.topLevelItem(i)) is not None]

    def headings(self) -> list[str]:
        """Group headings as listed, left column first."""
        return [item.text(0) for item in self._items() if not item.text(1)]

    def entries(self) -> list[tuple[str, str]]:
        """(action, keys) pairs as listed."""
        return [(item.text(0).strip(), item.text(1)) for item in self._items() if item.text(1)]
