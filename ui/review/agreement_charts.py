"""Charts of the agreement report, drawn with QPainter (no extra dependency).

:class:`PairBarChart`: one group of bars per label (and overall), one bar per annotator
pair, for kappa or another pair statistic; an undefined figure is drawn as a dashed empty
bar marked "n/a" whose tooltip gives the reason. :class:`ConfusionHeatmap`: the token
confusion matrix of one pair as a table whose cells are shaded by count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QWidget,
)

from ui.widgets.plain_text import tooltip

SERIES_COLORS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860",
                 "#DA8BC3", "#8C8C8C", "#CCB974", "#64B5CD")
AXIS = QColor("#4a4f57")
GRID = QColor("#e3e5e8")
HEAT = QColor("#1f5fa8")


@dataclass(frozen=True, slots=True)
class Bar:
    group: str
    series: str
    value: float | None
    reason: str | None


class PairBarChart(QWidget):
    """Grouped bar chart; values in [-1, 1] (kappa) or [0, 1] (F1, observed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementBarChart")
        self.setAccessibleName("Agreement by label chart")
        self.setMinimumSize(420, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._groups: list[str] = []
        self._series: list[str] = []
        self._bars: list[Bar] = []
        self._title = ""
        self._hits: list[tuple[QRectF, Bar]] = []

    def sizeHint(self) -> QSize:
        return QSize(720, 360)

    def set_data(self, title: str, groups: Sequence[str], series: Sequence[str],
                 bars: Sequence[Bar]) -> None:
        self._title = title
        self._groups = list(groups)
        self._series = list(series)
        self._bars = list(bars)
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def _range(self) -> tuple[float, float]:
        values = [b.value for b in self._bars if b.value is not None]
        low = min([0.0, *values])
        return (max(-1.0, math.floor(low * 5) / 5), 1.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        self._hits = []
        font = QFont(self.font())
        metrics = painter.fontMetrics()
        line = metrics.height()
        title_font = QFont(font)
        title_font.setBold(True)
        title_font.setPointSizeF(font.pointSizeF() * 1.1)
        painter.setFont(title_font)
        painter.setPen(AXIS)
        painter.drawText(QRectF(12, 8, self.width() - 24, line * 1.4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self._title)
        painter.setFont(font)
        if not self._groups or not self._series:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No figures yet")
            return
        legend_bottom = self._draw_legend(painter, 12, 8 + line * 1.6, line)
        plot = QRectF(52, legend_bottom + line * 0.6, self.width() - 52 - 16,
                      self.height() - legend_bottom - line * 0.6 - line * 2.4)
        if plot.height() < 40 or plot.width() < 60:
            return
        low, high = self._range()

        def y_of(v: float) -> float:
            return plot.bottom() - (v - low) / (high - low) * plot.height()

        # Grid and y axis labels every 0.2.
        steps = round((high - low) / 0.2)
        for i in range(steps + 1):
            v = low + i * 0.2
            y = y_of(v)
            painter.setPen(QPen(AXIS if abs(v) < 1e-9 else GRID, 1.2 if abs(v) < 1e-9 else 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS)
            painter.drawText(QRectF(0, y - line / 2, plot.left() - 6, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{v:.1f}")
        group_width = plot.width() / len(self._groups)
        inner = group_width * 0.78
        bar_width = min(inner / len(self._series), 56.0)
        by_key = {(b.group, b.series): b for b in self._bars}
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        for g, group in enumerate(self._groups):
            center = plot.left() + group_width * (g + 0.5)
            left = center - bar_width * len(self._series) / 2
            for s, series in enumerate(self._series):
                bar = by_key.get((group, series))
                if bar is None:
                    continue
                x = left + s * bar_width
                rect_x = x + bar_width * 0.08
                width = bar_width * 0.84
                color = QColor(SERIES_COLORS[s % len(SERIES_COLORS)])
                if bar.value is None:
                    rect = QRectF(rect_x, y_of(min(high, 0.25 + max(low, 0))), width,
                                  y_of(max(low, 0)) - y_of(min(high, 0.25 + max(low, 0))))
                    painter.setPen(QPen(color, 1.2, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect)
                    painter.setFont(small)
                    painter.setPen(AXIS)
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "n/a")
                    painter.setFont(font)
                else:
                    top, bottom = sorted((y_of(bar.value), y_of(0.0)))
                    rect = QRectF(rect_x, top, width, max(bottom - top, 1.0))
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QBrush(color))
                    painter.drawRoundedRect(rect, 2, 2)
                    painter.setFont(small)
                    painter.setPen(AXIS)
                    label_y = rect.top() - line if bar.value >= 0 else rect.bottom()
                    painter.drawText(QRectF(x - 8, label_y, bar_width + 16, line),
                                     Qt.AlignmentFlag.AlignCenter, f"{bar.value:.2f}")
                    painter.setFont(font)
                self._hits.append((rect, bar))
            painter.setPen(AXIS)
            name = metrics.elidedText(group, Qt.TextElideMode.ElideRight, int(group_width - 4))
            painter.drawText(QRectF(center - group_width / 2, plot.bottom() + 6, group_width,
                                    line), Qt.AlignmentFlag.AlignCenter, name)
        painter.end()

    def _draw_legend(self, painter: QPainter, x: float, y: float, line: float) -> float:
        metrics = painter.fontMetrics()
        cursor = x
        for s, series in enumerate(self._series):
            width = line * 0.8 + 6 + metrics.horizontalAdvance(series) + 18
            if cursor + width > self.width() - 12 and cursor > x:
                cursor = x
                y += line * 1.3
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(SERIES_COLORS[s % len(SERIES_COLORS)]))
            painter.drawRoundedRect(QRectF(cursor, y + line * 0.15, line * 0.8, line * 0.7), 2, 2)
            painter.setPen(AXIS)
            painter.drawText(QPointF(cursor + line * 0.8 + 6, y + metrics.ascent()), series)
            cursor += width
        return y + line * 1.2

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for rect, bar in self._hits:
                if rect.adjusted(-2, -16, 2, 2).contains(QPointF(event.pos())):
                    value = f"{bar.value:.3f}" if bar.value is not None else (
                        f"undefined: {bar.reason}")
                    QToolTip.showText(event.globalPos(),
                                      tooltip(f"{bar.group} · {bar.series}\n{value}"), self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


class ConfusionHeatmap(QTableWidget):
    """Token counts of one pair: rows = first annotator's category, columns = second's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.setAccessibleName("Label confusion matrix")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setShowGrid(True)
        self.setStyleSheet("QTableWidget#confusionMatrix { gridline-color: #ffffff; }")
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setMinimumSectionSize(30)

    def set_matrix(self, categories: Sequence[str], confusion: Mapping[str, Mapping[str, int]],
                   first: str, second: str) -> None:
        cats = list(categories)
        n = len(cats)
        self.clear()
        self.setRowCount(n + 1)
        self.setColumnCount(n + 1)
        self.setHorizontalHeaderLabels([f"{second}: {c}" for c in cats] + ["Total"])
        self.setVerticalHeaderLabels([f"{first}: {c}" for c in cats] + ["Total"])
        counts = [[int(confusion.get(r, {}).get(c, 0)) for c in cats] for r in cats]
        peak = max([1, *(v for row in counts for v in row)])
        total = sum(sum(row) for row in counts)
        bold = QFont(self.font())
        bold.setBold(True)
        for i in range(n):
            for j in range(n):
                v = counts[i][j]
                # Square-root shading keeps small off-diagonal counts visible next to big O/O.
                share = math.sqrt(v / peak) if v else 0.0
                item = QTableWidgetItem(f"{v:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                bg = QColor(round(255 + (HEAT.red() - 255) * share),
                            round(255 + (HEAT.green() - 255) * share),
                            round(255 + (HEAT.blue() - 255) * share))
                item.setBackground(bg)
                item.setForeground(QColor("#ffffff" if share > 0.55 else "#1f2328"))
                if i == j:
                    item.setFont(bold)
                pct = f"{v / total:.1%}" if total else "—"
                item.setToolTip(
                    tooltip(f"{first} {cats[i]}, {second} {cats[j]}: {v:,} tokens ({pct})"))
                self.setItem(i, j, item)
        gray = QColor("#f3f4f6")
        for i in range(n):
            row_total = QTableWidgetItem(f"{sum(counts[i]):,}")
            col_total = QTableWidgetItem(f"{sum(counts[r][i] for r in range(n)):,}")
            for item, (r, c) in ((row_total, (i, n)), (col_total, (n, i))):
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(gray)
                self.setItem(r, c, item)
        corner = QTableWidgetItem(f"{total:,}")
        corner.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        corner.setBackground(gray)
        corner.setFont(bold)
        self.setItem(n, n, corner)

    def value(self, row: int, column: int) -> int:
        item = self.item(row, column)
        return int(item.text().replace(",", "")) if item is not None else 0
