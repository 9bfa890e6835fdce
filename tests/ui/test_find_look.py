"""Find matches look like nothing an annotation looks like: indigo (a hue no label colour,
tint or underline has), a bar under each match instead of an outline, the current match in
white on indigo."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QImage

from annotator.service.labels import DEFAULT_LABELS
from annotator.service.labels import PALETTE as LABEL_PALETTE
from ui.widgets.color_distance import DISTINCT, blend, delta_e
from ui.workspace.document_view import DocumentView
from ui.workspace.reading_style import FIND_CURRENT_TEXT, FIND_MARK, PAPER, SELECTION
from ui.workspace.span_highlighter import MAX_ALPHA, OTHER_ALPHA, OWN_ALPHA, darker

TEXT = "Harbour council news. The council met again, and the council voted."


def _label_looks() -> list[str]:
    """Every colour a label can put on screen: itself, its tints over paper, its underline."""
    colors = set(LABEL_PALETTE) | {color for _, color, _, _ in DEFAULT_LABELS}
    paper = PAPER.name()
    looks = []
    for color in colors:
        looks += [color, darker(QColor(color)).name()]
        looks += [blend(paper, color, alpha) for alpha in (OWN_ALPHA, OTHER_ALPHA, MAX_ALPHA)]
    return looks


def test_find_colour_is_no_label_colour() -> None:
    mark = FIND_MARK.name()
    for look in [*_label_looks(), SELECTION.name()]:
        assert delta_e(mark, look) >= DISTINCT, look


def _rendered(view: DocumentView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def _close(pixel: QColor, color: QColor, tolerance: float = 12.0) -> bool:
    return delta_e(pixel.name(), color.name()) < tolerance


def test_matches_have_a_bar_and_no_outline(document_view: DocumentView) -> None:
    document_view.set_document(TEXT, [])
    starts = [i for i in range(len(TEXT)) if TEXT.startswith("council", i)]
    matches = [(s, s + len("council")) for s in starts]
    document_view.set_find_matches(matches, 0)
    image = _rendered(document_view)
    current, other = (document_view.range_rects(*document_view._index.offset_map.to_qt_range(
        s, e))[0] for s, e in matches[:2])
    # The current match: white letters on an indigo fill.
    corner = image.pixelColor(int(current.left()) + 1, int(current.top()) + 1)
    assert _close(corner, FIND_MARK)
    row = [image.pixelColor(x, int(current.center().y()))
           for x in range(int(current.left()), int(current.right()))]
    assert any(_close(p, FIND_CURRENT_TEXT, 20) for p in row)
    # Another match: an indigo bar along its bottom, but no outline along its top or sides,
    # where an annotation's selection outline would be.
    bottom = image.pixelColor(int(other.center().x()), int(other.bottom()) - 1)
    assert _close(bottom, FIND_MARK)
    top = [image.pixelColor(x, int(other.top()))
           for x in range(int(other.left()) - 1, int(other.right()) + 2)]
    side = [image.pixelColor(int(other.left()) - 1, y)
            for y in range(int(other.top()), int(other.bottom()) - 3)]
    paper = PAPER
    assert all(delta_e(p.name(), paper.name()) < DISTINCT for p in top + side)
