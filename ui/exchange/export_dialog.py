"""File › Export…: choose a format, filters, an optional split and where to write.

The export itself runs on a worker thread (ui/operations/background.py) behind a cancellable
progress dialog; mistakes in the form show inline, and nothing ever blocks on a modal box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator import AnnotatorError, ExportResult, Project
from annotator.formats import FORMATS, FormatSpec, part_destination
from annotator.formats.selection import STATUS_CHOICES, ExportFilters
from annotator.formats.spacy_format import INSTALL_HINT
from ui.exchange.exchange_formats import (
    ERROR_STYLE,
    checked,
    checklist,
    format_description,
    format_title,
    spacy_available,
)
from ui.operations.background import BackgroundRunner
from ui.widgets.messages import plural, show_message
from ui.widgets.plain_text import plain_label

SPLIT_PARTS = (("train", 80), ("dev", 10), ("test", 10))


class ExportDialog(QDialog):
    """exported(ExportResult) after a successful export; the dialog then closes itself."""

    exported = Signal(object)

    def __init__(
        self, project: Project, current_document: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export annotations")
        self.setMinimumWidth(600)
        self._project = project
        self._current = current_document
        self.export_result: ExportResult | None = None
        self.controller = BackgroundRunner(self)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.controller.cancelled.connect(self._on_cancelled)

        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("exportFormat")
        self.format_combo.setAccessibleName("Export format")
        for name in FORMATS:
            self.format_combo.addItem(f"{format_title(name)}  ({name})", name)
            self.format_combo.setItemData(
                self.format_combo.count() - 1, format_description(name),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.format_note = QLabel(self)
        self.format_note.setObjectName("exportFormatDescription")
        self.format_note.setWordWrap(True)
        self.format_note.setStyleSheet("color: #4a4f57;")
        top = QFormLayout()
        top.addRow("&Format:", self.format_combo)
        top.addRow("", self.format_note)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._filters_group())
        layout.addWidget(self._split_group())
        layout.addWidget(self._destination_group())
        self.message = plain_label(parent=self)  # quotes paths and the core's messages
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._format = self.selected_format()
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.destination_edit.setText(self._default_destination())
        self._format_changed()

    # building
    def _filters_group(self) -> QGroupBox:
        group = QGroupBox("What to export", self)
        users = [(name, name) for name in self._project.annotators()]
        self.users_list = checklist("exportUsers", "Annotators", users)
        labels = [(label.name, label.name) for label in self._project.labels()]
        self.labels_list = checklist("exportLabels", "Labels", labels)
        for widget in (self.users_list, self.labels_list):
            widget.setMaximumHeight(96)
        lists = QGridLayout()
        lists.addWidget(QLabel("Annotators:"), 0, 0)
        lists.addWidget(QLabel("Labels:"), 0, 1)
        lists.addWidget(self.users_list, 1, 0)
        lists.addWidget(self.labels_list, 1, 1)
        if not users:
            self.users_list.addItem("(no annotations yet)")
            self.users_list.setEnabled(False)

        self.status_combo = QComboBox(group)
        self.status_combo.setObjectName("exportStatus")
        self.status_combo.setAccessibleName("Review status")
        wording = {"any": "Any status", "accepted": "Accepted", "rejected": "Rejected",
                   "pending": "Pending (not reviewed yet)"}
        for status in STATUS_CHOICES:
            self.status_combo.addItem(wording.get(status, status), status)

        self.all_documents = QRadioButton("All documents", group)
        self.all_documents.setObjectName("exportAllDocuments")
        self.current_document = QRadioButton(self._current_text(), group)
        self.current_document.setObjectName("exportCurrentDocument")
        self.current_document.setEnabled(self._current is not None)
        self.chosen_documents = QRadioButton("These documents:", group)
        self.chosen_documents.setObjectName("exportChosenDocuments")
        scope = QButtonGroup(group)
        for button in (self.all_documents, self.current_document, self.chosen_documents):
            scope.addButton(button)
        self.all_documents.setChecked(True)
        documents = [(f"{d.number}. {d.title}", d.id) for d in self._project.documents()]
        self.documents_list = checklist("exportDocuments", "Documents", documents)
        self.documents_list.setMinimumHeight(72)
        self.documents_list.setMaximumHeight(110)
        self.documents_list.setEnabled(False)
        self.chosen_documents.toggled.connect(self.documents_list.setEnabled)
        scope_box = QVBoxLayout()
        scope_box.setSpacing(2)
        for button in (self.all_documents, self.current_document, self.chosen_documents):
            scope_box.addWidget(button)
        scope_box.addWidget(self.documents_list)
        self.done_only = QCheckBox("Only documents marked done", group)
        self.done_only.setObjectName("exportDoneOnly")
        self.done_only.setToolTip("Documents that one of the ticked annotators marked done")

        form = QFormLayout(group)
        form.addRow(lists)
        form.addRow("Review &status:", self.status_combo)
        form.addRow("Documents:", scope_box)
        form.addRow("", self.done_only)
        return group

    def _current_text(self) -> str:
        if self._current is None:
            return "Current document (none open)"
        try:
            title = self._project.document(self._current).title
        except AnnotatorError:
            return "Current document"
        return f"Current document: {title}"

    def _split_group(self) -> QGroupBox:
        group = QGroupBox("Split into train / dev / test (by document)", self)
        group.setObjectName("exportSplit")
        group.setCheckable(True)
        group.setChecked(False)
        row = QHBoxLayout(group)
        self.split_boxes: dict[str, QSpinBox] = {}
        for name, percent in SPLIT_PARTS:
            box = QSpinBox(group)
            box.setObjectName(f"export{name.capitalize()}")
            box.setAccessibleName(f"{name} share")
            box.setRange(0, 100)
            box.setSuffix(" %")
            box.setValue(percent)
            box.valueChanged.connect(self._update_hint)
            row.addWidget(QLabel(f"{name.capitalize()}:"))
            row.addWidget(box)
            self.split_boxes[name] = box
        row.addSpacing(12)
        self.seed_box = QSpinBox(group)
        self.seed_box.setObjectName("exportSeed")
        self.seed_box.setAccessibleName("Split seed")
        self.seed_box.setRange(0, 2_147_483_647)
        self.seed_box.setToolTip("The same seed gives the same split of the same documents")
        row.addWidget(QLabel("Seed:"))
        row.addWidget(self.seed_box)
        row.addStretch(1)
        group.toggled.connect(self._update_hint)
        self.split_group = group
        return group

    def _destination_group(self) -> QGroupBox:
        group = QGroupBox("Destination", self)
        self.destination_edit = QLineEdit(group)
        self.destination_edit.setObjectName("exportDestination")
        self.destination_edit.setAccessibleName("Destination")
        self.destination_edit.textChanged.connect(self._update_hint)
        browse = QPushButton("&Browse…", group)
        browse.setObjectName("exportBrowse")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.destination_edit, 1)
        row.addWidget(browse)
        self.destination_hint = plain_label(parent=group)  # file names
        self.destination_hint.setObjectName("exportDestinationHint")
        self.destination_hint.setWordWrap(True)
        self.destination_hint.setStyleSheet("color: #4a4f57;")
        box = QVBoxLayout(group)
        box.addLayout(row)
        box.addWidget(self.destination_hint)
        return group

    # state
    def selected_format(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))

    def _spec(self) -> FormatSpec:
        return FORMATS[self.selected_format()]

    def _default_destination(self) -> str:
        location = Path(self._project.location)
        folder = location.parent if location.parent.is_dir() else Path.home()
        stem = location.name.split(".")[0] or "annotations"
        return str(folder / f"{stem}-export")

    def _format_changed(self) -> None:
        old, new = FORMATS[self._format], self._spec()
        self._format = new.name
        self.format_note.setText(format_description(new.name))
        text = self.destination_edit.text().strip()
        if text:
            base = text
            if not old.folder and old.extension and text.endswith(old.extension):
                base = text[: -len(old.extension)]
            elif not old.folder and Path(text).suffix:
                base = ""  # a name the user typed with their own extension: leave it
            if base:
                self.destination_edit.setText(base + ("" if new.folder else new.extension))
        self._update_hint()

    def split_parts(self) -> list[tuple[str, float]]:
        """The ticked split as (name, fraction) pairs, parts at 0 % left out."""
        if not self.split_group.isChecked():
            return []
        return [(name, box.value() / 100) for name, box in self.split_boxes.items()
                if box.value() > 0]

    def _update_hint(self) -> None:
        text = self.destination_edit.text().strip()
        if not text:
            self.destination_hint.hide()
            return
        spec, out = self._spec(), Path(text).expanduser()
        parts = self.split_parts()
        if parts:
            names = ", ".join(part_destination(out, name, spec).name for name, _ in parts)
            where = f"in {out}" if spec.folder else f"in {out.parent}"
            self.destination_hint.setText(f"Writes {names} {where}.")
        elif spec.folder:
            self.destination_hint.setText("Writes the folder, replacing an earlier export there.")
        else:
            self.destination_hint.setText("Replaces the file there." if out.exists() else "")
        self.destination_hint.setVisible(bool(self.destination_hint.text()))

    def filters(self) -> ExportFilters:
        users = checked(self.users_list) if self.users_list.isEnabled() else []
        labels = checked(self.labels_list)
        if self.current_document.isChecked() and self._current is not None:
            documents = [self._current]
        elif self.chosen_documents.isChecked():
            documents = checked(self.documents_list)
        else:
            documents = []
        # Everything ticked means no filter, which also covers annotators added later.
        all_users = len(users) == self.users_list.count()
        return ExportFilters(
            users=() if all_users else tuple(users),
            labels=() if len(labels) == self.labels_list.count() else tuple(labels),
            status=str(self.status_combo.currentData()),
            documents=tuple(documents),
            done_only=self.done_only.isChecked(),
        )

    # validation and running
    def problem(self) -> str | None:
        """What is wrong with the form, in words for the user; None when it can run."""
        spec = self._spec()
        if spec.name == "spacy" and not spacy_available():
            return INSTALL_HINT
        if self.users_list.isEnabled() and not checked(self.users_list):
            return "Tick at least one annotator."
        if self.labels_list.count() and not checked(self.labels_list):
            return "Tick at least one label."
        if self.chosen_documents.isChecked() and not checked(self.documents_list):
            return "Tick at least one document, or export all of them."
        if self.split_group.isChecked():
            total = sum(box.value() for box in self.split_boxes.values())
            if total != 100:
                return f"The split parts add up to {total} %; they must add up to 100 %."
        text = self.destination_edit.text().strip()
        if not text:
            return "Choose where to write the export."
        out = Path(text).expanduser()
        if not out.parent.is_dir():
            return f"The folder {out.parent} does not exist."
        if spec.folder and out.exists() and not out.is_dir():
            return f"{out} is a file; {spec.name} exports are folders."
        if not spec.folder and out.is_dir():
            return f"{out} is a folder; give a file name."
        return None

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def start_export(self) -> bool:
        problem = self.problem()
        if problem is not None:
            self.show_message(problem)
            return False
        self.show_message("")
        project, name = self._project, self.selected_format()
        out = Path(self.destination_edit.text().strip()).expanduser()
        filters, parts, seed = self.filters(), self.split_parts(), self.seed_box.value()

        def job(progress: Callable[[int, int], bool]) -> ExportResult:
            return project.export(name, out, filters, split=parts or None, seed=seed,
                                  progress=progress)

        self.export_button.setEnabled(False)
        return self.controller.start(job, "Exporting annotations", "Exporting")

    def browse(self) -> None:
        spec, current = self._spec(), self.destination_edit.text().strip()
        if spec.folder:
            path = QFileDialog.getExistingDirectory(self, "Export to folder", current)
        else:
            pattern = f"{format_title(spec.name)} (*{spec.extension});;All files (*)"
            path, _ = QFileDialog.getSaveFileName(self, "Export to file", current, pattern)
            if path and spec.extension and not Path(path).suffix:
                path += spec.extension
        if path:
            self.destination_edit.setText(path)

    def _on_finished(self, result: ExportResult) -> None:
        self.export_button.setEnabled(True)
        self.export_result = result
        self.exported.emit(result)
        show_export_summary(self.parentWidget() or self, result)
        self.accept()

    def _on_failed(self, message: str, _problems: object) -> None:
        self.export_button.setEnabled(True)
        self.show_message(f"Export failed: {message}")

    def _on_cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self.show_message("Export cancelled; nothing was written.")

    def reject(self) -> None:
        if self.controller.busy():
            self.controller.cancel()
            return
        super().reject()


def export_summary(result: ExportResult) -> tuple[str, str]:
    """The headline and the per-output lines of a finished export."""
    head = (f"Exported {plural(result.documents, 'document')} and "
            f"{plural(result.annotations, 'annotation')} as {format_title(result.format)}.")
    lines = []
    for output in result.outputs:
        part = f" ({output.part})" if output.part else ""
        lines.append(f"{output.path}{part}: {plural(output.documents, 'document')}, "
                     f"{plural(output.annotations, 'annotation')}")
    if result.lossy:
        lines.append("")
        lines.append("Not as in the project:")
        lines += [f"  {count:,} {reason}" for reason, count in sorted(result.lossy.items())]
    return head, "\n".join(lines)


def show_export_summary(parent: QWidget, result: ExportResult) -> None:
    head, body = export_summary(result)
    show_message(parent, "Export finished", head, name="exportSummary", informative=body)
