"""FindBar: all matches shown in the view, Enter / Shift+Enter walk them, Escape closes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.workspace.document_view import DocumentView
from ui.workspace.find_bar import MAX_MATCHES, FindBar, find_all

TEXT = "Cat 😀 sat. The cat\r\nand 👩‍👩‍👧 the CAT; concatenate."


@pytest.fixture
def bar(qtbot, document_view: DocumentView) -> Iterator[FindBar]:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    find_bar = FindBar(document_view, host)
    layout.addWidget(find_bar)
    document_view.set_document(TEXT, [])
    host.show()
    find_bar.open_bar()
    yield find_bar  # the host must outlive the test, so keep it referenced here


def expected(needle: str, case: bool = False) -> list[tuple[int, int]]:
    hay, pin = (TEXT, needle) if case else (TEXT.lower(), needle.lower())
    return [(i, i + len(needle)) for i in range(len(TEXT)) if hay.startswith(pin, i)]


def test_names(bar: FindBar) -> None:
    assert bar.objectName() == "findBar"
    assert isinstance(bar.findChild(QLineEdit, "findInput"), QLineEdit)
    assert bar.accessibleName() and bar.line_edit().accessibleName()


def test_typing_shows_every_match_in_the_view(bar: FindBar, document_view: DocumentView,
                                              qtbot) -> None:
    qtbot.keyClicks(bar.line_edit(), "cat")
    assert bar.matches() == expected("cat") and len(bar.matches()) == 4
    assert document_view.find_matches() == expected("cat")
    assert bar.count_text() == "1 of 4"
    for s, e in bar.matches():
        assert TEXT[s:e].lower() == "cat"


def test_enter_and_shift_enter_walk_and_wrap(bar: FindBar, document_view: DocumentView,
                                             qtbot) -> None:
    qtbot.keyClicks(bar.line_edit(), "cat")
    starts = [s for s, _ in expected("cat")]
    seen = []
    for _ in range(4):
        qtbot.keyClick(bar.line_edit(), Qt.Key.Key_Return)
        seen.append(bar.current())
    assert seen == [1, 2, 3, 0]
    qtbot.keyClick(bar.line_edit(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.current() == 3 and bar.count_text() == "4 of 4"
    cursor = document_view.textCursor()
    assert document_view.position_to_offset(cursor.selectionStart()) == starts[3]
    assert document_view.selection_range() is not None


def test_case_sensitivity_and_no_match(bar: FindBar, qtbot) -> None:
    qtbot.keyClicks(bar.line_edit(), "CAT")
    assert len(bar.matches()) == 4
    bar.findChild(QWidget, "findCase").setChecked(True)
    assert bar.matches() == expected("CAT", case=True) == [(TEXT.index("CAT"),
                                                           TEXT.index("CAT") + 3)]
    bar.line_edit().setText("dog")
    assert bar.matches() == [] and bar.count_text() == "No matches"


def test_escape_closes_and_clears_matches(bar: FindBar, document_view: DocumentView,
                                          qtbot) -> None:
    qtbot.keyClicks(bar.line_edit(), "the")
    assert document_view.find_matches()
    with qtbot.waitSignal(bar.closed):
        qtbot.keyClick(bar.line_edit(), Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert document_view.find_matches() == []


def test_find_all_caps_and_escapes_patterns() -> None:
    assert find_all("a.b a+b", ".") == [(1, 2)]
    assert find_all("x" * (MAX_MATCHES + 10), "x") == [(i, i + 1) for i in range(MAX_MATCHES)]
    assert find_all("abc", "") == []
