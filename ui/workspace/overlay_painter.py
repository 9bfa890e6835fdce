"""Painting the reading pane's overlay (:mod:`ui.workspace.overlay`) over the visible lines.

Only passages on screen are walked (bisect over the text-ordered marks, then
``range_rects``, which looks at the visible blocks only), so the cost does not grow with
the document. A link whose partner is off screen ends in a tag at the top or bottom edge
that says where the partner is and what it says.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from ui.workspace.overlay import Link, Mark, Overlay
from ui.workspace.span_highlighter import darker

UNSOURCED = QColor("#D55E00")   # Okabe-Ito vermillion: the palette's warning colour
LINK_INK = QColor("#3b3f46")
TAG_PAPER = QColor(255, 255, 255, 235)
EDGE_TAG_HEIGHT = 20.0

# (qt_start, qt_end) -> viewport rectangles of the visible line pieces.
Rects = Callable[[int, int], list[QRectF]]
ToQt = Callable[[int, int], tuple[int, int]]


class Badge(NamedTuple):
    """Where a claim's "?" is drawn; `top` and `bottom` are the rectangle's, as floats
    a band repainted is compared with without a Qt call."""

    claim: tuple[int, int, str]  # (start, end, colour)
    rect: QRectF
    top: float
    bottom: float


def paint_overlay(painter: QPainter, overlay: Overlay, rects: Rects, to_qt: ToQt,
                  visible: tuple[int, int] | None, width: float, height: float,
                  area: tuple[int, int] | None = None, clip: QRectF | None = None,
                  unsourced: Sequence[Badge] | None = None) -> None:
    """Draw ``overlay``; ``visible`` is the Qt range of the blocks on screen, ``area`` that
    of the lines being repainted (default: all of them), where marks are looked for, and
    ``clip`` the viewport rectangle being repainted (default: all of it). ``unsourced``:
    the claims' badges on screen when the caller has them (see unsourced_badges)."""
    if visible is None:
        return
    area = area or visible
    painter.save()
    if overlay.unsourced:
        if unsourced is None:
            unsourced = unsourced_badges(overlay.unsourced, rects, to_qt, area)
        _paint_unsourced(painter, unsourced, clip)
    if overlay.proposals:
        _paint_proposals(painter, overlay, rects, to_qt, area)
    edge_tags = {"top": 0, "bottom": 0}
    for link in overlay.links:
        _paint_link(painter, link, rects, to_qt, visible, width, height, edge_tags)
    painter.restore()


def _in_view(marks: Sequence[Mark], to_qt: ToQt, visible: tuple[int, int]) -> range:
    """Indexes of the text-ordered marks that may touch the visible range (core offsets of
    the visible range are not at hand; a Qt conversion per probe is a bisect)."""
    starts = _QtStarts(marks, to_qt)
    first = max(bisect_right(starts, visible[0]) - 1, 0)
    # Long marks starting well above the screen: step back while they still reach it.
    while first > 0 and to_qt(marks[first - 1].start, marks[first - 1].end)[1] > visible[0]:
        first -= 1
    return range(first, bisect_left(starts, visible[1]))


class _QtStarts(Sequence[int]):
    """The marks' Qt starts, computed only where a bisect looks."""

    def __init__(self, marks: Sequence[Mark], to_qt: ToQt) -> None:
        self._marks, self._to_qt = marks, to_qt

    def __len__(self) -> int:
        return len(self._marks)

    def __getitem__(self, i: int) -> int:  # type: ignore[override]
        mark = self._marks[i]
        return self._to_qt(mark.start, mark.end)[0]


def unsourced_badges(marks: Sequence[Mark], rects: Rects, to_qt: ToQt,
                     visible: tuple[int, int] | None,
                     known: Sequence[Badge] = ()) -> list[Badge]:
    """The badge of each claim without a source among `marks` whose passage touches the
    Qt range `visible` and has a line piece on screen, in text order. `known`: badges
    found on the same screen before, taken as they are for the same passages (a key
    press adds or removes one claim among those on screen)."""
    if visible is None or not marks:
        return []
    before = {badge.claim[:2]: badge for badge in known}
    badges: list[Badge] = []
    for i in _in_view(marks, to_qt, visible):
        mark = marks[i]
        found = before.get((mark.start, mark.end))
        if found is not None:
            badges.append(found._replace(claim=(mark.start, mark.end, mark.color)))
            continue
        pieces = rects(*to_qt(mark.start, mark.end))
        if pieces:
            badge = _unsourced_badge(pieces)
            badges.append(Badge((mark.start, mark.end, mark.color), badge, badge.top(),
                                badge.bottom()))
    return badges


def _paint_unsourced(painter: QPainter, badges: Sequence[Badge],
                     clip: QRectF | None = None) -> None:
    """A small "?" in vermillion at the end of each claim without a source (those whose
    badge reaches into ``clip``: the lines around a band repainted hold others, and an
    antialiased ellipse costs its drawing even where the clip then drops it)."""
    font = painter.font()
    font.setPointSizeF(max(font.pointSizeF() * 0.6, 6.0))
    font.setBold(True)
    painter.setFont(font)
    top, bottom = (clip.top(), clip.bottom()) if clip is not None else (0.0, 0.0)
    for _, badge, badge_top, badge_bottom in badges:
        if clip is not None and (badge_top - 1.0 >= bottom or badge_bottom + 1.0 <= top
                                 or not badge.adjusted(-1.0, -1.0, 1.0, 1.0).intersects(clip)):
            continue
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(UNSOURCED)
        painter.drawEllipse(badge)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "?")


def _unsourced_badge(pieces: list[QRectF]) -> QRectF:
    last = pieces[-1]
    return QRectF(last.right() - 5.0, last.top() - 6.0, 11.0, 11.0)


def unsourced_dirty(before: Sequence[Badge], after: Sequence[Badge]) -> list[QRectF]:
    """Where the claims' badges on screen differ between `before` and `after` (a claim
    tagged or sourced): the repaint a key press needs."""
    old = {badge.claim: badge.rect for badge in before}
    new = {badge.claim: badge.rect for badge in after}
    return [old[key] if key in old else new[key] for key in old.keys() ^ new.keys()]


def _paint_proposals(painter: QPainter, overlay: Overlay, rects: Rects, to_qt: ToQt,
                     visible: tuple[int, int]) -> None:
    marks = overlay.proposals
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for i in _in_view(marks, to_qt, visible):
        mark = marks[i]
        focused = i == overlay.focused_proposal
        color = darker(QColor(mark.color), 0.75)
        pen = QPen(color, 2.2 if focused else 1.4, Qt.PenStyle.DashLine)
        pen.setDashPattern([3.0, 2.0])
        painter.setPen(pen)
        pieces = rects(*to_qt(mark.start, mark.end))
        if focused:
            fill = QColor(mark.color)
            fill.setAlpha(70)
            for rect in pieces:
                painter.fillRect(rect, fill)
        for rect in pieces:
            painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3.0, 3.0)
        if focused and pieces:
            _caption(painter, pieces[0], f"{mark.label}?  {overlay.hint}".strip(), color)


def _caption(painter: QPainter, anchor: QRectF, text: str, color: QColor) -> None:
    """A small tag above a passage (below it on the first line of the screen)."""
    font = painter.font()
    font.setPointSizeF(max(painter.font().pointSizeF() * 0.75, 7.0))
    font.setBold(False)
    painter.save()
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    box = QRectF(anchor.left(), anchor.top() - metrics.height() - 3.0,
                 metrics.horizontalAdvance(text) + 10.0, metrics.height() + 2.0)
    if box.top() < 0:
        box.moveTop(anchor.bottom() + 2.0)
    painter.setPen(QPen(color, 1.0))
    painter.setBrush(TAG_PAPER)
    painter.drawRoundedRect(box, 3.0, 3.0)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def _paint_link(painter: QPainter, link: Link, rects: Rects, to_qt: ToQt,
                visible: tuple[int, int], width: float, height: float,
                edge_tags: dict[str, int]) -> None:
    source, source_above = _on_screen(link.source, rects, to_qt, visible, height)
    target, target_above = _on_screen(link.target, rects, to_qt, visible, height)
    ink = darker(QColor(link.target.color), 0.55)
    outline = QPen(ink, 2.4, Qt.PenStyle.DashLine if link.proposed else Qt.PenStyle.SolidLine)
    painter.setPen(outline)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in target:
        painter.drawRoundedRect(rect.adjusted(-2.5, -0.5, 2.5, 0.5), 3.5, 3.5)
    if not source and not target:
        return
    name = link.kind.replace("_", " ")
    if source and target:
        _connector(painter, _anchor(source[0]), _anchor(target[0]), ink, link.proposed,
                   arrow_at_end=link.outgoing, caption=name)
        return
    # One end is off screen: a tag at that edge says where, and what it says.
    above = target_above if source else source_above
    far = link.target if source else link.source
    edge = "top" if above else "bottom"
    arrow = "\u25b2" if above else "\u25bc"
    text = f"{arrow} {name}: {far.label} \u201c{_short(far.text)}\u201d"
    # No line to the tag: across many lines of text it would hide more than it shows.
    _edge_tag(painter, text, width, height, edge, edge_tags[edge], ink)
    edge_tags[edge] += 1


def _on_screen(mark: Mark, rects: Rects, to_qt: ToQt, visible: tuple[int, int],
               height: float) -> tuple[list[QRectF], bool]:
    """The mark's line pieces inside the viewport, and whether it lies above the screen
    (meaningful when none is inside)."""
    qt_start, qt_end = to_qt(mark.start, mark.end)
    pieces = rects(qt_start, qt_end) if qt_start < visible[1] else []
    inside = [r for r in pieces if r.bottom() > 0 and r.top() < height]
    above = qt_start < visible[0] or bool(pieces and pieces[-1].bottom() <= 0)
    return inside, above


def _anchor(rect: QRectF) -> QPointF:
    return QPointF(rect.left() + min(rect.width() / 2, 24.0), rect.top())


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _edge_tag(painter: QPainter, text: str, width: float, height: float, edge: str,
              stacked: int, ink: QColor) -> None:
    font = painter.font()
    font.setPointSizeF(max(font.pointSizeF() * 0.8, 7.0))
    painter.save()
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    w = min(metrics.horizontalAdvance(text) + 16.0, width - 8.0)
    top = 4.0 + stacked * (EDGE_TAG_HEIGHT + 3.0)
    if edge == "bottom":
        top = height - 4.0 - EDGE_TAG_HEIGHT - stacked * (EDGE_TAG_HEIGHT + 3.0)
    box = QRectF((width - w) / 2, top, w, EDGE_TAG_HEIGHT)
    painter.setPen(QPen(ink, 1.2))
    painter.setBrush(TAG_PAPER)
    painter.drawRoundedRect(box, 4.0, 4.0)
    painter.drawText(box.adjusted(6.0, 0.0, -6.0, 0.0), Qt.AlignmentFlag.AlignCenter,
                     metrics.elidedText(text, Qt.TextElideMode.ElideRight, w - 12.0))
    painter.restore()


def _connector(painter: QPainter, start: QPointF, end: QPointF, ink: QColor, proposed: bool,
               *, arrow_at_end: bool, caption: str = "") -> None:
    """An arc bowing above both passages, with an arrowhead where the relation points."""
    lift = min(28.0 + abs(end.x() - start.x()) * 0.08, 60.0)
    top = min(start.y(), end.y()) - lift
    c1 = QPointF(start.x(), top)
    c2 = QPointF(end.x(), top)
    path = QPainterPath(start)
    path.cubicTo(c1, c2, end)
    pen = QPen(ink, 1.6, Qt.PenStyle.DashLine if proposed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    tip, before = (end, c2) if arrow_at_end else (start, c1)
    _arrowhead(painter, before, tip, ink)
    if caption:
        middle = path.pointAtPercent(0.5)
        _caption(painter, QRectF(middle.x() - 20.0, middle.y() + 2.0, 40.0, 0.0), caption, ink)


def _arrowhead(painter: QPainter, before: QPointF, tip: QPointF, ink: QColor) -> None:
    dx, dy = tip.x() - before.x(), tip.y() - before.y()
    length = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    ux, uy = dx / length, dy / length
    size = 7.0
    left = QPointF(tip.x() - ux * size - uy * size * 0.5, tip.y() - uy * size + ux * size * 0.5)
    right = QPointF(tip.x() - ux * size + uy * size * 0.5, tip.y() - uy * size - ux * size * 0.5)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawPolygon(QPolygonF([tip, left, right]))
