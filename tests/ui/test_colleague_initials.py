"""Colleagues' initials are drawn beside the text: in the margin of each line where one of
their annotations starts, in their badge colour, for what is on screen only."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from tests.ui import window_fixtures as fx
from tests.ui.test_layers import colleague_ids, review_window
from ui.main_window import MainWindow
from ui.widgets.color_distance import delta_e
from ui.workspace.document_view import DocumentView, ViewSpan

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
__all__ = ["colleague_ids", "review_window"]


def test_initials_beside_colleague_annotations(review_window: MainWindow,
                                               colleague_ids: dict[str, str]) -> None:
    view = review_window.view
    badges = view.colleague_badges()
    assert badges and {name for name, _ in badges} == {"bob"}  # never the user's own
    margin = view.document().documentMargin()
    lines = set()
    for _, rect in badges:
        assert view.viewport().rect().contains(rect.toRect())
        assert rect.right() <= margin  # beside the text, never over it
        lines.add(round(rect.center().y()))
    # Each of bob's annotations starts on a line that carries his badge.
    for key in ("bob_mayor", "bob_cost", "bob_critics"):
        placed = view.placed(colleague_ids[key])
        assert placed is not None
        line = view.range_rects(placed.qt_start, placed.qt_start + 1)[0]
        assert any(abs(line.center().y() - y) <= 1 for y in lines), key
    # Painted, in bob's colour.
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    name, rect = badges[0]
    color = QColor(review_window.layers.color(name)).name()
    pixels = [image.pixelColor(x, y).name() for x in range(int(rect.left()), int(rect.right()))
              for y in range(int(rect.top()), int(rect.bottom()))]
    assert sum(delta_e(p, color) < 12 for p in pixels) > len(pixels) / 3


def test_hidden_layer_has_no_initials(review_window: MainWindow) -> None:
    review_window.layers.menu.layer_actions["bob"].trigger()
    assert review_window.view.colleague_badges() == []


def test_only_what_is_on_screen_is_looked_at(qtbot: QtBot, document_view: DocumentView) -> None:
    # One long paragraph with a colleague's annotation on every word: the badges are those
    # of the visible lines, not one per annotation of the document.
    words = ["word"] * 2_000
    text = " ".join(words)
    spans = [ViewSpan(f"s{i}", i * 5, i * 5 + 4, "claim", "#E69F00", "bob", None, own=False)
             for i in range(len(words))]
    document_view.set_document(text, spans)
    document_view.viewport().repaint()
    badges = document_view.colleague_badges()
    visible_lines = document_view.viewport().height() / document_view.fontMetrics().height()
    assert 0 < len(badges) <= visible_lines + 1
