"""The main window as composition root: features never import it, the menu bar is built in
one place from everybody's actions, and features work through their narrow interface."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.test_layers import add_colleague_work
from tests.ui.window_fixtures import ARTICLE_A
from ui.feature_host import FeatureHost
from ui.main_window import MainWindow
from ui.review.colleague_work import ColleagueWork

settings, project, document_ids, window = fx.settings, fx.project, fx.document_ids, fx.window

UI = Path(__file__).resolve().parents[2] / "ui"
# The composition root itself, and the entry point that starts it.
MAY_IMPORT_THE_WINDOW = {"main_window.py", "app.py"}


def _imports(source: str, package: str) -> set[str]:
    """Every module `source` (in `package`) imports, TYPE_CHECKING blocks included,
    relative imports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parents = parts[: len(parts) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_feature_imports_the_main_window() -> None:
    modules = [path for path in UI.rglob("*.py")
               if path.name not in MAY_IMPORT_THE_WINDOW or path.parent != UI]
    assert len(modules) > 40
    offenders = sorted(
        str(path.relative_to(UI.parent))
        for path in modules
        if "ui.main_window" in _imports(
            path.read_text("utf-8"), ".".join(path.relative_to(UI.parent).parts[:-1]))
    )
    assert offenders == []


@pytest.mark.parametrize("line", [
    "from ui.main_window import MainWindow",
    "import ui.main_window",
    "from ui import main_window",
    "from .. import main_window",
    "if TYPE_CHECKING:\n    from ..main_window import MainWindow",
])
def test_the_import_scan_sees_every_spelling(line: str) -> None:
    assert "ui.main_window" in _imports(line, "ui.review")


def _menu_actions(menu: QMenu | QMenuBar) -> list[QAction]:
    """Every action reachable from `menu`, submenus included, in menu order."""
    found: list[QAction] = []
    for action in menu.actions():
        found.append(action)
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found.extend(_menu_actions(submenu))
    return found


def _tree(menu: QMenu | QMenuBar) -> list[object]:
    entries: list[object] = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            entries.append((submenu.title(), submenu.objectName(), _tree(submenu)))
        else:
            entries.append("----" if action.isSeparator() else action)
    return entries


def test_every_action_is_reachable_from_the_menu_bar(window: MainWindow) -> None:
    on_the_bar = set(_menu_actions(window.menuBar()))
    labels = set(window.label_toolbar.label_actions())  # on the label toolbar instead
    missing = [a.objectName() or a.text() for a in window.actions()
               if a not in on_the_bar and a not in labels]
    assert missing == []
    listed = [a for group, actions in window.shortcut_groups() if group != "Labels"
              for a in actions]
    assert len(listed) > 30
    assert [a.objectName() for a in listed if a not in on_the_bar] == []
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Document", "&Review", "&Help"]


def test_the_menu_bar_is_built_in_one_place(window: MainWindow) -> None:
    # Building the menus again from the window's features gives exactly the window's menu
    # bar: nothing was added to it anywhere else.
    fresh = QMenuBar()
    try:
        window.menus.build(fresh)
        assert _tree(fresh) == _tree(window.menuBar())
    finally:
        fresh.deleteLater()
    review = window.menuBar().findChild(QMenu, "reviewMenu")
    assert review is not None and window.curation.toggle_action in review.actions()


def test_features_follow_a_project_switch(window: MainWindow, document_ids: list[str],
                                          tmp_path: Path) -> None:
    add_colleague_work(window.project, document_ids[0])
    other = tmp_path / "other.db"
    with annotator.open_project(other, user="alice") as fresh:
        fresh.add_document(ARTICLE_A, "Bridge")
    assert window.switch_project(str(other))
    assert window.layers.names() == ["alice", "gold"]
    assert window.review.colleague_box.count() == 0
    assert window.switch_project(str(tmp_path / "project.db"), must_exist=True)
    try:
        assert window.layers.names() == ["alice", "bob", "gold"]
        assert window.review.colleague_box.findText("bob") >= 0
    finally:
        window.project.close()


@dataclass
class RecordingHost:
    """A FeatureHost without a window: what a feature may use, and what it said."""

    project: Project
    statuses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def current_document_id(self) -> str | None:
        return None

    def open_document(self, document_id: str) -> bool:
        return False

    def show_status(self, message: str, timeout: int = 0) -> None:
        self.statuses.append(message)

    def show_error(self, message: str, *, status: str | None = None) -> None:
        self.errors.append(message)

    def clear_undo(self, what: str, summary: str = "") -> None:
        self.statuses.append(summary)


def test_a_feature_works_through_its_narrow_interface(
        qtbot: QtBot, project: Project, document_ids: list[str], tmp_path: Path) -> None:
    host = RecordingHost(project)
    typed: FeatureHost = host  # mypy checks the stand-in against the protocol
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = ColleagueWork(typed, parent)
    assert feature.merge_action in parent.actions()
    export = feature.export_bundle(str(tmp_path / "out.zip"))
    assert export is not None
    qtbot.waitUntil(lambda: bool(host.statuses or host.errors), timeout=10000)
    assert host.errors == []
    assert host.statuses[0].startswith("Wrote out.zip: 3 document(s)")
