"""ShownBlocks: the blocks on screen keep their shaped text between paints."""

from __future__ import annotations

from ui.workspace.document_view import DocumentView
from ui.workspace.span_index import ViewSpan
from ui.workspace.text_geometry import ShownBlocks


def test_shown_blocks_keep_their_shaped_text(document_view: DocumentView) -> None:
    # Qt drops a block's itemized, shaped text after each draw unless its layout caches
    # it; a key press then asked a long block about its lines, and Qt shaped it again.
    text = "\n".join(f"paragraph {n} " + "word " * 80 for n in range(200))
    document_view.set_document(text, [ViewSpan("a", 0, 9, "claim", "#d6604d", "alice", None)])
    document_view.viewport().repaint()
    shown = ShownBlocks(document_view)
    assert shown.blocks
    assert all(block.layout().cacheEnabled() for block in shown.blocks)
    below = document_view.document().findBlockByNumber(shown.blocks[-1].blockNumber() + 50)
    assert not below.layout().cacheEnabled()  # off screen: left as Qt keeps it


def test_the_blocks_between_two_heights_are_those_whose_rectangles_reach_there(
        document_view: DocumentView) -> None:
    # Found by bisection over the shown blocks' tops and bottoms: the same blocks as a
    # scan of their rectangles, for bands on a block's edge, inside one, across several.
    text = "\n".join(f"paragraph {n} " + "word " * (n % 7 * 15) for n in range(200))
    document_view.set_document(text, [])
    document_view.verticalScrollBar().setValue(13)
    document_view.viewport().repaint()
    shown = ShownBlocks(document_view)
    assert len(shown.blocks) > 5
    edges = [y for r in shown.rects for y in (r.top(), r.bottom())]
    for top in [-20.0, 0.0, *edges[:12], 250.5]:
        for height in (0.0, 1.0, 24.0, 300.0):
            bottom = top + height
            expected = [i for i, r in enumerate(shown.rects)
                        if r.bottom() >= top and r.top() <= bottom]
            assert list(shown.between(top, bottom)) == expected, (top, bottom)
