"""Help › Keyboard shortcuts: only keys a keyboard has, in the platform's names, nothing cut
off; the README's table of keys is the same list."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow
from ui.widgets.shortcuts_dialog import (
    ShortcutsDialog,
    key_text,
    markdown_table,
    shortcut_table,
    typeable,
)

settings, project, window = fx.settings, fx.project, fx.window
README = Path(__file__).resolve().parents[2] / "README.md"
Key = Qt.Key
Native = QKeySequence.SequenceFormat.NativeText


def test_typeable_keys() -> None:
    for keys in ("Ctrl+Z", "F6", "Shift+F6", "]", ".", "Shift+Tab", "Esc", "Del", "Ctrl+,",
                 "Alt+Left", "Ctrl+Return", "1"):
        assert typeable(QKeySequence(keys)), keys
    for key in (Key.Key_Undo, Key.Key_Find, Key.Key_Back, Key.Key_OpenUrl, Key.Key_Copy,
                Key.Key_unknown, Key.Key_Help):
        assert not typeable(QKeySequence(key)), key
    assert not typeable(QKeySequence())
    assert not typeable(QKeySequence("Arrows"))


def test_dedicated_keys_are_left_out(qtbot: QtBot) -> None:
    both = QAction("&Find")
    both.setShortcuts([QKeySequence(Key.Key_Find), QKeySequence("Ctrl+F")])
    only_media = QAction("Undo")
    only_media.setShortcuts([QKeySequence(Key.Key_Undo)])
    rows = dict(shortcut_table([("Edit", [both, only_media])]))
    assert rows["Edit"] == [("Find", QKeySequence("Ctrl+F").toString(Native))]
    assert key_text([QKeySequence(Key.Key_Undo)]) == ""


def test_every_listed_key_is_typeable_and_native(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    entries = dialog.entries()
    assert len(entries) > 30
    for name, keys in entries:
        assert name and keys and "unknown" not in keys.lower(), (name, keys)
        for key in keys.split(", "):
            sequence = QKeySequence.fromString(key, Native)
            assert typeable(sequence), (name, key)
            assert sequence.toString(Native) == key  # the platform's own spelling
    assert dialog.headings() == [group for group, _ in dialog.rows]


def test_nothing_is_cut_off(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    room = QApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    assert len(dialog.trees) == 2
    for tree in dialog.trees:
        assert not tree.verticalScrollBar().isVisible()
        assert not tree.horizontalScrollBar().isVisible()
        header = tree.header()
        for column in (0, 1):
            assert header.sectionSize(column) >= tree.sizeHintForColumn(column)
        assert header.length() <= tree.viewport().width()
        last = tree.topLevelItem(tree.topLevelItemCount() - 1)
        assert tree.visualItemRect(last).bottom() <= tree.viewport().height()


def test_readme_lists_the_same_keys(window: MainWindow) -> None:
    expected = markdown_table(shortcut_table(window.shortcut_groups(), native=False))
    text = README.read_text("utf-8")
    found = re.search(r"<!-- keys -->\n(.*?)\n<!-- /keys -->", text, re.S)
    assert found, "README.md has no <!-- keys --> table"
    assert found.group(1) == expected, (
        "README key table is out of date; regenerate it with "
        "`python scripts/screenshot.py --keys`")


def test_dialog_merges_groups_of_one_menu(qtbot: QtBot) -> None:
    first, second = QAction("One"), QAction("Two")
    first.setShortcut(QKeySequence("Ctrl+1"))
    second.setShortcut(QKeySequence("Ctrl+2"))
    dialog = ShortcutsDialog([("File", [first]), ("File", [second])])
    qtbot.addWidget(dialog)
    assert dialog.headings().count("File") == 1
