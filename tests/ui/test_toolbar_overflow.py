"""No toolbar action becomes unreachable in a narrow window: what does not fit goes behind
the toolbar's overflow (») button, which must be drawn and must open onto the rest."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar, QToolButton
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.ui import window_fixtures as fx
from tests.ui.test_layers import add_colleague_work
from tests.ui.window_fixtures import show_window
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.widgets.style import window_style

settings, project, document_ids = fx.settings, fx.project, fx.document_ids


def _on_screen(window: MainWindow, toolbar: QToolBar, action: QAction) -> bool:
    widget = toolbar.widgetForAction(action)
    if widget is None or not widget.isVisible():
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))


def _draws_something(button: QToolButton) -> bool:
    image = button.grab().toImage()
    return any(image.pixelColor(x, y).lightness() < 120
               for x in range(image.width()) for y in range(image.height()))


@pytest.mark.parametrize("size", [(900, 700), (700, 600)])
def test_every_toolbar_action_is_reachable(qtbot: QtBot, project: Project, settings: Settings,
                                           document_ids: list[str],
                                           size: tuple[int, int]) -> None:
    add_colleague_work(project, document_ids[0])  # the review toolbar then has a colleague
    window = show_window(qtbot, MainWindow(project, settings))
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    toolbars = [t for t in window.findChildren(QToolBar) if t.isVisible()]
    assert {t.objectName() for t in toolbars} >= {"labelToolbar", "reviewToolbar"}
    overflowed = 0
    for toolbar in toolbars:
        actions = [a for a in toolbar.actions() if not a.isSeparator()]
        hidden = [a for a in actions if not _on_screen(window, toolbar, a)]
        if not hidden:
            continue
        overflowed += 1
        extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert extension is not None and extension.isVisible(), toolbar.objectName()
        top_left = extension.mapTo(window, extension.rect().topLeft())
        assert window.rect().contains(QRect(top_left, extension.size()))
        assert _draws_something(extension), "the overflow button has no room to draw its »"
        extension.click()
        qtbot.waitUntil(lambda t=toolbar, h=hidden: all(  # type: ignore[misc]
            t.widgetForAction(a) is not None and t.widgetForAction(a).isVisible() for a in h))
    # At these sizes the two toolbars do not fit side by side: the test must see an overflow.
    assert overflowed


def test_review_toolbar_style_lives_in_the_style_sheet() -> None:
    # One style sheet for the window: a widget's own sheet would override the overflow rule.
    assert "QToolBar#reviewToolbar" in window_style()
    assert "qt_toolbar_ext_button" in window_style()
