"""Who made an annotation, at a glance: initials and a colour per annotator, and the badges
drawn from them (table rows, layer menu, annotator filter, initials in the text).

An annotator's colour depends only on the name (a stable hash into a palette) and on the
project's label colours, which it keeps clear of: it is the same in every session and on
every colleague's machine, and is never mistaken for a label's tint.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from annotator.review_records import GOLD
from ui.widgets.color_distance import DISTINCT, delta_e

# Deep, saturated colours that white initials read on (contrast ≥ 4.5), each at least ΔE 30
# from every colour of the label palette (annotator.service.labels.PALETTE, Okabe–Ito) and
# ΔE 34 from one another and from the gold layer's colour.
PALETTE = ("#7209B7", "#C2185B", "#0B3954", "#283593", "#33691E", "#800000", "#5F0F40",
           "#B5179E", "#6D4C41")
GOLD_COLOR = "#8C6D1F"  # old gold, kept clear of the claim orange and the yellow label


def initials(name: str) -> str:
    """Two capital letters for a name: "Alice Smith" -> "AS", "bob" -> "BO", "j.doe" -> "JD"."""
    if name == GOLD:
        return "GD"
    words = [w for w in re.split(r"[\W_]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name)) if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def annotator_color(name: str, avoid: Iterable[str] = ()) -> str:
    """The colour of `name`'s badges: from a hash of the name, skipping palette colours
    that would look like one in `avoid` (the project's label colours)."""
    if name == GOLD:
        return GOLD_COLOR
    avoid = tuple(avoid)
    start = zlib.crc32(name.encode("utf-8")) % len(PALETTE)
    for step in range(len(PALETTE)):
        color = PALETTE[(start + step) % len(PALETTE)]
        if all(delta_e(color, other) >= DISTINCT for other in avoid):
            return color
    return PALETTE[start]


def _badge(painter: QPainter, name: str, color: str, size: float, shown: bool) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(0.5, 0.5, size - 1, size - 1)
    if shown:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(color))
        text = QColor("#ffffff")
    else:
        # A hidden layer: an empty ring in grey, unmistakably "off" next to filled badges.
        painter.setPen(QPen(QColor("#8a9099"), 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(QColor("#ffffff"))
        rect = rect.adjusted(0.6, 0.6, -0.6, -0.6)
        text = QColor("#8a9099")
    painter.drawEllipse(rect)
    font = QFont()
    font.setPixelSize(max(round(size * 0.44), 6))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(text)
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))


def _pixmap(name: str, color: str, size: int, shown: bool) -> QPixmap:
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays crisp on HiDPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    _badge(painter, name, color, size, shown)
    painter.end()
    return pixmap


@lru_cache(maxsize=128)
def initials_icon(name: str, color: str, size: int = 18) -> QIcon:
    """A round badge with the annotator's initials (table rows, filters, curation)."""
    return QIcon(_pixmap(name, color, size, True))


@lru_cache(maxsize=128)
def layer_icon(name: str, color: str, size: int = 18) -> QIcon:
    """For a checkable layer action: the filled badge when shown (QIcon.On), an empty grey
    ring when hidden (Off). Menus draw a checkable action's icon instead of a check box,
    so the icon itself has to say which state the layer is in."""
    icon = QIcon()
    for shown, state in ((True, QIcon.State.On), (False, QIcon.State.Off)):
        pixmap = _pixmap(name, color, size, shown)
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Active, QIcon.Mode.Selected):
            icon.addPixmap(pixmap, mode, state)
    return icon
