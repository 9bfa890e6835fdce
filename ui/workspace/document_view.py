"""The read-only reading pane that shows one document with its annotations highlighted.

Spans, the selected annotation's outline, find matches and the overlay are all painted at
paint time for the visible lines only (see span_highlighter), and a change asks for the
repaint of the lines it touches: a key press costs what is on screen, not what is in the
document or the paragraph. All Qt<->core offset conversion goes through ui.workspace.offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple, cast

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRegion,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from ui.widgets.annotator_badges import annotator_color, initials_icon
from ui.widgets.plain_text import escape, escape_lines
from ui.workspace import word_bounds
from ui.workspace.overlay import Mark, Overlay
from ui.workspace.overlay_painter import (
    Badge,
    paint_overlay,
    unsourced_badges,
    unsourced_dirty,
)
from ui.workspace.paragraph_layout import ParagraphLayout
from ui.workspace.reading_style import (
    FIND_BAR_WIDTH,
    FIND_CURRENT_TEXT,
    FIND_FILL,
    FIND_MARK,
    MARGIN,
    MAX_COLUMN_EM,
    PARAGRAPH_GAP,
    paper_palette,
    reading_font,
)
from ui.workspace.span_highlighter import SpanHighlights, darker, draw_underlines, paint_runs
from ui.workspace.span_index import PlacedSpan, SpanIndex, ViewSpan
from ui.workspace.text_geometry import ShownBlocks, position_under

__all__ = ["DocumentView", "ViewSpan", "reading_font"]

BADGE_SIZE = 16.0  # a colleague's initials in the margin, px
BADGE_GAP = 6.0    # between the badge and the text
OUTLINE = 3        # px an outline (or an underline) reaches beyond its line pieces
MAX_BANDS = 8      # a repaint of more separate bands than this paints their bounding box

class DocumentView(QPlainTextEdit):
    annotationActivated = Signal(str)
    annotationSelectionCleared = Signal()
    annotationHovered = Signal(str)  # the annotation under the mouse; "" when none
    selectionMoved = Signal(str)  # the selected annotation changed, however; "" for none
    resizeRequested = Signal(str, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setAccessibleName("Document text")
        self.setAccessibleDescription(
            "Read-only document. Select text and press a label key to annotate; "
            "Tab and Shift+Tab move between annotations.")
        self._text = ""
        self._index = SpanIndex()
        document = QTextDocument(self)
        self._layout = ParagraphLayout(document)
        document.setDocumentLayout(self._layout)
        document.setUndoRedoEnabled(False)
        document.setDocumentMargin(MARGIN)
        self._highlights = SpanHighlights(self._index)
        # The blocks on screen, kept until the view scrolls, resizes or is laid out again.
        self._shown: ShownBlocks | None = None
        self._shown_key: tuple[object, ...] = ()
        self._layout_generation = 0
        self._layout.update.connect(self._laid_out)
        self._whole_pending = False  # a repaint of the whole viewport is on its way
        self.setDocument(document)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setCenterOnScroll(False)
        self.setPalette(paper_palette(self.palette()))
        self.setAutoFillBackground(True)  # the side margins share the paper colour
        self._selected: str | None = None
        self._word_snapping = True
        self._find_starts: list[int] = []
        self._find_ends: list[int] = []
        self._find_current: int | None = None
        self._badge_color: Callable[[str], str] = annotator_color
        self._overlay = Overlay()
        # The claims' badges on screen: (the claims, the blocks shown, their badges).
        self._claims: tuple[Sequence[Mark], ShownBlocks, list[Badge]] | None = None
        # The colleagues' initials beside the lines on screen (None: to be found again).
        self._badges: list[tuple[str, QRect]] | None = None
        self._badges_shown: ShownBlocks | None = None
        self._badge_spans: list[tuple[int, int, int, int]] = []  # top, bottom, left, right
        self._hovered = ""
        self.viewport().setMouseTracking(True)
        self.set_reading_font(reading_font())

    # -- document -----------------------------------------------------------------

    def set_document(self, text: str, spans: Sequence[ViewSpan]) -> None:
        self._selected = None
        self._find_starts, self._find_ends, self._find_current = [], [], None
        self._text = text
        self._index.reset(text, spans)
        shown = self._index.display
        # One soft start per MAX_BLOCK characters of a long paragraph: a few bisections.
        to_qt = self._index.offset_map.to_qt
        self._layout.set_soft_starts(frozenset(map(to_qt, shown.soft_starts)))
        self._highlights.reset()
        self._badges = None
        self._laid_out()
        # The same text as UTF-16 units: PySide converts it ~10x faster (offsets.qt_string).
        self.setPlainText(self._index.qt_text)
        # setPlainText asked for a repaint of the whole viewport: until it is painted, an
        # overlay change needs no region of its own (set_overlay).
        self._whole_pending = True

    def set_overlay(self, overlay: Overlay) -> None:
        """Links, proposals and unsourced claims to draw over the text (see overlay)."""
        if overlay == self._overlay:
            return
        before, self._overlay = self._overlay, overlay
        if not self._whole_pending and replace(before, unsourced=overlay.unsourced) == overlay:
            # Only the claims changed (a key press tagged one): repaint their marks alone.
            shown = self._shown_blocks()
            self._repaint(unsourced_dirty(self._claim_badges(shown, before.unsourced),
                                          self._claim_badges(shown, overlay.unsourced)))
        else:
            self.viewport().update()

    def overlay(self) -> Overlay:
        return self._overlay

    def _claim_badges(self, shown: ShownBlocks, marks: Sequence[Mark]) -> list[Badge]:
        """The badges of the claims `marks` on screen, found again only for other claims
        or once the view scrolled: a key press asks for the claims' before and after, then
        paints the after ones. Passages whose badge is known on this screen keep it."""
        cached = self._claims
        if cached is not None and cached[0] is marks and cached[1] is shown:
            return cached[2]
        lines = shown.qt_range_between(-BADGE_SIZE, self.viewport().height() + BADGE_SIZE)
        known = cached[2] if cached is not None and cached[1] is shown else ()
        badges = unsourced_badges(marks, shown.range_rects, self._index.offset_map.to_qt_range,
                                  lines, known)
        self._claims = (marks, shown, badges)
        return badges

    def clear_document(self) -> None:
        self.set_document("", ())

    def core_text(self) -> str:
        return self._text

    def position_to_offset(self, qt_pos: int) -> int:
        return self._index.offset_map.to_core(qt_pos)

    def offset_to_position(self, offset: int) -> int:
        return self._index.offset_map.to_qt(offset)

    # -- spans ----------------------------------------------------------------------

    def upsert_span(self, span: ViewSpan) -> None:
        before = self._index.get(span.id)
        self._highlights.invalidate(self._index.upsert(span))
        if not span.own or (before is not None and not before.span.own):
            self._badges = None  # a colleague's initials may have moved
        self._repaint_spans(before, self._index.get(span.id))

    def remove_span(self, span_id: str) -> None:
        before = self._index.get(span_id)
        self._highlights.invalidate(self._index.remove(span_id))
        if before is not None and not before.span.own:
            self._badges = None
        if span_id == self._selected:
            self._selected = None
        self._repaint_spans(before)

    def _repaint_spans(self, *placed: PlacedSpan | None) -> None:
        """Ask for the repaint of the lines these spans cover (their tint, underline and
        outline), and of the margin beside a colleague's (the initials)."""
        shown = self._shown_blocks()
        rects: list[QRectF] = []
        for p in placed:
            if p is None:
                continue
            pieces = shown.range_rects(p.qt_start, p.qt_end)
            rects += pieces
            if pieces and not p.span.own:
                rects.append(QRectF(0.0, pieces[0].top(), pieces[0].right(),
                                    pieces[0].height()))
        self._repaint(rects)

    def _repaint(self, rects: Sequence[QRectF]) -> None:
        region = QRegion()
        for rect in rects:
            region += rect.toAlignedRect().adjusted(-OUTLINE, -OUTLINE, OUTLINE, OUTLINE)
        if not region.isEmpty():
            self.viewport().update(region)

    def spans(self) -> list[ViewSpan]:
        return [p.span for p in self._index.ordered()]

    def span(self, span_id: str) -> ViewSpan | None:
        return self._index.span(span_id)

    def spans_at(self, offset: int) -> list[ViewSpan]:
        """Spans covering core `offset`, topmost (shortest) first."""
        return [p.span for p in self._index.at(offset)]

    def highlight_formats(self, blocks: range | None = None
                          ) -> list[tuple[int, int, QTextCharFormat]]:
        """(Qt start, Qt end, format) of every highlight run painting draws in `blocks`
        (default: every block), as tests and tools inspect them."""
        document = self.document()
        if blocks is None:
            blocks = range(document.blockCount())
        chosen = [document.findBlockByNumber(n) for n in blocks]
        found = []
        for block, runs in zip(chosen, self._highlights.runs(chosen), strict=True):
            found += [(block.position() + s, block.position() + e, f) for s, e, f in runs]
        return found

    def highlighted_blocks(self) -> list[int]:
        """Numbers of the blocks whose highlight runs were computed (painted ones)."""
        return self._highlights.computed_blocks()

    # -- annotation selection ------------------------------------------------------

    def select_annotation(self, span_id: str | None, *, scroll: bool = True) -> None:
        placed = self._index.get(span_id) if span_id is not None else None
        before, self._selected = self._selected, placed.span.id if placed else None
        if placed is not None and scroll:
            cursor = self.textCursor()
            cursor.setPosition(placed.qt_start)
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        # Only the two outlines change (a scroll repaints everything by itself).
        self._repaint_spans(self._index.get(before) if before else None, placed)
        if self._selected != before:
            self.selectionMoved.emit(self._selected or "")

    def selected_annotation(self) -> str | None:
        return self._selected

    def _activate(self, span_id: str) -> None:
        self.select_annotation(span_id)
        self.annotationActivated.emit(span_id)

    def _clear_annotation_selection(self) -> None:
        if self._selected is not None:
            before, self._selected = self._selected, None
            self._repaint_spans(self._index.get(before))
            self.selectionMoved.emit("")
            self.annotationSelectionCleared.emit()

    # -- text selection ------------------------------------------------------------

    def selection_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._index.offset_map.to_core_range(cursor.selectionStart(),
                                                         cursor.selectionEnd())
        if self._word_snapping:
            start, end = word_bounds.snap_to_words(self._text, start, end)
        else:
            start = word_bounds.cluster_start(self._text, start)
            end = word_bounds.cluster_end(self._text, end)
            if not self._text[start:end].strip():
                return None
        return (start, end) if start < end else None

    def set_selection_range(self, start: int, end: int) -> None:
        qt_start, qt_end = self._index.offset_map.to_qt_range(start, end)
        cursor = self.textCursor()
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def createMimeDataFromSelection(self) -> QMimeData:
        # Qt's own copy would carry the display text: soft breaks, U+2060 for U+FEFF, ...
        cursor = self.textCursor()
        start, end = self._index.offset_map.to_core_range(cursor.selectionStart(),
                                                         cursor.selectionEnd())
        mime = QMimeData()
        mime.setText(self._text[start:end])
        return mime

    def set_word_snapping(self, on: bool) -> None:
        self._word_snapping = on

    def word_snapping(self) -> bool:
        return self._word_snapping

    # -- appearance -----------------------------------------------------------------

    def set_reading_font(self, font: QFont) -> None:
        self.setFont(font)
        self.document().setDefaultFont(font)
        self._layout.set_paragraph_gap(round(QFontMetricsF(font).lineSpacing() * PARAGRAPH_GAP))
        self._laid_out()
        self._fit_column()
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Margins first: QPlainTextEdit re-wraps lines to the viewport width in its own
        # resizeEvent (which also receives the viewport's resizes), so they must be in
        # place before it runs. The width is always the widget's, never the event's.
        self._set_side_margins(self.width())
        super().resizeEvent(event)

    def _fit_column(self) -> None:
        self._set_side_margins(self.width())

    def _set_side_margins(self, width: int) -> bool:
        """Centre a column of at most MAX_COLUMN_EM so lines stay a readable length."""
        column = QFontMetricsF(self.font()).horizontalAdvance("M") * MAX_COLUMN_EM + 2 * MARGIN
        scrollbar = self.verticalScrollBar().sizeHint().width()
        side = max(int((width - scrollbar - column) / 2), 0)
        if self.viewportMargins().left() == side:
            return False
        self.setViewportMargins(side, 0, side, 0)
        return True

    # -- find matches ---------------------------------------------------------------

    def set_find_matches(self, matches: Sequence[tuple[int, int]], current: int | None) -> None:
        mapping = self._index.offset_map
        ranges = sorted(mapping.to_qt_range(s, e) for s, e in matches)
        self._find_starts = [s for s, _ in ranges]
        self._find_ends = [e for _, e in ranges]
        self._find_current = None
        if current is not None and 0 <= current < len(matches):
            s, e = matches[current]
            qt_start, qt_end = mapping.to_qt_range(s, e)
            self._find_current = bisect_right(self._find_starts, qt_start) - 1
            cursor = self.textCursor()
            cursor.setPosition(qt_start)
            cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.viewport().update()

    def find_matches(self) -> list[tuple[int, int]]:
        mapping = self._index.offset_map
        return [mapping.to_core_range(s, e) for s, e in zip(self._find_starts, self._find_ends,
                                                             strict=True)]

    # -- colleagues' initials ----------------------------------------------------------

    def set_badge_colors(self, color: Callable[[str], str]) -> None:
        """Where the colour of an annotator's initials comes from (the window's layers)."""
        self._badge_color = color
        self.viewport().update()

    def colleague_badges(self, qt_range: tuple[int, int] | None = None
                         ) -> list[tuple[str, QRectF]]:
        """(annotator, where) of every colleague's initials on screen (or beside the lines
        of `qt_range`): in the left margin, beside the line where one of their annotations
        starts, once per annotator and line."""
        if not len(self._index):
            return []
        if qt_range is None:
            viewport = self.viewport().rect()
            qt_range = (self.cursorForPosition(viewport.topLeft()).position(),
                        self.cursorForPosition(viewport.bottomRight()).position())
        first, last = qt_range
        size = BADGE_SIZE
        badges: list[tuple[str, QRectF]] = []
        seen: dict[tuple[float, str], None] = {}
        per_line: dict[float, int] = {}
        document, shown = self.document(), self._shown_blocks()
        for placed in self._index.starting_in(first, last):
            if placed.span.own:
                continue
            # The line itself, not range_rects: that walks every line of a long paragraph.
            block = document.findBlock(placed.qt_start)
            text_line = block.layout().lineForTextPosition(placed.qt_start - block.position())
            where = shown.rect_of(block)
            if not text_line.isValid() or where is None:
                continue
            top = where.top() + text_line.y()
            line = QRectF(0.0, top, 1.0, text_line.height())
            key = (line.top(), placed.span.annotator)
            if key in seen:
                continue
            seen[key] = None
            # Badges of one line stand side by side leftwards from the text's edge.
            n = per_line.get(line.top(), 0)
            per_line[line.top()] = n + 1
            left = self.document().documentMargin() - BADGE_GAP - size - n * (size * 0.6)
            badges.append((placed.span.annotator,
                           QRectF(max(left, 0.0), line.center().y() - size / 2, size, size)))
        return badges

    def _paint_badges(self, painter: QPainter, area: QRect, shown: ShownBlocks) -> None:
        """The initials reaching into `area`, from those beside the lines on screen (found
        once until a colleague's annotation changes or the view scrolls)."""
        if self._badges is None or self._badges_shown is not shown:
            lines = shown.qt_range_between(-BADGE_SIZE, self.viewport().height() + BADGE_SIZE)
            found = self.colleague_badges(lines) if lines is not None else []
            self._badges = [(annotator, rect.toRect()) for annotator, rect in found]
            self._badge_spans = [(r.top(), r.bottom(), r.left(), r.right())
                                 for _, r in self._badges]
            self._badges_shown = shown
        # Those that come within a pixel of the area (the rest would be clipped away).
        top, bottom, left, right = area.top(), area.bottom(), area.left(), area.right()
        for (annotator, rect), (b_top, b_bottom, b_left, b_right) in zip(
                reversed(self._badges), reversed(self._badge_spans), strict=True):
            if (b_top <= bottom + 1 and b_bottom >= top - 1 and b_left <= right + 1
                    and b_right >= left - 1):
                icon = initials_icon(annotator, self._badge_color(annotator), int(BADGE_SIZE))
                icon.paint(painter, rect)

    # -- painting -------------------------------------------------------------------

    def _laid_out(self) -> None:
        """The layout changed (new text, width or font): the blocks on screen moved."""
        self._layout_generation += 1

    def _shown_blocks(self) -> ShownBlocks:
        """The blocks on screen, walked again only once the view scrolled, resized or was
        laid out again: a key press asks for them to find its repaint rectangles, the
        claims' marks that changed and then to paint."""
        offset = self.contentOffset()
        viewport = self.viewport()
        key = (self._layout_generation, self.firstVisibleBlock().blockNumber(), offset.x(),
               offset.y(), viewport.width(), viewport.height())
        if self._shown is None or key != self._shown_key:
            self._shown, self._shown_key = ShownBlocks(self), key
        return self._shown

    def paintEvent(self, event: QPaintEvent) -> None:
        self._whole_pending = False
        shown = self._shown_blocks()
        painter = QPainter(self.viewport())
        # What every band repainted shares is found once per paint, not once per band.
        frame = _Frame(shown, self.getPaintContext(),
                       self._index.get(self._selected) if self._selected else None)
        for area in paint_bands(event.region()):
            painter.save()
            painter.setClipRect(area)
            self._paint_area(painter, area, frame)
            painter.restore()
        painter.end()

    def _paint_area(self, painter: QPainter, area: QRect, frame: _Frame) -> None:
        shown = frame.shown
        self._paint_text(painter, area, frame)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # What may reach into the area repainted: marks and initials are looked for there
        # only, so a repaint costs what it shows.
        lines = shown.qt_range_between(area.top() - BADGE_SIZE, area.bottom() + BADGE_SIZE)
        if lines is None:
            return
        self._paint_badges(painter, area, shown)
        overlay = self._overlay
        if overlay.links or overlay.proposals or overlay.unsourced:
            viewport = self.viewport()
            paint_overlay(painter, overlay, shown.range_rects,
                          self._index.offset_map.to_qt_range, shown.qt_range(),
                          float(viewport.width()), float(viewport.height()), lines,
                          QRectF(area), self._claim_badges(shown, overlay.unsourced))
        if self._find_starts:
            self._paint_find_matches(painter)
        selected = frame.selected
        if selected is not None:
            pen = QPen(darker(QColor(selected.span.color), 0.6), 2.0)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            # Only the outline's pieces that reach into the area: the others are clipped.
            reach = QRectF(area).adjusted(-OUTLINE, -OUTLINE, OUTLINE, OUTLINE)
            for rect in shown.range_rects(selected.qt_start, selected.qt_end):
                if rect.intersects(reach):
                    painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3.0, 3.0)

    def _paint_text(self, painter: QPainter, area: QRect, frame: _Frame) -> None:
        """What QPlainTextEdit.paintEvent draws (text, text selection, caret), with the
        spans' tints under the text and their underlines over it."""
        shown = frame.shown
        clip = QRectF(area)
        painter.setClipRect(area)
        painter.setBrushOrigin(self.contentOffset())
        context = frame.context
        text_pen = context.palette.text().color()
        caret = context.cursorPosition
        painted = shown.between(clip.top(), clip.bottom())
        blocks = shown.blocks[painted.start:painted.stop]
        rects = shown.rects[painted.start:painted.stop]
        for block, rect, runs in zip(blocks, rects, self._highlights.runs(blocks), strict=True):
            underlines = paint_runs(painter, block, rect, runs, clip, self._highlights.looks)
            base, length = block.position(), block.length()
            selections = []
            for selection in context.selections:
                start = selection.cursor.selectionStart() - base
                end = selection.cursor.selectionEnd() - base
                if start < length and end > 0 and end > start:
                    chosen = QTextLayout.FormatRange()
                    chosen.start, chosen.length = start, end - start
                    chosen.format = selection.format
                    selections.append(chosen)
            painter.setPen(text_pen)
            origin = QPointF(rect.left(), rect.top())
            block.layout().draw(painter, origin, selections, clip)
            draw_underlines(painter, underlines)
            if base <= caret < base + length and _line_meets(block, rect, caret - base, clip):
                block.layout().drawCursor(painter, origin, caret - base, self.cursorWidth())

    def _paint_find_matches(self, painter: QPainter) -> None:
        visible = self.visible_qt_range()
        if visible is None:
            return
        first = max(bisect_right(self._find_starts, visible[0]) - 1, 0)
        last = bisect_right(self._find_starts, visible[1])
        painter.setPen(Qt.PenStyle.NoPen)
        for i in range(first, last):
            if i == self._find_current:
                continue
            for rect in self.range_rects(self._find_starts[i], self._find_ends[i]):
                painter.fillRect(rect, FIND_FILL)
                bar = QRectF(rect.left(), rect.bottom() - FIND_BAR_WIDTH, rect.width(),
                             FIND_BAR_WIDTH)
                painter.fillRect(bar, FIND_MARK)
        if self._find_current is not None and first <= self._find_current < last:
            self._paint_current_match(painter, self._find_starts[self._find_current],
                                      self._find_ends[self._find_current])

    def _paint_current_match(self, painter: QPainter, qt_start: int, qt_end: int) -> None:
        """The current match in white on slate: its text is drawn again over the fill,
        clipped to the match, so it reads like a selection no label can be taken for."""
        highlight = QTextCharFormat()
        highlight.setBackground(FIND_MARK)
        highlight.setForeground(FIND_CURRENT_TEXT)
        document = self.document()
        offset = self.contentOffset()
        block = document.findBlock(qt_start)
        while block.isValid() and block.position() < qt_end:
            rects = self.range_rects(max(qt_start, block.position()),
                                     min(qt_end, block.position() + block.length() - 1))
            if rects:
                clip = QPainterPath()
                for rect in rects:
                    clip.addRect(rect)
                top_left = self.blockBoundingGeometry(block).translated(offset).topLeft()
                selection = QTextLayout.FormatRange()
                selection.start = max(qt_start - block.position(), 0)
                selection.length = min(qt_end, block.position() + block.length() - 1) - (
                    block.position() + selection.start)
                selection.format = highlight
                painter.save()
                painter.setClipPath(clip)
                block.layout().draw(painter, top_left, [selection])
                painter.restore()
            block = block.next()

    def visible_qt_range(self) -> tuple[int, int] | None:
        """The Qt range of the blocks on screen (None: nothing shown)."""
        return self._shown_blocks().qt_range()

    def range_rects(self, qt_start: int, qt_end: int) -> list[QRectF]:
        """Viewport rectangles of the visible line pieces of Qt range [qt_start, qt_end)."""
        return self._shown_blocks().range_rects(qt_start, qt_end)

    # -- hit testing ------------------------------------------------------------------

    def char_at(self, point: QPoint | QPointF) -> int | None:
        """Core offset of the character under viewport `point`, None over blank paper."""
        position = position_under(self, point)
        return None if position is None else self._index.offset_map.to_core(position)


    def spans_under(self, point: QPoint | QPointF) -> list[ViewSpan]:
        offset = self.char_at(point)
        return [] if offset is None else self.spans_at(offset)

    def tooltip_html(self, point: QPoint | QPointF) -> str | None:
        """Rich text for the hover tooltip; every user-written value is escaped."""
        spans = self.spans_under(point)
        if not spans:
            return None
        parts = []
        for span in spans:
            head = (f"<b>{escape(span.label)}</b> &middot; {escape(span.annotator)}")
            if span.note:
                head += "<br>" + escape_lines(span.note)
            parts.append(head)
        return "<hr>".join(parts)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            html = self.tooltip_html(event.pos())
            if html is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), html, self.viewport())
            return True
        return super().viewportEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            spans = self.spans_under(event.position())
            hovered = spans[0].id if spans else ""
            if hovered != self._hovered:
                self._hovered = hovered
                self.annotationHovered.emit(hovered)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hovered:
            self._hovered = ""
            self.annotationHovered.emit("")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            # A drag selects text for a new annotation, not an existing one.
            self._clear_annotation_selection()
            return
        spans = self.spans_under(event.position())
        if spans:
            self._activate(spans[0].id)
        else:
            self._clear_annotation_selection()

    # -- keys -------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab normally moves focus away from a read-only editor; here it walks annotations.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
            if plain and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and len(self._index):
                backwards = key == Qt.Key.Key_Backtab or bool(
                    mods & Qt.KeyboardModifier.ShiftModifier)
                self.cycle_annotation(-1 if backwards else 1)
                event.accept()
                return True
        return super().event(event)

    def cycle_annotation(self, step: int) -> str | None:
        """Select the next (step 1) or previous (-1) annotation in text order, wrapping."""
        ordered = self._index.ordered()
        if not ordered:
            return None
        current = self._index.get(self._selected) if self._selected else None
        if current is not None:
            i = ordered.index(current) + step
        else:
            # From the caret: the first span starting at/after it, or the last one before it.
            here = self.position_to_offset(self.textCursor().selectionStart())
            after = next((k for k, p in enumerate(ordered) if p.span.start >= here), len(ordered))
            i = after if step > 0 else after - 1
        span_id = ordered[i % len(ordered)].span.id
        self._activate(span_id)
        return span_id

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Escape and mods == Qt.KeyboardModifier.NoModifier:
            cursor = self.textCursor()
            had_selection = cursor.hasSelection() or self._selected is not None
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self._clear_annotation_selection()
            if had_selection:
                event.accept()
            else:
                event.ignore()  # let a dialog or the window use it
            return
        if (mods == Qt.KeyboardModifier.ShiftModifier and self._selected is not None
                and not self.textCursor().hasSelection()
                and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)):
            self._request_resize(key)
            event.accept()
            return
        before = self.textCursor()
        super().keyPressEvent(event)
        after = self.textCursor()
        if (after.position(), after.anchor()) != (before.position(), before.anchor()):
            # The caret moved on (or a new text selection began): Shift+arrows must now
            # extend that selection rather than resize the annotation left behind.
            self._clear_annotation_selection()

    def _request_resize(self, key: int) -> None:
        placed = self._index.get(self._selected) if self._selected else None
        if placed is None:
            return
        span, text, word = placed.span, self._text, self._word_snapping
        start, end = span.start, span.end
        if key == Qt.Key.Key_Right:
            end = word_bounds.grow_end(text, start, end, word)
        elif key == Qt.Key.Key_Left:
            end = word_bounds.shrink_end(text, start, end, word)
        elif key == Qt.Key.Key_Up:
            start = word_bounds.grow_start(text, start, end, word)
        else:
            start = word_bounds.shrink_start(text, start, end, word)
        if (start, end) != (span.start, span.end):
            self.resizeRequested.emit(span.id, start, end)

    def placed(self, span_id: str) -> PlacedSpan | None:
        return self._index.get(span_id)


class _Frame(NamedTuple):
    """What the bands of one paint share."""

    shown: ShownBlocks
    context: QAbstractTextDocumentLayout.PaintContext
    selected: PlacedSpan | None


def paint_bands(region: QRegion) -> list[QRect]:
    """The horizontal bands a repaint of `region` paints, each on its own, top to bottom.

    A key press repaints a few bands (its line, the old outline's, a claim's mark), so
    the lines between them cost nothing. QRegion splits overlapping rectangles into
    y-banded pieces (a line and the mark at its end become three); pieces whose heights
    touch are one band here, as painting a band walks its lines' spans, marks and
    initials once whatever its width (the paint event's region still clips the pixels)."""
    bands: list[QRect] = []
    for rect in cast(Iterable[QRect], region):  # QRegion iterates over its rectangles
        if bands and rect.top() <= bands[-1].bottom() + 1:
            bands[-1] = bands[-1].united(rect)
        else:
            bands.append(QRect(rect))
    return bands if len(bands) <= MAX_BANDS else [region.boundingRect()]


def _line_meets(block: QTextBlock, rect: QRectF, position: int, clip: QRectF) -> bool:
    """Whether the line of `block` (at viewport `rect`) holding `position` reaches into
    `clip`: the caret is drawn only in the band that shows it (drawing it shapes its
    line again, ~0.1 ms in a long paragraph)."""
    line = block.layout().lineForTextPosition(position)
    if not line.isValid():
        return True
    top = rect.top() + line.y()
    return top <= clip.bottom() + 1 and top + line.height() >= clip.top() - 1
