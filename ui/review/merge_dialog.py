"""File › Merge colleague's work… and File › Export bundle…, off the GUI thread.

The merge summary is the CLI's (MergeReport.lines()), shown in a non-modal dialog.
Both run on the window's one background runner (:mod:`ui.operations.background`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import Project
from annotator.review_records import BundleSummary, MergeReport
from ui.operations.background import BackgroundRunner
from ui.widgets.plain_text import escape, plain_label, rich_label

SOURCE_FILTER = "Colleague's work (*.zip *.db *.sqlite *.sqlite3);;All files (*)"


def choose_merge_source(parent: QWidget) -> str | None:
    """Ask for a colleague's bundle or project file (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Merge colleague's work", "", SOURCE_FILTER)
    return path or None


def choose_bundle_path(parent: QWidget, suggestion: str) -> str | None:
    """Ask where to write a bundle (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export bundle", suggestion,
                                          "Annotator bundles (*.zip)")
    if path and not path.lower().endswith(".zip"):
        path += ".zip"
    return path or None


class MergeDialog(QDialog):
    """Shows a merge running, then its summary; ``merged(report)`` when it succeeded."""

    merged = Signal(object)

    def __init__(self, project: Project, source: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Merge colleague's work")
        self.setModal(False)
        self.resize(520, 360)
        self.report: MergeReport | None = None
        self.error: str | None = None
        self.heading = rich_label(f"Merging <b>{escape(Path(source).name)}</b>…", self)
        self.heading.setObjectName("mergeHeading")
        self.heading.setWordWrap(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.summary = QTreeWidget(self)
        self.summary.setObjectName("mergeSummary")
        self.summary.setHeaderLabels(["Change", "Count"])
        self.summary.headerItem().setTextAlignment(
            1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.summary.setRootIsDecorated(False)
        self.summary.setAlternatingRowColors(True)
        self.summary.hide()
        self.details = plain_label(parent=self)  # label names, or the core's message
        self.details.setObjectName("mergeDetails")
        self.details.setWordWrap(True)
        self.details.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        self.buttons.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self.task = BackgroundRunner(self)
        self.task.finished.connect(self._finished)
        self.task.failed.connect(lambda message, _problems: self._failed(message))
        self._source = source
        self._project = project

    def start(self) -> None:
        self.show()
        self.task.start(lambda _progress: self._project.merge(self._source))

    def summary_lines(self) -> list[str]:
        return [] if self.report is None else self.report.lines()

    def _finished(self, report: Any) -> None:
        assert isinstance(report, MergeReport)
        self.report = report
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.heading.setText(f"Merged the {escape_kind(report.kind)} "
                             f"<b>{escape(Path(report.source).name)}</b>.")
        rows = [
            ("Documents added", report.documents_added),
            ("Documents already here", report.documents_matched),
            ("Annotations added", report.annotations_added),
            ("Annotations updated", report.annotations_updated),
            ("Annotations unchanged", report.annotations_unchanged),
            ("Annotations conflicting", report.annotations_conflicting),
            ("Deletions applied", report.deletions),
            ("Reviews added", report.reviews_added),
            ("Statuses updated", report.statuses_updated),
        ]
        for name, value in rows:
            item = QTreeWidgetItem(self.summary, [name, str(value)])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if not value:  # the changes that happened stand out from the zeros
                for column in (0, 1):
                    item.setForeground(column, self.palette().placeholderText())
        self.summary.resizeColumnToContents(0)
        self.summary.show()
        notes = []
        if report.annotations_conflicting:
            notes.append("Conflicting: both sides changed an annotation; the newer version is "
                         "kept and the older one is in its history, so nothing is lost.")
        if report.labels_added:
            notes.append("Labels added: " + ", ".join(report.labels_added))
        if notes:
            self.details.setText("\n".join(notes))
            self.details.show()
        self.merged.emit(report)

    def _failed(self, message: str) -> None:
        self.error = message
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.heading.setText("<b>Nothing was merged.</b>")
        self.details.setText(message)
        self.details.show()

    def closeEvent(self, event: Any) -> None:
        self.task.wait()
        super().closeEvent(event)


def escape_kind(kind: str) -> str:
    return "bundle" if kind == "bundle" else "project file"


class BundleExport(QObject):
    """Write a bundle of everybody's work in the background; ``done(message)`` after."""

    done = Signal(str, bool)  # message, ok

    def __init__(self, project: Project, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.summary: BundleSummary | None = None
        self.task = BackgroundRunner(self)
        self.task.finished.connect(self._finished)
        self.task.failed.connect(lambda message, _problems: self.done.emit(message, False))
        self._job = lambda _progress: project.bundle(path)

    def start(self) -> None:
        self.task.start(self._job)

    def _finished(self, summary: Any) -> None:
        assert isinstance(summary, BundleSummary)
        self.summary = summary
        self.done.emit(
            f"Wrote {Path(summary.path).name}: {summary.documents} document(s), "
            f"{summary.annotations} annotation(s), {summary.reviews} review(s)", True)
