"""Status bar: who is annotating, the open document's counts, and whether all is saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from annotator.records import LabelRecord
from ui.widgets.plain_text import make_plain, tooltip

SAVED = "All changes saved"


class _Slot(QWidget):
    """Where a status label whose text follows every key press sits.

    The bar lays the slot out exactly as it would the label (the slot's size hints and
    policy are the label's, and the label fills it). QLabel.setText asks the label's parent
    for a relayout on every new text: asked directly, QStatusBar lays out all its items
    again, measuring each changed text anew (~0.2 ms a key press). Asked here, the request
    goes on to the bar only when the label's size hints changed: "41 claims" becoming
    "42 claims" repaints the label alone.
    """

    def __init__(self, label: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        # Opaque (filled with the window colour the bar shows beneath it; tested pixel for
        # pixel): a new text repaints the label, not the bar and the window under it.
        label.setAutoFillBackground(True)
        self.setSizePolicy(label.sizePolicy())
        self.setVisible(not label.isHidden())
        self._hints = self._label_hints()  # as the bar's layout last saw them

    def _label_hints(self) -> tuple[QSize, QSize]:
        return self.label.sizeHint(), self.label.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.label.minimumSizeHint()

    def show_label(self, visible: bool) -> None:
        """Show or hide the label, and with it its place in the bar."""
        self.label.setVisible(visible)
        self.setVisible(visible)

    def follow_label(self) -> None:
        """The bar lays the label out again if its size hints changed (at once, as it
        would for the label itself: the same event-loop pass that paints the new text)."""
        if self.label.isHidden():
            self.hide()
            return
        hints = self._label_hints()
        if hints != self._hints:
            self._hints = hints
            self.updateGeometry()

    def showEvent(self, event: QShowEvent) -> None:
        # Hidden, the label asked nobody; shown, the bar lays out its hints as they are now.
        self._hints = self._label_hints()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.label.setGeometry(self.rect())

    def event(self, event: QEvent) -> bool:
        # The label asks for a relayout after any change that may resize it (a new text,
        # font, style, margins, ...); a text set through _SlotLabel was followed already.
        if event.type() == QEvent.Type.LayoutRequest:
            self.follow_label()
            return True
        return super().event(event)


class _SlotLabel(QLabel):
    """A status label in a _Slot: a new text is followed at once."""

    def setText(self, text: str) -> None:
        super().setText(text)
        slot = self.parentWidget()
        if isinstance(slot, _Slot):
            slot.follow_label()


class AnnotatorStatusBar(QStatusBar):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setAccessibleName("Status")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("statusUser")
        self.counts_label = _SlotLabel(self)
        self.counts_label.setObjectName("statusCounts")
        self.unsourced_label = _SlotLabel(self)
        self.unsourced_label.setObjectName("statusUnsourced")
        self.unsourced_label.setStyleSheet("color: #B34700;")
        self.unsourced_label.setToolTip(
            "Marked ? in the text: select one and press L to link it to its source")
        self.unsourced_label.hide()
        self.save_label = QLabel(SAVED, self)
        self.save_label.setObjectName("statusSave")
        self._saved = True
        self._saved_detail = ""
        self._arranged: tuple[tuple[QRect, int, int, int], ...] = ()
        for widget in (self.counts_label, self.unsourced_label, self.user_label, self.save_label):
            make_plain(widget)  # they quote annotator and label names, and core errors
            widget.setContentsMargins(8, 0, 8, 0)
        # The texts a key press changes sit in slots; the others directly on the bar.
        self._counts_slot = _Slot(self.counts_label, self)
        self._unsourced_slot = _Slot(self.unsourced_label, self)
        for item in (self._counts_slot, self._unsourced_slot, self.user_label, self.save_label):
            self.addPermanentWidget(item)

    def event(self, event: QEvent) -> bool:
        # A label's new text asks for a relayout, and QStatusBar answers every relayout by
        # repainting the whole bar: every label and button on it, on every key press.
        # When the relayout (done by then) moved or resized nothing, the label repaints
        # itself and the rest is left alone; otherwise QStatusBar does what it always does.
        if event.type() == QEvent.Type.LayoutRequest:
            arranged = self._arrangement()
            if arranged == self._arranged:
                return QWidget.event(self, event)
            self._arranged = arranged
        return super().event(event)

    def _arrangement(self) -> tuple[tuple[QRect, int, int, int], ...]:
        """Where each item sits, with what QStatusBar sizes its row from (the items'
        minimum and maximum heights) and the font's height."""
        items = self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return ((QRect(), self.fontMetrics().height(), 0, 0), *(
            (w.geometry(), w.minimumSizeHint().height(), w.minimumHeight(), w.maximumHeight())
            for w in items if not w.isHidden()))

    def set_user(self, user: str) -> None:
        self.user_label.setText(f"Annotator: {user}")
        self.user_label.setToolTip(
            tooltip(f"Annotating as {user} (Edit › Preferences to change)"))

    def set_counts(
        self, title: str | None, counts: Mapping[str, int], labels: Sequence[LabelRecord]
    ) -> None:
        if title is None:
            self.counts_label.setText("No document open")
            return
        total = sum(counts.values())
        parts = [f"{counts.get(label.name, 0)} {label.name}" for label in labels]
        noun = "annotation" if total == 1 else "annotations"
        self.counts_label.setText(f"{total} {noun}  ·  " + "  ·  ".join(parts))

    def set_unsourced(self, count: int) -> None:
        """How many claims of the open document no link attributes to a source."""
        noun = "claim" if count == 1 else "claims"
        self.unsourced_label.setText(f"{count} {noun} without a source")
        self._unsourced_slot.show_label(count > 0)

    def set_saved(self, ok: bool = True, detail: str = "") -> None:
        """Called after the core returned: every change up to now committed, or one refused."""
        if ok:
            detail = detail or f"Last change saved at {datetime.now():%H:%M:%S}"
        if ok != self._saved:
            # Restyling is slow; it happens only when the state flips, not on every key.
            self._saved = ok
            self.save_label.setText(SAVED if ok else "Last change not saved")
            self.save_label.setStyleSheet("" if ok else "color: #D55E00; font-weight: bold;")
        if detail != self._saved_detail:  # key presses within a second: the same tooltip
            self._saved_detail = detail
            self.save_label.setToolTip(tooltip(detail))
