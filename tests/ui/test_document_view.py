"""DocumentView: highlights in the right places, keys, mouse, tooltip, speed."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QRegion, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from ui.workspace.document_view import MAX_BANDS, DocumentView, ViewSpan, paint_bands
from ui.workspace.overlay import Link, Mark, Overlay
from ui.workspace.reading_style import PAPER

RED, BLUE, GREEN = "#d6604d", "#4393c3", "#5aae61"

TRICKY = ("Intro 😀 emoji, family 👩‍👩‍👧 here.\r\n"
          "中文文本 and e\u0301 combining\ttab   spaces.\r"
          "lone CR above\u2028line separator\u2029paragraph \ufeffend\n"
          "last line 🇫🇷 flag")


def span(span_id: str, text: str, phrase: str, color: str = RED, *, label: str = "claim",
         own: bool = True, note: str | None = None, annotator: str = "alice") -> ViewSpan:
    start = text.index(phrase)
    return ViewSpan(span_id, start, start + len(phrase), label, color, annotator, note, own)


def formats_in_core(view: DocumentView) -> list[tuple[int, int, QTextCharFormat]]:
    """The highlight runs painting draws in every block, as core (start, end, format)."""
    return [(view.position_to_offset(s), view.position_to_offset(e), QTextCharFormat(f))
            for s, e, f in view.highlight_formats()]


def layout_formats(view: DocumentView) -> int:
    """Character formats stored in the blocks' layouts (highlights never are)."""
    total = 0
    block = view.document().begin()
    while block.isValid():
        total += len(block.layout().formats())
        block = block.next()
    return total


def distance_from_paper(color: QColor) -> int:
    return (abs(color.red() - PAPER.red()) + abs(color.green() - PAPER.green())
            + abs(color.blue() - PAPER.blue()))


def test_widget_identity(document_view: DocumentView) -> None:
    assert document_view.objectName() == "documentView"
    assert document_view.accessibleName() == "Document text"
    assert document_view.isReadOnly()
    assert document_view.font().pointSizeF() >= 11


def test_highlights_cover_exactly_each_span_in_tricky_text(document_view: DocumentView) -> None:
    phrases = ["😀 emoji", "👩‍👩‍👧", "中文文本", "e\u0301 combining\ttab   spaces",
               "line separator", "paragraph \ufeffend", "🇫🇷 flag", "here.\r\n中文"]
    spans = [span(str(i), TRICKY, p) for i, p in enumerate(phrases)]
    document_view.set_document(TRICKY, spans)
    covered: set[int] = set()
    for s, e, _ in formats_in_core(document_view):
        assert not covered & set(range(s, e)), "format ranges never overlap"
        covered |= set(range(s, e))
    expected = {i for sp in spans for i in range(sp.start, sp.end)}
    # Block separators are not laid out, so Qt has nothing there to colour.
    expected -= {i for i, ch in enumerate(TRICKY) if ch in "\r\n\u2029"}
    assert covered == expected
    assert document_view.core_text() == TRICKY
    assert [s.id for s in document_view.spans()] == [s.id for s in sorted(
        spans, key=lambda s: (s.start, s.end, s.id))]


def test_overlaps_stack_tint_and_underline_the_inner_span(document_view: DocumentView) -> None:
    text = "Officials said the economy grew by three per cent last year."
    outer = span("outer", text, "Officials said the economy grew by three per cent", RED)
    inner = span("inner", text, "the economy grew", BLUE, label="fact")
    innermost = span("innermost", text, "economy", GREEN, label="source")
    document_view.set_document(text, [outer, inner, innermost])
    by_start = {s: f for s, _, f in formats_in_core(document_view)}
    alone = by_start[outer.start]
    two = by_start[inner.start]
    three = by_start[innermost.start]
    assert not alone.fontUnderline()
    assert two.fontUnderline() and three.fontUnderline()
    assert two.underlineColor() != three.underlineColor()
    depth = [distance_from_paper(f.background().color()) for f in (alone, two, three)]
    assert depth[0] < depth[1] < depth[2]
    assert len({f.background().color().name() for f in (alone, two, three)}) == 3


def test_colleague_span_is_lighter_and_dashed(document_view: DocumentView) -> None:
    text = "mine and theirs"
    mine = span("m", text, "mine", RED)
    theirs = span("t", text, "theirs", RED, own=False, annotator="bob")
    document_view.set_document(text, [mine, theirs])
    formats = {s: f for s, _, f in formats_in_core(document_view)}
    assert formats[theirs.start].underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    assert (distance_from_paper(formats[theirs.start].background().color())
            < distance_from_paper(formats[mine.start].background().color()))


def test_highlights_stay_out_of_document_and_undo(document_view: DocumentView) -> None:
    text = "alpha beta gamma"
    document_view.set_document(text, [span("a", text, "beta")])
    document_view.upsert_span(span("b", text, "gamma", BLUE))
    document_view.grab()
    assert formats_in_core(document_view)
    assert layout_formats(document_view) == 0
    assert not document_view.document().isUndoAvailable()
    assert "background-color" not in document_view.document().toHtml()


def test_upsert_and_remove_redraw_only_that_span(document_view: DocumentView) -> None:
    text = "\n".join(f"paragraph {i} with some words" for i in range(50))
    document_view.set_document(text, [])
    document_view.grab()
    start = text.index("paragraph 7")
    document_view.upsert_span(ViewSpan("x", start, start + 11, "claim", RED, "alice", None))
    assert [(s, e) for s, e, _ in formats_in_core(document_view)] == [(start, start + 11)]
    document_view.upsert_span(ViewSpan("x", start, start + 9, "fact", GREEN, "alice", None))
    assert [(s, e) for s, e, _ in formats_in_core(document_view)] == [(start, start + 9)]
    assert document_view.span("x").label == "fact"
    document_view.remove_span("x")
    assert formats_in_core(document_view) == []
    assert document_view.spans() == []


def test_blocks_are_highlighted_lazily_when_painted(document_view: DocumentView, qtbot) -> None:
    text = "\n".join(f"line {i} claim here" for i in range(3000))
    spans = [ViewSpan(str(i), text.index(f"line {i} "), text.index(f"line {i} ") + 4, "claim",
                      RED, "alice", None) for i in range(0, 3000, 10)]
    document_view.set_document(text, spans)
    document_view.grab()
    painted = document_view.highlighted_blocks()
    assert painted and painted[0] == 0, "visible blocks are highlighted at first paint"
    assert painted[-1] < 50
    document_view.moveCursor(QTextCursor.MoveOperation.End)
    document_view.ensureCursorVisible()
    document_view.grab()
    assert 2990 in document_view.highlighted_blocks()
    assert layout_formats(document_view) == 0


def test_first_paint_already_shows_the_highlights(document_view: DocumentView) -> None:
    text = "Highlighted words open the document. " * 40
    document_view.set_document(text, [ViewSpan("h", 0, 17, "claim", BLUE, "alice", None)])
    image = document_view.grab().toImage()  # the very first paint of this text
    rect = document_view.range_rects(*document_view.placed("h")[1:3])[0]
    corner = document_view.viewport().geometry().topLeft()
    inside = image.pixelColor(rect.topLeft().toPoint() + corner + QPoint(2, 2))
    after = image.pixelColor(corner + QPoint(int(rect.left()) + 2,
                                             document_view.viewport().height() - 5))
    assert distance_from_paper(inside) > 30
    assert distance_from_paper(after) < 6


def test_tooltip_escapes_notes_and_lists_every_span(document_view: DocumentView) -> None:
    text = "The minister said growth was strong."
    outer = span("o", text, "The minister said growth was strong", RED, note="<b>x</b>",
                 annotator="bob")
    inner = span("i", text, "minister", BLUE, label="source", note="a & b\nsecond line")
    document_view.set_document(text, [outer, inner])
    rect = document_view.range_rects(*document_view.placed("i")[1:3])[0]
    html = document_view.tooltip_html(rect.center())
    assert html is not None
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "a &amp; b<br>second line" in html
    assert html.index("source") < html.index("claim")  # topmost first
    assert "bob" in html and "alice" in html
    blank = document_view.viewport().rect().bottomRight() - QPoint(5, 5)
    assert document_view.tooltip_html(blank) is None


def test_click_selects_the_shortest_span_under_the_mouse(document_view: DocumentView,
                                                         qtbot) -> None:
    text = "The minister said growth was strong."
    outer = span("o", text, "The minister said growth was strong", RED)
    inner = span("i", text, "minister", BLUE)
    document_view.set_document(text, [outer, inner])
    point = document_view.range_rects(*document_view.placed("i")[1:3])[0].center().toPoint()
    with qtbot.waitSignal(document_view.annotationActivated) as blocker:
        qtbot.mouseClick(document_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["i"]
    assert document_view.selected_annotation() == "i"
    point = document_view.range_rects(*document_view.placed("o")[1:3])[0].topLeft().toPoint()
    qtbot.mouseClick(document_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=point + QPoint(3, 5))
    assert document_view.selected_annotation() == "o"
    blank = document_view.viewport().rect().bottomRight() - QPoint(5, 5)
    with qtbot.waitSignal(document_view.annotationSelectionCleared):
        qtbot.mouseClick(document_view.viewport(), Qt.MouseButton.LeftButton, pos=blank)
    assert document_view.selected_annotation() is None


def test_tab_cycles_annotations_in_text_order(document_view: DocumentView, qtbot) -> None:
    text = "one two three four"
    spans = [span("c", text, "three"), span("a", text, "one"), span("b", text, "two")]
    document_view.set_document(text, spans)
    document_view.setFocus()
    seen = []
    document_view.annotationActivated.connect(seen.append)
    for _ in range(4):
        qtbot.keyClick(document_view, Qt.Key.Key_Tab)
    assert seen == ["a", "b", "c", "a"]
    qtbot.keyClick(document_view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert seen[-1] == "c"
    assert document_view.hasFocus(), "Tab must not move focus away"
    with qtbot.waitSignal(document_view.annotationSelectionCleared):
        qtbot.keyClick(document_view, Qt.Key.Key_Escape)
    assert document_view.selected_annotation() is None
    # Without a selected annotation, Tab starts from the caret.
    document_view.set_selection_range(text.index("two") + 1, text.index("two") + 1)
    qtbot.keyClick(document_view, Qt.Key.Key_Tab)
    assert seen[-1] == "c"
    qtbot.keyClick(document_view, Qt.Key.Key_Escape)
    document_view.set_selection_range(text.index("two") + 1, text.index("two") + 1)
    qtbot.keyClick(document_view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert seen[-1] == "b"


def test_shift_arrows_request_resizes(document_view: DocumentView, qtbot) -> None:
    text = "alpha beta gamma delta"
    document_view.set_document(text, [span("s", text, "beta gamma")])
    document_view.select_annotation("s")
    document_view.setFocus()
    requests = []
    document_view.resizeRequested.connect(lambda *args: requests.append(args))
    shift = Qt.KeyboardModifier.ShiftModifier
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Down):
        qtbot.keyClick(document_view, key, shift)
    b, g = text.index("beta"), text.index("gamma")
    assert requests == [("s", b, len("alpha beta gamma delta")), ("s", b, b + 4),
                        ("s", 0, g + 5), ("s", g, g + 5)]
    document_view.set_word_snapping(False)
    assert not document_view.word_snapping()
    requests.clear()
    qtbot.keyClick(document_view, Qt.Key.Key_Right, shift)
    qtbot.keyClick(document_view, Qt.Key.Key_Down, shift)
    assert requests == [("s", b, g + 6), ("s", b + 1, g + 5)]
    assert document_view.span("s") == span("s", text, "beta gamma"), "the view waits for upsert"


def test_keyboard_selection_reads_back_exact_core_text(document_view: DocumentView,
                                                       qtbot) -> None:
    document_view.set_document(TRICKY, [])
    document_view.set_word_snapping(False)
    document_view.setFocus()
    start = TRICKY.index("here.")
    document_view.set_selection_range(start, start)
    for _ in range(12):
        qtbot.keyClick(document_view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    got = document_view.selection_range()
    assert got is not None
    assert TRICKY[got[0]:got[1]] == "here.\r\n中文文本 a"
    expected = document_view.textCursor().selectedText().replace("\u2029", "\r\n")
    assert TRICKY[got[0]:got[1]] == expected


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_set_and_read_selection_round_trip(document_view: DocumentView,
                                           data: st.DataObject) -> None:
    if document_view.core_text() != TRICKY:
        document_view.set_document(TRICKY, [])
    document_view.set_word_snapping(False)
    start = data.draw(st.integers(0, len(TRICKY) - 1))
    end = data.draw(st.integers(start + 1, len(TRICKY)))
    document_view.set_selection_range(start, end)
    got = document_view.selection_range()
    if not TRICKY[start:end].strip():
        assert got is None
        return
    assert got is not None
    lo, hi = got
    assert lo <= start and hi >= end  # only ever widened, to whole characters
    assert hi - lo <= end - start + 8
    # The widened range is stable and is exactly what Qt shows as selected.
    document_view.set_selection_range(lo, hi)
    assert document_view.selection_range() == got
    shown = TRICKY[lo:hi].replace("\r\n", "\u2029").replace("\r", "\u2029")
    shown = shown.replace("\n", "\u2029").replace("\ufeff", "\u2060")
    assert document_view.textCursor().selectedText() == shown


def test_word_snapping_widens_to_words_and_rejects_blank(document_view: DocumentView) -> None:
    text = "The well-known minister's claim   was wrong."
    document_view.set_document(text, [])
    assert document_view.word_snapping()
    s = text.index("ell-kn")
    document_view.set_selection_range(s, s + 6)
    got = document_view.selection_range()
    assert got is not None and text[got[0]:got[1]] == "well-known"
    s = text.index("inister")
    document_view.set_selection_range(s, s + 12)
    got = document_view.selection_range()
    assert got is not None and text[got[0]:got[1]] == "minister's claim"
    s = text.index("   ")
    document_view.set_selection_range(s, s + 3)
    assert document_view.selection_range() is None
    document_view.set_word_snapping(False)
    document_view.set_selection_range(s, s + 3)
    assert document_view.selection_range() is None


def test_selected_annotation_is_outlined(document_view: DocumentView) -> None:
    text = "Nothing here. The claim that matters is here."
    document_view.set_document(text, [span("c", text, "The claim that matters", RED)])
    before = document_view.grab().toImage()
    document_view.select_annotation("c")
    assert document_view.selected_annotation() == "c"
    after = document_view.grab().toImage()
    rect = document_view.range_rects(*document_view.placed("c")[1:3])[0]
    edge = rect.topLeft().toPoint() + QPoint(int(rect.width() / 2), 0)
    changed = [after.pixelColor(edge + QPoint(0, dy)) != before.pixelColor(edge + QPoint(0, dy))
               for dy in range(-2, 3)]
    assert any(changed)
    document_view.remove_span("c")
    assert document_view.selected_annotation() is None


def test_find_matches_are_kept_in_core_offsets(document_view: DocumentView) -> None:
    text = "😀 cat, 👩‍👩‍👧 cat\r\ncat"
    document_view.set_document(text, [])
    matches = [(i, i + 3) for i in range(len(text)) if text.startswith("cat", i)]
    document_view.set_find_matches(matches, 1)
    assert document_view.find_matches() == matches
    got = document_view.textCursor()
    assert got.selectedText() == "cat"
    assert document_view.position_to_offset(got.selectionStart()) == matches[1][0]
    document_view.set_find_matches([], None)
    assert document_view.find_matches() == []


def test_offset_helpers_use_the_map(document_view: DocumentView) -> None:
    document_view.set_document("😀a\r\nb", [])
    assert document_view.offset_to_position(1) == 2
    assert document_view.offset_to_position(4) == 4
    assert document_view.position_to_offset(4) == 4
    assert document_view.position_to_offset(3) == 2


def test_clear_document(document_view: DocumentView) -> None:
    document_view.set_document("text", [ViewSpan("a", 0, 4, "claim", RED, "alice", None)])
    document_view.select_annotation("a")
    document_view.clear_document()
    assert document_view.core_text() == "" and document_view.spans() == []
    assert document_view.selected_annotation() is None
    assert document_view.toPlainText() == ""


def megabyte(one_paragraph: bool) -> tuple[str, list[ViewSpan]]:
    rng = random.Random(3)
    words = ["the", "minister", "said", "growth", "was", "strong", "according", "to",
             "official", "data", "😀", "中文"]
    paragraphs = []
    size = 0
    while size < 1_000_000:
        p = " ".join(rng.choice(words) for _ in range(rng.randint(20, 150)))
        paragraphs.append(p)
        size += len(p) + 2
    text = (" " if one_paragraph else "\r\n").join(paragraphs)
    spans = []
    for i in range(10_000):
        s = rng.randrange(len(text) - 200)
        spans.append(ViewSpan(str(i), s, s + rng.randint(3, 150), "claim", RED, "alice", None))
    return text, spans


def laid_out_characters(view: DocumentView) -> int:
    block = view.document().begin()
    total = 0
    while block.isValid():
        if block.layout().lineCount():
            total += block.length()
        block = block.next()
    return total


@pytest.mark.parametrize("one_paragraph", [False, True], ids=["paragraphs", "one-paragraph"])
def test_megabyte_document_lays_out_and_formats_only_what_is_shown(
        document_view: DocumentView, one_paragraph: bool) -> None:
    # Timing lives in `python -m benchmarks`; here the work itself is bounded: whatever the
    # shape of the text, opening lays out and highlights a screenful, not the document.
    text, spans = megabyte(one_paragraph)
    document_view.set_document(text, spans)
    document_view.grab()
    QApplication.processEvents()
    assert len(document_view.spans()) == 10_000
    assert laid_out_characters(document_view) < 20_000  # a few screenfuls of the megabyte
    assert 0 < len(document_view.highlighted_blocks()) < 10
    assert layout_formats(document_view) == 0


@pytest.mark.parametrize("one_paragraph", [False, True], ids=["paragraphs", "one-paragraph"])
def test_a_key_press_lays_out_nothing_and_repaints_only_its_lines(
        document_view: DocumentView, qtbot, one_paragraph: bool) -> None:
    text, spans = megabyte(one_paragraph)
    document_view.set_document(text, spans)
    document_view.grab()
    QApplication.processEvents()
    relaid: list[int] = []
    document_view.document().documentLayout().updateBlock.connect(
        lambda block: relaid.append(block.blockNumber()))
    document_view.document().contentsChange.connect(lambda *args: relaid.append(-1))
    painted = QRegion()

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            nonlocal painted
            if event.type() == QEvent.Type.Paint:
                painted += event.region()  # type: ignore[attr-defined]
            return False

    paints = Paints()
    document_view.viewport().installEventFilter(paints)
    start = text.index(" said ") + 1
    document_view.upsert_span(ViewSpan("new", start, start + 4, "fact", GREEN, "alice", None))
    document_view.select_annotation("new", scroll=False)
    qtbot.waitUntil(lambda: not painted.isEmpty())
    document_view.viewport().removeEventFilter(paints)
    assert relaid == [], "no block is laid out again: highlights are painted, not stored"
    line = document_view.range_rects(*document_view.placed("new")[1:3])[0]
    # The word's own line, and what its outline reaches: not the paragraph, not the screen.
    assert painted.boundingRect().height() <= 2 * line.height()
    assert painted.boundingRect().width() < document_view.viewport().width() / 2
    assert any(s == start for s, _, _ in formats_in_core(document_view))


@pytest.mark.parametrize("one_paragraph", [False, True], ids=["paragraphs", "one-paragraph"])
def test_the_lines_repainted_after_edits_match_a_full_repaint(
        document_view: DocumentView, one_paragraph: bool) -> None:
    """Partial repaints leave nothing stale: what is on screen after a tag, a colleague's
    tag, a removal, a new selection and a new unsourced claim is what a full paint draws."""
    text = ("Officials said the economy grew by three per cent. Mine and theirs are here. "
            * 60).strip()
    if not one_paragraph:
        text = text.replace(". Mine", ".\n\nMine")
    spans = [ViewSpan(str(i), i * 50, i * 50 + 20, "claim", RED, "alice" if i % 3 else "bob",
                      None, own=bool(i % 3)) for i in range(40)]
    document_view.set_document(text, spans)
    document_view.set_overlay(Overlay(unsourced=(Mark(50, 70, RED, "claim"),)))
    QApplication.processEvents()
    document_view.upsert_span(ViewSpan("new", 105, 130, "fact", BLUE, "alice", None))
    document_view.upsert_span(ViewSpan("col", 205, 230, "fact", GREEN, "bob", None, False))
    document_view.upsert_span(ViewSpan("1", 48, 75, "source", GREEN, "alice", None))
    document_view.select_annotation("new", scroll=False)
    document_view.remove_span("3")
    document_view.set_overlay(Overlay(unsourced=(Mark(105, 130, BLUE, "fact"),)))
    QApplication.processEvents()
    on_screen = QApplication.primaryScreen().grabWindow(document_view.winId()).toImage()
    full = document_view.grab().toImage()
    assert on_screen.convertToFormat(full.format()) == full


def test_one_paragraph_highlights_exactly_as_paragraphs(document_view: DocumentView) -> None:
    rng = random.Random(5)
    words = [rng.choice(["alpha", "beta", "😀", "中文", "e\u0301"]) for _ in range(6_000)]
    one = " ".join(words)
    spans = []
    for i in range(400):
        s = rng.randrange(len(one) - 300)
        spans.append(ViewSpan(str(i), s, s + rng.randint(1, 300), "claim",
                              (RED, BLUE, GREEN)[i % 3], "alice", None, own=i % 4 != 0))
    document_view.set_document(one, spans)
    assert document_view.document().blockCount() > 3, "the paragraph is shown in pieces"
    got = per_character(document_view)
    # The reference: the same spans over the same text cut into real paragraphs.
    paragraphs = "".join("\n" if ch == " " and i % 997 == 0 else ch for i, ch in enumerate(one))
    reference = DocumentView()
    reference.resize(900, 600)
    reference.set_document(paragraphs, spans)
    expected = per_character(reference)
    separators = {i for i, ch in enumerate(paragraphs) if ch == "\n"}
    soft = {s - 1 for view in (document_view, reference)
            for s in view._index.display.soft_starts}
    assert len(got) > len(one) / 2
    for i in range(len(one)):
        if i not in separators and i not in soft:
            assert got.get(i) == expected.get(i), i
    reference.deleteLater()


def per_character(view: DocumentView) -> dict[int, tuple[str, bool, str, str]]:
    out = {}
    for s, e, f in formats_in_core(view):
        look = (f.background().color().name(), f.fontUnderline(), f.underlineStyle().name,
                f.underlineColor().name())
        for i in range(s, e):
            out[i] = look
    return out


def test_copy_gives_the_core_text_across_a_soft_break(document_view: DocumentView) -> None:
    text = " ".join(f"w{i}" for i in range(5_000)) + " \ufeffend"
    document_view.set_document(text, [])
    soft = document_view._index.display.soft_starts[0]
    document_view.set_selection_range(soft - 20, len(text))
    document_view.copy()
    assert QApplication.clipboard().text() == text[soft - 20:]


def test_a_repaint_paints_each_run_of_touching_rectangles_once() -> None:
    # A tagged word's line and the claim mark at its end: Qt's region splits them into
    # three y-banded rectangles, painted here as one band; a far line is a band of its own.
    line, mark, far = QRect(50, 100, 300, 20), QRect(345, 94, 11, 11), QRect(40, 300, 100, 20)
    region = QRegion(line) + QRegion(mark) + QRegion(far)
    assert region.rectCount() == 4
    assert paint_bands(region) == [line.united(mark), far]
    apart = QRegion()
    for i in range(MAX_BANDS + 1):
        apart += QRect(0, 40 * i, 10, 10)
    assert paint_bands(apart) == [apart.boundingRect()]


def _on_screen_is_a_full_paint(view: DocumentView) -> bool:
    """What partial repaints left in the text's viewport equals a fresh paint of it all
    (the scroll bar may lag: QPlainTextEdit lays out the rest of the document lazily),
    and that equals a paint that finds the blocks on screen, and all that is kept with
    them (initials, claims' badges), again."""
    QApplication.processEvents()
    on_screen = QApplication.primaryScreen().grabWindow(view.winId()).toImage()
    full = view.grab().toImage()
    view._shown = None  # what the view keeps between paints is found again
    fresh = view.grab().toImage()
    area = view.viewport().geometry()
    return (on_screen.convertToFormat(full.format()).copy(area) == full.copy(area)
            and fresh.copy(area) == full.copy(area))


@pytest.mark.parametrize("one_paragraph", [False, True], ids=["paragraphs", "one-paragraph"])
def test_presses_scrolls_and_resizes_repaint_every_layer_as_a_full_paint(
        document_view: DocumentView, one_paragraph: bool) -> None:
    """The paint finds what its bands share once, and keeps the blocks on screen, the
    colleagues' initials and the claims' badges between paints: after each step (a press
    with a text selection and the caret, a colleague's tag, a claim sourced, a scroll, a
    resize, another font) the screen shows exactly what a full paint draws, with nested own
    spans, colleagues' dashed ones, unsourced claims, a link and the selected outline."""
    sentence = "Officials said the economy grew by three per cent. Mine and theirs are here. "
    text = (sentence * 90).strip()
    if not one_paragraph:
        text = text.replace(". Mine", ".\n\nMine")
    starts = [i for i in range(len(text)) if text.startswith("Officials", i)]
    spans = []
    for n, at in enumerate(starts):
        economy = at + sentence.index("economy")
        mine = text.index("Mine", at)
        spans += [ViewSpan(f"e{n}", economy, economy + 12, "claim", RED, "alice", None),
                  ViewSpan(f"g{n}", economy + 8, economy + 12, "fact", BLUE, "alice", None),
                  ViewSpan(f"m{n}", mine, mine + 15, "source", GREEN, "bob", None, own=False)]
    document_view.set_document(text, spans)
    claims = tuple(Mark(s.start, s.end, s.color, s.label) for s in spans[::3])
    link = Link(Mark(spans[0].start, spans[0].end, RED, "claim"),
                Mark(spans[5].start, spans[5].end, GREEN, "source"), "attributed_to")
    document_view.set_overlay(Overlay(links=(link,), unsourced=claims))
    document_view.select_annotation("e0", scroll=False)
    assert _on_screen_is_a_full_paint(document_view)
    for n, at in enumerate(starts[:12]):
        word = "per cent" if n % 2 else "Officials"
        start = text.index(word, at)
        document_view.set_selection_range(start, start + len(word))
        QApplication.processEvents()
        own = n % 3 != 2
        document_view.upsert_span(ViewSpan(f"new{n}", start, start + len(word), "claim",
                                           BLUE if own else RED, "alice" if own else "carol",
                                           None, own=own))
        document_view.select_annotation(f"new{n}", scroll=False)
        cursor = document_view.textCursor()
        cursor.setPosition(document_view.offset_to_position(start + len(word)))
        document_view.setTextCursor(cursor)
        claims = (*claims[1:], Mark(start, start + len(word), BLUE, "claim"))  # one sourced
        document_view.set_overlay(Overlay(links=(link,), unsourced=tuple(
            sorted(claims, key=lambda m: (m.start, m.end)))))
        assert _on_screen_is_a_full_paint(document_view), n
        if n == 4:
            document_view.verticalScrollBar().setValue(document_view.verticalScrollBar()
                                                        .value() + 37)
            assert _on_screen_is_a_full_paint(document_view)
        if n == 7:
            document_view.remove_span("m1")
            document_view.resize(760, 560)
            assert _on_screen_is_a_full_paint(document_view)
        if n == 9:
            font = document_view.font()
            font.setPointSizeF(font.pointSizeF() + 2)
            document_view.set_reading_font(font)
            assert _on_screen_is_a_full_paint(document_view)


def test_text_handed_over_as_utf16_units_shows_as_the_stock_path(
        document_view: DocumentView) -> None:
    # set_document gives Qt the text with surrogate pairs as code points (cheaper for
    # PySide to convert): Qt must hold and paint the very same text.
    text = ("Emoji \U0001f600 mid text, a math letter \U0001d518 and \U0001f600 again. "
            "Second sentence with caf\u00e9 and \u4e2d\u6587.\n\n") * 30
    spans = [span("e", text, "\U0001f600 mid text"), span("m", text, "\U0001d518 and")]
    document_view.set_document(text, spans)
    assert max(document_view._index.qt_text) <= "\uffff"
    ours = document_view.grab().toImage()
    held = document_view.toPlainText()
    # The stock path: the display text's code points, converted by PySide as they are.
    QPlainTextEdit.setPlainText(document_view, document_view._index.display.text)
    assert document_view.toPlainText() == held
    assert document_view.grab().toImage() == ours
    assert document_view.offset_to_position(text.index("and \U0001f600")) == \
        text.index("and \U0001f600") + 2
