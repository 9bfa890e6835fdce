"""The reading pane's look: paper and ink colours, the reading font, find-match colours."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette

PAPER = QColor("#fbfaf6")       # warm off-white: easier on the eyes than pure white
INK = QColor("#1f2328")
SELECTION = QColor("#cdd1d8")  # neutral grey: never mistaken for a label's tint
# Find matches are indigo, a hue between the label palette's blue and its reddish purple
# (ΔE > 45 from every label colour, tint and underline), in shapes no annotation uses: a bar
# under every match, and the current one in white on indigo.
FIND_MARK = QColor("#4338ca")
FIND_FILL = QColor(67, 56, 202, 40)   # FIND_MARK, faint, so the whole word reads as found
FIND_CURRENT_TEXT = QColor("#ffffff")
FIND_BAR_WIDTH = 2.5
MAX_COLUMN_EM = 42              # a comfortable measure: roughly 75-90 characters a line
MARGIN = 28
PARAGRAPH_GAP = 0.6             # space between paragraphs, in lines


def reading_font() -> QFont:
    """A serif text face at 12 pt, falling back through common reading fonts."""
    font = QFont()
    font.setFamilies(["Charter", "Source Serif 4", "Source Serif Pro", "Georgia", "Noto Serif",
                      "DejaVu Serif", "serif"])
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(12.0)
    return font


def paper_palette(palette: QPalette) -> QPalette:
    """`palette` with paper, ink and a soft selection that keeps text its own colour."""
    for role, color in ((QPalette.ColorRole.Base, PAPER), (QPalette.ColorRole.Window, PAPER),
                        (QPalette.ColorRole.Text, INK),
                        (QPalette.ColorRole.Highlight, SELECTION),
                        (QPalette.ColorRole.HighlightedText, INK)):
        palette.setColor(QPalette.ColorGroup.All, role, color)
    return palette
