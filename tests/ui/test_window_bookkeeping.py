"""What a key press does to the window around the text: status texts, the document list,
the undo actions. Each stays exact while doing no more than the press changed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.ui import window_fixtures as fx
from ui.main_window import MainWindow

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


tag = fx.tag_phrase


class EventLog(QObject):
    """How many events of each type each watched widget received."""

    def __init__(self, widgets: dict[str, QWidget]) -> None:
        super().__init__()
        self.names = {id(widget): name for name, widget in widgets.items()}
        self.seen: dict[tuple[str, QEvent.Type], int] = {}
        for widget in widgets.values():
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        name = self.names.get(id(watched))
        if name is not None:
            key = (name, event.type())
            self.seen[key] = self.seen.get(key, 0) + 1
        return False

    def count(self, name: str, kind: QEvent.Type) -> int:
        return self.seen.get((name, kind), 0)


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_a_new_count_of_the_same_width_lays_nothing_out_again(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    status = window.status
    # Two claims already: the press below changes the texts' digits, not their widths.
    tag(window, "the new bridge will open in May", "claim")
    tag(window, "the budget was doubled", "claim")
    QApplication.processEvents()
    QApplication.processEvents()  # what the first pass posted (the bar's relayout)
    place = window_rect(status.counts_label, window)
    log = EventLog({"status bar": status, "window": window})

    tag(window, "the city engineer", "claim")
    QApplication.processEvents()
    QApplication.processEvents()

    assert status.counts_label.text() == "3 annotations  ·  3 claim  ·  0 source  ·  0 fact"
    assert status.unsourced_label.text() == "3 claims without a source"
    assert log.count("status bar", QEvent.Type.LayoutRequest) == 0, log.seen
    assert log.count("window", QEvent.Type.LayoutRequest) == 0, log.seen
    assert window_rect(status.counts_label, window) == place
    # The labels are opaque: what lies beneath them is not painted again.
    assert log.count("status bar", QEvent.Type.Paint) == 0, log.seen
    assert log.count("window", QEvent.Type.Paint) == 0, log.seen


def test_a_status_text_that_grows_or_shrinks_is_laid_out_in_the_same_pass(
        open_window: MainWindow) -> None:
    status = open_window.status
    QApplication.processEvents()
    label = status.counts_label
    before = label.width()
    short = label.text()
    label.setText(short + "  ·  " + "many more words " * 4)
    QApplication.processEvents()  # one pass, as when the label sat on the bar itself
    assert label.width() == label.sizeHint().width() > before + 100
    assert (window_rect(label, open_window).right()
            < window_rect(status.user_label, open_window).left())
    label.setText(short)
    QApplication.processEvents()
    assert label.width() == before


def test_status_labels_in_their_slots_look_as_on_the_bar(
        qtbot: QtBot, open_window: MainWindow) -> None:
    """The same pixels and places as the stock layout: the labels moved back onto the bar
    itself, as QStatusBar has them, and transparent again."""
    window = open_window
    status = window.status
    tag(window, "the new bridge will open in May", "claim")
    QApplication.processEvents()
    assert status.unsourced_label.isVisible()
    labels = [status.counts_label, status.unsourced_label]
    slotted = window.grab().toImage()
    places = [window_rect(label, window) for label in labels]

    for index, label in enumerate(labels):
        slot = label.parentWidget()
        assert slot is not None and slot is not status
        status.removeWidget(slot)
        slot.hide()
        label.setParent(status)
        label.setAutoFillBackground(False)
        status.insertPermanentWidget(1 + index, label)
        label.show()
    QApplication.processEvents()
    QApplication.processEvents()

    assert [window_rect(label, window) for label in labels] == places
    assert window.grab().toImage() == slotted


def test_the_unsourced_count_shows_and_hides_with_its_place(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    status = window.status
    label = status.unsourced_label
    assert label.isHidden()
    claim = tag(window, "the new bridge will open in May", "claim")
    QApplication.processEvents()
    assert label.isVisible() and label.text() == "1 claim without a source"
    assert label.width() == label.sizeHint().width()
    source = tag(window, "the city engineer", "source")
    window.project.add_relation(claim, source, "attributed_to")
    qtbot.waitUntil(lambda: window.links.unsourced_count() == 0)
    QApplication.processEvents()
    assert label.isHidden()
    slot = label.parentWidget()
    assert slot is not None and slot.isHidden()
    # The counts label takes the room the hidden one left.
    counts = window_rect(status.counts_label, window)
    assert counts.right() < window_rect(status.user_label, window).left()
    # Back, with a text set while it was hidden: laid out at that text's size.
    window.undo_stack.undo()  # the source tag goes, and with it the link
    qtbot.waitUntil(lambda: window.links.unsourced_count() == 1)
    QApplication.processEvents()
    assert label.isVisible() and label.width() == label.sizeHint().width()


def test_the_saved_tooltip_is_set_when_its_text_changes(
        qtbot: QtBot, open_window: MainWindow) -> None:
    status = open_window.status
    save: QLabel = status.save_label
    changes: list[str] = []

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.ToolTipChange:
                changes.append(save.toolTip())
            return False

    watch = Watch()
    save.installEventFilter(watch)
    status.set_saved(True, "Last change saved at 10:00:00")
    status.set_saved(True, "Last change saved at 10:00:00")
    status.set_saved(True, "Last change saved at 10:00:01")
    status.set_saved(False, "refused")
    status.set_saved(True, "Last change saved at 10:00:01")
    assert len(changes) == 4
    assert "10:00:01" in save.toolTip() and save.text() == "All changes saved"


def test_a_label_key_shows_the_status_counts_once_and_other_changes_still_show_them(
        qtbot: QtBot, open_window: MainWindow, document_ids: list[str]) -> None:
    window = open_window
    status = window.status
    shown: list[str] = []
    set_counts = status.set_counts

    def counting(*args: object) -> None:
        set_counts(*args)  # type: ignore[arg-type]
        shown.append(status.counts_label.text())

    status.set_counts = counting  # type: ignore[method-assign]
    tag(window, "the new bridge will open in May", "claim")
    assert shown == ["1 annotation  ·  1 claim  ·  0 source  ·  0 fact"]
    # A change the open document's annotations are not part of (a new label) is
    # shown too, once, by the window's refresh point.
    shown.clear()
    window.project.add_label("quote", "#123456")
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[-1].endswith("·  0 quote")
    assert "1 claim" in status.counts_label.text()


def test_a_selection_moving_between_tags_without_links_leaves_the_overlay(
        qtbot: QtBot, open_window: MainWindow) -> None:
    window = open_window
    first = tag(window, "the new bridge will open in May", "claim")
    emitted: list[int] = []
    window.links.overlayChanged.connect(lambda: emitted.append(1))
    overlay = window.view.overlay()
    second = tag(window, "the budget was doubled", "claim")  # a new claim: its mark
    assert window.view.selected_annotation() == second
    assert len(emitted) == 1 and window.view.overlay() != overlay
    emitted.clear()
    window.editing.select(first)  # neither has links: nothing to draw or to clear
    assert emitted == []
    # With a link, selecting either end draws it, and moving away clears it.
    source = tag(window, "the city engineer", "source")
    window.project.add_relation(first, source, "attributed_to")
    qtbot.waitUntil(lambda: bool(window.links.relations))
    window.editing.select(first)
    assert len(window.view.overlay().links) == 1
    window.editing.select(second)
    assert window.view.overlay().links == ()
    window.editing.select(source)
    assert len(window.view.overlay().links) == 1
    window.editing.select(second)
    assert window.view.overlay().links == ()
