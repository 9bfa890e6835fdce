"""Status bar: who is annotating, the open document's counts, and whether all is saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from annotator.records import LabelRecord
from ui.widgets.plain_text import make_plain, tooltip

SAVED = "All changes saved"


class AnnotatorStatusBar(QStatusBar):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setAccessibleName("Status")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("statusUser")
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("statusCounts")
        self.unsourced_label = QLabel(self)
        self.unsourced_label.setObjectName("statusUnsourced")
        self.unsourced_label.setStyleSheet("color: #B34700;")
        self.unsourced_label.hide()
        self.save_label = QLabel(SAVED, self)
        self.save_label.setObjectName("statusSave")
        self._saved = True
        self._arranged: tuple[tuple[QRect, int, int, int], ...] = ()
        for widget in (self.counts_label, self.unsourced_label, self.user_label, self.save_label):
            make_plain(widget)  # they quote annotator and label names, and core errors
            widget.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(widget)

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
        self.unsourced_label.setVisible(count > 0)
        noun = "claim" if count == 1 else "claims"
        self.unsourced_label.setText(f"{count} {noun} without a source")
        self.unsourced_label.setToolTip(
            "Marked ? in the text: select one and press L to link it to its source")

    def set_saved(self, ok: bool = True, detail: str = "") -> None:
        """Called after the core returned: every change up to now committed, or one refused."""
        if ok:
            detail = detail or f"Last change saved at {datetime.now():%H:%M:%S}"
        if ok != self._saved:
            # Restyling is slow; it happens only when the state flips, not on every key.
            self._saved = ok
            self.save_label.setText(SAVED if ok else "Last change not saved")
            self.save_label.setStyleSheet("" if ok else "color: #D55E00; font-weight: bold;")
        self.save_label.setToolTip(tooltip(detail))
