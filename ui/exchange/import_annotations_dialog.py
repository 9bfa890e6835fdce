"""File › Import annotations…: bring an export (ours or another tool's) back into the project.

The format is guessed from the file (and chosen by hand when the guess is wrong); the import
runs on a worker thread behind a cancellable progress dialog and ends in a summary: what was
matched, added and updated, or – for a refused file – every (file, line, reason).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import ImportResult, Project
from annotator.formats import FORMATS
from annotator.formats.model import Problem
from annotator.formats.spacy_format import INSTALL_HINT
from ui.exchange.exchange_formats import (
    ERROR_STYLE,
    format_description,
    format_title,
    spacy_available,
)
from ui.operations.background import BackgroundRunner
from ui.widgets.plain_text import plain_label, tooltip

READABLE = [name for name, spec in FORMATS.items() if spec.read is not None]
_BY_SUFFIX = {".csv": "csv", ".json": "labelstudio", ".jsonld": "webannotation",
              ".spacy": "spacy"}


def guess_format(path: str | Path) -> str | None:
    """The format a file (or brat folder) most likely holds; None when there is no telling.

    ``.jsonl`` is both our JSON Lines and doccano's: the first record decides (``spans``
    is ours, ``label``/``entities`` is doccano's).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        return "brat"
    suffix = path.suffix.lower()
    if suffix == ".ann":
        return "brat"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix != ".jsonl":
        return None
    try:
        with path.open("rb") as handle:
            first = next((line for line in handle if line.strip()), b"")
        record = orjson.loads(first) if first else {}
    except (OSError, orjson.JSONDecodeError):
        return "jsonl"
    if isinstance(record, dict) and "spans" not in record and (
        "label" in record or "entities" in record
    ):
        return "doccano"
    return "jsonl"


class ImportAnnotationsDialog(QDialog):
    """imported(ImportResult) after a successful import; the dialog then closes itself."""

    imported = Signal(object)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importAnnotationsDialog")
        self.setWindowTitle("Import annotations")
        self.setMinimumWidth(560)
        self._project = project
        self.import_result: ImportResult | None = None
        self.summary: ImportSummaryDialog | None = None
        self.controller = BackgroundRunner(self)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.controller.cancelled.connect(self._on_cancelled)

        intro = QLabel(
            "Documents are matched by id, then by their text, and created when the file "
            "carries the text. Annotations keep their ids, so importing a file twice changes "
            "nothing. A file with any problem is refused whole.", self)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #4a4f57;")
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importAnnotationsPath")
        self.path_edit.setAccessibleName("File or folder to import")
        self.path_edit.setPlaceholderText("An exported file, or a brat folder")
        self.path_edit.textChanged.connect(self._path_changed)
        file_button = QPushButton("&File…", self)
        file_button.setObjectName("importAnnotationsBrowseFile")
        file_button.clicked.connect(self.browse_file)
        folder_button = QPushButton("F&older…", self)
        folder_button.setObjectName("importAnnotationsBrowseFolder")
        folder_button.clicked.connect(self.browse_folder)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(file_button)
        path_row.addWidget(folder_button)
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("importAnnotationsFormat")
        self.format_combo.setAccessibleName("Format of the file")
        for name in READABLE:
            self.format_combo.addItem(f"{format_title(name)}  ({name})", name)
            self.format_combo.setItemData(self.format_combo.count() - 1,
                                          format_description(name), Qt.ItemDataRole.ToolTipRole)
        self.guess_note = QLabel(self)
        self.guess_note.setObjectName("importAnnotationsGuess")
        self.guess_note.setStyleSheet("color: #4a4f57;")
        form = QFormLayout()
        path_label = QLabel("&Path:", self)
        path_label.setBuddy(self.path_edit)
        form.addRow(path_label, path_row)
        form.addRow("F&ormat:", self.format_combo)
        form.addRow("", self.guess_note)
        self.message = plain_label(parent=self)  # quotes paths and the core's messages
        self.message.setObjectName("importAnnotationsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importAnnotationsButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def selected_format(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))

    def _path_changed(self, text: str) -> None:
        guess = guess_format(text) if text.strip() else None
        if guess is not None and guess in READABLE:
            self.set_format(guess)
            self.guess_note.setText(f"Recognised as {format_title(guess)}.")
        else:
            self.guess_note.setText("")

    def browse_file(self) -> None:
        patterns = ";;".join(
            [f"Exports (*{' *'.join(sorted({FORMATS[n].extension for n in READABLE} - {''}))})",
             "All files (*)"]
        )
        path, _ = QFileDialog.getOpenFileName(self, "Import annotations", "", patterns)
        if path:
            self.set_path(path)

    def browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a brat folder")
        if path:
            self.set_path(path)
            self.set_format("brat")

    def problem(self) -> str | None:
        text = self.path_edit.text().strip()
        if not text:
            return "Choose a file (or a brat folder) to import."
        path, name = Path(text).expanduser(), self.selected_format()
        if not path.exists():
            return f"There is no file or folder {path}."
        if FORMATS[name].folder and not path.is_dir():
            return f"{format_title(name)} imports take a folder; {path.name} is a file."
        if not FORMATS[name].folder and path.is_dir():
            return f"{path.name} is a folder; choose a file, or the brat format."
        if name == "spacy" and not spacy_available():
            return INSTALL_HINT
        return None

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def start_import(self) -> bool:
        problem = self.problem()
        if problem is not None:
            self.show_message(problem)
            return False
        self.show_message("")
        project, name = self._project, self.selected_format()
        path = Path(self.path_edit.text().strip()).expanduser()

        def job(progress: Callable[[int, int], bool]) -> ImportResult:
            return project.import_annotations(path, name, progress=progress)

        self.import_button.setEnabled(False)
        return self.controller.start(job, "Importing annotations", "Importing")

    def _on_finished(self, result: ImportResult) -> None:
        self.import_button.setEnabled(True)
        self.import_result = result
        self.summary = ImportSummaryDialog.for_result(result, self.parentWidget() or self)
        self.summary.open()
        self.imported.emit(result)
        self.accept()

    def _on_failed(self, message: str, problems: list[Problem]) -> None:
        self.import_button.setEnabled(True)
        if problems:
            count = len(problems)
            self.show_message(f"The file was refused ({count} problem{'s' * (count != 1)}); "
                              "nothing was imported.")
            self.summary = ImportSummaryDialog.for_refusal(problems, self)
            self.summary.open()
        else:
            self.show_message(f"Import failed: {message}")

    def _on_cancelled(self) -> None:
        self.import_button.setEnabled(True)
        self.show_message("Import cancelled; nothing was stored.")

    def reject(self) -> None:
        if self.controller.busy():
            self.controller.cancel()
            return
        super().reject()


class ImportSummaryDialog(QDialog):
    """What an import did, or why a file was refused (a File | Line | Reason table)."""

    def __init__(self, title: str, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importAnnotationsSummary")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(480)
        self.heading = plain_label(heading, self)  # names the file
        self.heading.setObjectName("importSummaryHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.form = QFormLayout()
        self.problems: QTableWidget | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.heading)
        self._layout.addLayout(self.form)
        self._buttons = buttons

    def _add(self, label: str, value: str) -> None:
        field = plain_label(value, self)  # label and annotator names, the file's words
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        field.setWordWrap(True)
        self.form.addRow(label, field)

    def _finish(self) -> None:
        self._layout.addWidget(self._buttons)

    def values(self) -> dict[str, str]:
        """The summary rows as label -> text (what a reader sees, for tests and logs)."""
        rows: dict[str, str] = {}
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and field is not None:
                label_widget, field_widget = label.widget(), field.widget()
                if isinstance(label_widget, QLabel) and isinstance(field_widget, QLabel):
                    rows[label_widget.text().rstrip(":")] = field_widget.text()
        return rows

    @classmethod
    def for_result(cls, result: ImportResult, parent: QWidget | None) -> ImportSummaryDialog:
        c = result.counts
        dialog = cls("Import finished",
                     f"Imported {Path(result.path).name} ({format_title(result.format)}).",
                     parent)
        dialog._add("Documents:", f"{c.documents_matched:,} matched, "
                                  f"{c.documents_created:,} created")
        dialog._add("Annotations:", f"{c.added:,} added, {c.updated:,} updated, "
                                    f"{c.unchanged:,} unchanged")
        if c.kept:
            dialog._add("Kept:", f"{c.kept:,} older than the project's (kept in history)")
        if c.labels_created:
            dialog._add("New labels:", ", ".join(c.labels_created))
        if c.annotators_created:
            dialog._add("New annotators:", ", ".join(c.annotators_created))
        notes = [f"read: {count:,} {place}" for place, count in sorted(result.read_from.items())]
        notes += [f"{count:,} annotation(s) {reason}" for reason, count in sorted(c.notes.items())]
        notes += [f"not imported: {count:,} {reason}"
                  for reason, count in sorted(result.skipped.items())]
        if notes:
            dialog._add("Notes:", "\n".join(notes))
        dialog._finish()
        return dialog

    @classmethod
    def for_refusal(cls, problems: list[Problem], parent: QWidget | None) -> ImportSummaryDialog:
        count = len(problems)
        dialog = cls("File refused",
                     f"Nothing was imported: the file has {count} problem"
                     f"{'s' * (count != 1)}. Fix {'them' if count != 1 else 'it'} and import "
                     "the file again.", parent)
        table = QTableWidget(count, 3, dialog)
        table.setObjectName("importProblems")
        table.setHorizontalHeaderLabels(["File", "Line", "Reason"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        for row, problem in enumerate(problems):
            name = QTableWidgetItem(Path(problem.file).name)
            name.setToolTip(tooltip(problem.file))
            line = QTableWidgetItem(str(problem.line))
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            reason = QTableWidgetItem(problem.reason)
            reason.setToolTip(tooltip(problem.reason))
            for column, item in enumerate((name, line, reason)):
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setMinimumSize(560, 180)
        dialog.problems = table
        dialog._layout.addWidget(table, 1)
        dialog._finish()
        return dialog

    def rows(self) -> list[tuple[str, int, str]]:
        """The problems table as (file name, line, reason)."""
        if self.problems is None:
            return []
        table = self.problems

        def cell(row: int, column: int) -> str:
            item = table.item(row, column)
            return item.text() if item is not None else ""

        return [(cell(r, 0), int(cell(r, 1)), cell(r, 2)) for r in range(table.rowCount())]
