"""A scroll bar that does not repaint for a range or value change it would paint the same.

Each key press adds a row to the annotation table: its vertical scroll bar's maximum grows
by one (and its value may move by a row), and QAbstractSlider repaints the whole bar. With
thousands of rows the handle does not move by a pixel, so the repaint (the style drawing
groove, handle and arrows) paints what is already there. What the style draws from the
range and value is the handle's rectangle and whether the value sits at an end (arrows
and handle may look different there); when none of that differs from what was last
painted, the change is not painted. Every other reason to repaint (resize, hover, press,
style, palette, enabled...) goes through Qt as usual.

Qt repaints both scroll bars of a table anyway whenever the table lays out its children
(each inserted row): it raises the horizontal bar's container, then the vertical one's,
and raising a widget that is not on top repaints it. So the bar also keeps a picture of
itself (what QScrollBar.paintEvent draws: the style's scroll bar with every part) for the
look it last painted, and paints from it while that look holds and the mouse is neither
over it nor pressing it (hovered and pressed parts are painted by Qt).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractSlider, QScrollBar, QStyle, QStyleOptionSlider

_QUIET_CHANGES = (QAbstractSlider.SliderChange.SliderRangeChange,
                  QAbstractSlider.SliderChange.SliderValueChange)
_SCROLL_BAR = QStyle.ComplexControl.CC_ScrollBar
_HANDLE = QStyle.SubControl.SC_ScrollBarSlider
_ALL = QStyle.SubControl.SC_All
_NO_ACTION = QAbstractSlider.SliderAction.SliderNoAction
_FORMAT = QImage.Format.Format_ARGB32_Premultiplied


class SteadyScrollBar(QScrollBar):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._painted: tuple[Any, ...] | None = None
        self.skipped = 0  # repaints not asked for (tests and profiling read it)
        self.pictures = True  # False: always paint as QScrollBar (tests compare)
        self._picture: QImage | None = None
        self._picture_look: tuple[Any, ...] | None = None

    def _looks(self) -> tuple[Any, ...]:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(_SCROLL_BAR, option, _HANDLE, self)
        value, low, high = self.value(), self.minimum(), self.maximum()
        return (handle, value == low, value == high, low == high, self.isSliderDown())

    def paintEvent(self, event: QPaintEvent) -> None:
        looks = self._painted = self._looks()
        if (not self.pictures or self.underMouse() or self.isSliderDown()
                or self.repeatAction() != _NO_ACTION):
            super().paintEvent(event)
            return
        look = (looks, self.size(), self.devicePixelRatioF(), self.palette().cacheKey(),
                self.isEnabled(), self.isActiveWindow(), id(self.style()),
                self.invertedAppearance(), self.layoutDirection())
        if look != self._picture_look or self._picture is None:
            self._picture = self._draw()
            self._picture_look = look
        painter = QPainter(self)
        painter.drawImage(0, 0, self._picture)
        painter.end()

    def _draw(self) -> QImage:
        """What QScrollBar.paintEvent paints, nothing pressed or hovered, in an image."""
        ratio = self.devicePixelRatioF()
        picture = QImage(round(self.width() * ratio), round(self.height() * ratio), _FORMAT)
        picture.setDevicePixelRatio(ratio)
        # Under the bar: its container, filled with the same background (table_look).
        picture.fill(self.palette().color(self.backgroundRole()))
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        option.subControls = _ALL
        painter = QPainter(picture)
        painter.setFont(self.font())
        self.style().drawComplexControl(_SCROLL_BAR, option, painter, self)
        painter.end()
        return picture

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        if (change in _QUIET_CHANGES and self._painted is not None
                and self._looks() == self._painted):
            self.skipped += 1
            return
        super().sliderChange(change)
