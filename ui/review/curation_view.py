"""Gold adjudication: every place where annotators disagree, and what goes to gold.

The list groups open disagreements by document (label differs, boundaries differ, only
some annotators have it). Choosing one shows it in the text and lists each annotator's
version; "Use version" puts that version into gold, "Edit…" puts an edited span into gold,
"Dismiss" settles it with nothing in gold. `.` and `,` step to the next/previous one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import AnnotatorError
from annotator.records import AnnotationRecord
from annotator.review_records import GOLD, Disagreement
from ui.feature_host import WorkspaceHost
from ui.review.layers import Layers
from ui.widgets.annotator_badges import initials_icon
from ui.widgets.plain_text import escape, rich_label, tooltip

KIND_TEXT = {"label": "Label differs", "boundaries": "Boundaries differ",
             "missing": "Only some have it"}
KIND_COLOR = {"label": "#8250df", "boundaries": "#bc4c00", "missing": "#0969da"}
ROLE = Qt.ItemDataRole.UserRole
SNIPPET = 70


def _snippet(text: str, start: int, end: int, limit: int = SNIPPET) -> str:
    passage = " ".join(text[start:end].split())
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"


def _describe(records: Sequence[AnnotationRecord], text: str) -> str:
    if not records:
        return "— nothing here"
    return ";  ".join(f"{r.label} [{r.start}–{r.end}] “{_snippet(text, r.start, r.end, 48)}”"
                      for r in records)


class SpanEditor(QFrame):
    """Edit a span (label, start, end) before it goes to gold."""

    saved = Signal(int, int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curationEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._text = ""
        self.label_box = QComboBox(self)
        self.label_box.setObjectName("curationEditLabel")
        self.start_box = QSpinBox(self)
        self.start_box.setObjectName("curationEditStart")
        self.end_box = QSpinBox(self)
        self.end_box.setObjectName("curationEditEnd")
        self.preview = rich_label(parent=self)
        self.preview.setWordWrap(True)
        self.preview.setObjectName("curationEditPreview")
        self.from_selection = QPushButton("Use text selection", self)
        self.save_button = QPushButton("Save to gold", self)
        self.save_button.setObjectName("curationEditSave")
        self.cancel_button = QPushButton("Cancel", self)
        form = QFormLayout()
        form.addRow("Label", self.label_box)
        bounds = QHBoxLayout()
        bounds.addWidget(self.start_box)
        bounds.addWidget(QLabel("to"))
        bounds.addWidget(self.end_box)
        form.addRow("Characters", bounds)
        buttons = QHBoxLayout()
        buttons.addWidget(self.from_selection)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        self.start_box.valueChanged.connect(self._changed)
        self.end_box.valueChanged.connect(self._changed)
        self.save_button.clicked.connect(
            lambda: self.saved.emit(self.start_box.value(), self.end_box.value(),
                                    self.label_box.currentText()))
        self.cancel_button.clicked.connect(self.hide)

    def edit(self, text: str, labels: Sequence[str], start: int, end: int, label: str) -> None:
        self._text = text
        self.label_box.clear()
        self.label_box.addItems(list(labels))
        self.label_box.setCurrentText(label)
        for box in (self.start_box, self.end_box):
            box.setRange(0, len(text))
        self.start_box.setValue(start)
        self.end_box.setValue(end)
        self._changed()
        self.show()
        self.label_box.setFocus()

    def _changed(self) -> None:
        start, end = self.start_box.value(), self.end_box.value()
        ok = start < end
        self.save_button.setEnabled(ok)
        self.preview.setText(f"“{escape(_snippet(self._text, start, end, 200))}”" if ok
                             else "<i>The span is empty</i>")


class CurationView(QWidget):
    """The curation pane; `resolved` fires after something went to gold or was dismissed."""

    resolved = Signal()

    def __init__(self, host: WorkspaceHost, layers: Layers, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("curationView")
        self.setAccessibleName("Curation")
        self.host = host
        self.layers = layers
        self._items: list[QTreeWidgetItem] = []
        self._texts: dict[str, str] = {}

        self.count_label = rich_label(parent=self)
        self.count_label.setObjectName("curationCount")
        self.show_resolved = QCheckBox("Show settled", self)
        self.show_resolved.setObjectName("curationShowResolved")
        self.show_resolved.toggled.connect(lambda _: self.refresh())
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(lambda: self.refresh())
        header = QHBoxLayout()
        header.addWidget(self.count_label, 1)
        header.addWidget(self.show_resolved)
        header.addWidget(self.refresh_button)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("disagreementList")
        self.tree.setAccessibleName("Disagreements")
        self.tree.setHeaderLabels(["Where", "Disagreement"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._current_changed)

        self.detail_title = rich_label(parent=self)
        self.detail_title.setObjectName("curationDetailTitle")
        self.detail_title.setWordWrap(True)
        self.versions = QTreeWidget(self)
        self.versions.setObjectName("versionList")
        self.versions.setAccessibleName("Versions")
        self.versions.setHeaderLabels(["Annotator", "Version"])
        self.versions.setRootIsDecorated(False)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.versions.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.versions.itemDoubleClicked.connect(lambda *_: self.use_selected_version())
        self.use_button = QPushButton("Use version", self)
        self.use_button.setObjectName("curationUse")
        self.use_button.setToolTip("Put the selected annotator's version into gold (Enter)")
        self.use_button.setDefault(True)
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.setObjectName("curationEdit")
        self.edit_button.setToolTip("Adjust the span or label, then put it into gold")
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setObjectName("curationDismiss")
        self.dismiss_button.setToolTip("Nothing goes to gold; not listed again unless it changes")
        self.use_button.clicked.connect(self.use_selected_version)
        self.edit_button.clicked.connect(self.start_edit)
        self.dismiss_button.clicked.connect(self.dismiss)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        self.editor = SpanEditor(self)
        self.editor.hide()
        self.editor.saved.connect(self.save_edit)

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.versions, 1)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.editor)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        self._show_detail(None)

    # listing
    def disagreements(self) -> list[Disagreement]:
        """The listed disagreements in list order."""
        return [item.data(0, ROLE) for item in self._items]

    def current(self) -> Disagreement | None:
        item = self.tree.currentItem()
        value = None if item is None else item.data(0, ROLE)
        return value if isinstance(value, Disagreement) else None

    def refresh(self, keep_position: int | None = None) -> None:
        project = self.host.project
        include = self.show_resolved.isChecked()
        documents = {d.id: d for d in project.documents()}
        if include:
            document_ids = list(documents)
        else:
            counts = project.disagreement_counts()
            document_ids = [d for d in documents if d in counts]
        previous = self.current()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items = []
        self._texts = {}
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for document_id in document_ids:
            found = project.disagreements(document_id, include_resolved=include)
            if not found:
                continue
            text = project.document(document_id).text
            self._texts[document_id] = text
            info = documents[document_id]
            top = QTreeWidgetItem(self.tree, [f"{info.number}. {info.title}",
                                              f"{len(found)}"])
            top.setFont(0, bold)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            top.setToolTip(1, f"{len(found)} disagreement(s)")
            for d in found:
                item = QTreeWidgetItem(top, [
                    f"{d.start}–{d.end}  “{_snippet(text, d.start, d.end)}”",
                    KIND_TEXT.get(d.kind, d.kind) + (f" ({d.resolution})" if d.resolution
                                                     else ""),
                ])
                item.setData(0, ROLE, d)
                item.setForeground(1, QBrush(QColor(KIND_COLOR.get(d.kind, "#4a4f57"))))
                item.setToolTip(0, tooltip(text[d.start : d.end]))
                self._items.append(item)
            top.setExpanded(True)
        self.tree.blockSignals(False)
        total = len(self._items)
        settled = "" if include else " open"
        self.count_label.setText(
            f"<b>{total}</b>{settled} disagreement{'s' if total != 1 else ''}"
            if total else "No disagreements — annotators agree, or all are settled")
        target = None
        if previous is not None:
            target = next((i for i in self._items if i.data(0, ROLE).key == previous.key), None)
        if target is None and keep_position is not None and self._items:
            target = self._items[min(keep_position, total - 1)]
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self._show_detail(None)

    def step(self, direction: int) -> bool:
        """Go to the next (1) or previous (-1) disagreement; shows it in the document."""
        if not self._items:
            self.refresh()
        if not self._items:
            self.host.show_status("No disagreements", 4000)
            return False
        item = self.tree.currentItem()
        position = self._items.index(item) if item in self._items else (-1 if direction > 0
                                                                         else len(self._items))
        position += direction
        if not 0 <= position < len(self._items):
            self.host.show_status("No more disagreements that way", 4000)
            return False
        self.tree.setCurrentItem(self._items[position])
        return True

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        d = None if current is None else current.data(0, ROLE)
        d = d if isinstance(d, Disagreement) else None
        self._show_detail(d)
        if d is not None:
            self.show_in_document(d)

    def show_in_document(self, d: Disagreement) -> None:
        host = self.host
        for user in d.versions:
            self.layers.set_visible(user, True)
        if host.current_document_id() != d.document_id:
            host.open_document(d.document_id)
        host.view.set_selection_range(d.start, d.end)

    def _show_detail(self, d: Disagreement | None) -> None:
        self.versions.clear()
        self.editor.hide()
        # A read-only project can be compared, not settled into gold.
        writable = d is not None and not self.host.project.read_only
        for button in (self.use_button, self.edit_button, self.dismiss_button):
            button.setEnabled(writable)
        if d is None:
            self.detail_title.setText("<i>Choose a disagreement (. next, , previous)</i>")
            return
        text = self._texts.get(d.document_id, "")
        color = KIND_COLOR.get(d.kind, "#4a4f57")
        self.detail_title.setText(
            f"<span style='color:{color}'><b>{KIND_TEXT.get(d.kind, d.kind)}</b></span>"
            f" at {d.start}–{d.end}: <i>“{escape(_snippet(text, d.start, d.end, 140))}”</i>")
        first_with = None
        for user, records in d.versions.items():
            item = QTreeWidgetItem(self.versions, [user, _describe(records, text)])
            item.setIcon(0, initials_icon(user, self.layers.color(user)))
            item.setData(0, ROLE, user)
            item.setToolTip(1, tooltip(_describe(records, text)))
            if records and first_with is None:
                first_with = item
        if d.gold:
            gold = QTreeWidgetItem(self.versions, ["gold (now)", _describe(d.gold, text)])
            gold.setIcon(0, initials_icon(GOLD, self.layers.color(GOLD)))
            gold.setFlags(gold.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            gold.setForeground(1, QBrush(QColor("#6a737d")))
        if first_with is not None:
            self.versions.setCurrentItem(first_with)

    # choices
    def selected_user(self) -> str | None:
        item = self.versions.currentItem()
        value = None if item is None else item.data(0, ROLE)
        return str(value) if value else None

    def use_version(self, user: str) -> bool:
        d = self.current()
        return d is not None and self._resolve(d, user=user)

    def use_selected_version(self) -> bool:
        user = self.selected_user()
        if user is None:
            self.host.show_status("Choose whose version goes to gold", 4000)
            return False
        return self.use_version(user)

    def dismiss(self) -> bool:
        d = self.current()
        return d is not None and self._resolve(d, dismiss=True)

    def start_edit(self) -> None:
        d = self.current()
        if d is None:
            return
        records = d.versions.get(self.selected_user() or "", ()) or d.annotations
        start = min(r.start for r in records) if records else d.start
        end = max(r.end for r in records) if records else d.end
        label = records[0].label if records else ""
        labels = [label.name for label in self.host.project.labels()]
        self.editor.edit(self._texts.get(d.document_id, ""), labels, start, end, label)

    def save_edit(self, start: int, end: int, label: str) -> bool:
        d = self.current()
        return d is not None and self._resolve(d, spans=[(start, end, label)])

    def _resolve(self, d: Disagreement, **choice: object) -> bool:
        item = self.tree.currentItem()
        position = self._items.index(item) if item in self._items else 0
        try:
            self.host.project.resolve_disagreement(d, **choice)  # type: ignore[arg-type]
        except AnnotatorError as error:
            self.host.show_error(str(error))
            return False
        what = "Dismissed" if choice.get("dismiss") else "Saved to gold"
        self.host.show_status(what, 4000)
        self.layers.refresh_annotators()
        self.layers.set_visible(GOLD, True)
        self.layers.reload_document()
        self.refresh(keep_position=position)
        self.resolved.emit()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.editor.isHidden():
            if self.use_button.isEnabled():  # off with nothing chosen, or read-only
                self.use_selected_version()
            return
        super().keyPressEvent(event)
