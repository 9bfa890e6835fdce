"""The application's look: a small style sheet shipped in resources/style.qss."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFrame, QStyleFactory

# The tables' colours: selected rows, their text, and every other row's background.
TABLE_COLORS = {
    QPalette.ColorRole.Highlight: "#cfe0f7",
    QPalette.ColorRole.HighlightedText: "#1f2328",
    QPalette.ColorRole.AlternateBase: "#f6f7f9",
}


@lru_cache(maxsize=1)
def window_style() -> str:
    return resources.files("resources").joinpath("style.qss").read_text("utf-8")


def apply_style(app: QApplication) -> None:
    # Fusion looks the same on every platform, so the style sheet can rely on its metrics.
    if "Fusion" in QStyleFactory.keys():  # noqa: SIM118 - a Qt list, not a dict
        app.setStyle("Fusion")


def table_look(view: QAbstractItemView) -> None:
    """The document list's and the annotation table's look: no frame, the selection and
    alternate-row colours above.

    A palette, not a style-sheet rule: a rule with a border makes Qt paint the view's
    background through the style sheet and turns the viewport's own background fill off,
    so the viewport is no longer opaque and each row repainted (a key press inserts one)
    repaints the view's frame, its dock and the main window beneath it too."""
    palette = view.palette()
    for role, color in TABLE_COLORS.items():
        palette.setColor(role, QColor(color))
    view.setPalette(palette)
    view.setFrameShape(QFrame.Shape.NoFrame)
    # Opaque scroll bars, for the same reason: a key press changes the annotation table's
    # range and value, and a scroll bar (and its container) that is not opaque repaints
    # the view, its dock and the main window beneath it. The style paints the whole bar
    # (tested: the window looks the same, pixel for pixel).
    for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
        bar.setAutoFillBackground(True)
        container = bar.parentWidget()
        if container is not None:
            container.setAutoFillBackground(True)
