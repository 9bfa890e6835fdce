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
