"""A scroll bar that does not repaint for a range or value change it would paint the same.

Each key press adds a row to the annotation table: its vertical scroll bar's maximum grows
by one (and its value may move by a row), and QAbstractSlider repaints the whole bar. With
thousands of rows the handle does not move by a pixel, so the repaint (the style drawing
groove, handle and arrows) paints what is already there. What the style draws from the
range and value is the handle's rectangle and whether the value sits at an end (arrows
and handle may look different there); when none of that differs from what was last
painted, the change is not painted. Every other reason to repaint (resize, hover, press,
style, palette, enabled...) goes through Qt as usual.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QAbstractSlider, QScrollBar, QStyle, QStyleOptionSlider

_QUIET_CHANGES = (QAbstractSlider.SliderChange.SliderRangeChange,
                  QAbstractSlider.SliderChange.SliderValueChange)
_SCROLL_BAR = QStyle.ComplexControl.CC_ScrollBar
_HANDLE = QStyle.SubControl.SC_ScrollBarSlider


class SteadyScrollBar(QScrollBar):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._painted: tuple[Any, ...] | None = None
        self.skipped = 0  # repaints not asked for (tests and profiling read it)

    def _looks(self) -> tuple[Any, ...]:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(_SCROLL_BAR, option, _HANDLE, self)
        value, low, high = self.value(), self.minimum(), self.maximum()
        return (handle, value == low, value == high, low == high, self.isSliderDown())

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted = self._looks()
        super().paintEvent(event)

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        if (change in _QUIET_CHANGES and self._painted is not None
                and self._looks() == self._painted):
            self.skipped += 1
            return
        super().sliderChange(change)
