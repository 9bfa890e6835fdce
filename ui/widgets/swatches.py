"""Small colour swatches that stand for a label in toolbars, tables and dialogs."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

# Okabe & Ito (2008): distinguishable with the common forms of colour blindness.
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)


@lru_cache(maxsize=64)
def swatch_icon(color: str, size: int = 16) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays crisp on HiDPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(color)
    painter.setPen(fill.darker(140))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 3, 3)
    painter.end()
    return QIcon(pixmap)
