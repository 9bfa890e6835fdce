"""Review › Agreement…: the figures of ``annotator agreement`` as a table and as charts.

The computation (Project.agreement) runs in a background thread; the report is shown as
a table (one row per label and pair), a bar chart per label and pair (kappa, or F1 / observed
agreement), a label confusion heat-map for a chosen pair, and the CLI's plain-text report.
Undefined figures show as "—" with their reason. Export writes the core's CSV. "Compare with
the suggester" adds the rule-based suggester as an annotator, as ``agreement
--with-suggester`` does (ticking it recomputes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator import Project
from annotator.agreement import OVERALL, AgreementReport, Statistic, format_table, write_csv
from annotator.agreement.report import LabelScores, PairScores
from annotator.suggest.outcomes import SUGGESTER
from ui.operations.background import BackgroundRunner
from ui.review.agreement_charts import Bar, ConfusionHeatmap, PairBarChart
from ui.widgets.plain_text import action_text, escape, make_plain, rich_label, tooltip

ANNOTATOR = "annotator"  # the name a user check box stands for (its text escapes "&")
TABLE_COLUMNS = (("Kappa", "kappa"), ("Observed", "observed"), ("F1 exact", "f1_exact"),
                 ("F1 overlap", "f1_overlap"), ("Precision exact", "precision_exact"),
                 ("Recall exact", "recall_exact"))
CHART_STATISTICS = (("Cohen's kappa", "kappa"), ("F1, exact spans", "f1_exact"),
                    ("F1, overlapping spans", "f1_overlap"), ("Observed agreement", "observed"))


def choose_csv_path(parent: QWidget) -> str | None:
    """Ask where to save the CSV (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export agreement", "agreement.csv",
                                          "CSV files (*.csv)")
    return path or None


def _cell(stat: Statistic) -> QTableWidgetItem:
    if stat.value is None:
        item = QTableWidgetItem("—")
        item.setForeground(QColor("#8c959f"))
        item.setToolTip(tooltip(f"Undefined: {stat.reason}"))
    else:
        item = QTableWidgetItem(f"{stat.value:.3f}")
        item.setToolTip(f"{stat.value!r}")
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def categories(pair: PairScores, labels: list[str]) -> list[str]:
    """The confusion matrix's categories: O, then labels, then label sets, as present."""
    present = set(pair.confusion)
    for row in pair.confusion.values():
        present.update(row)
    ordered = [c for c in ("O", *labels) if c in present]
    return ordered + sorted(present - set(ordered))


class _Progress(QObject):
    moved = Signal(int, int)


class AgreementDialog(QDialog):
    """``computed`` fires when a report is shown, ``failed(message)`` when none could be."""

    computed = Signal()
    failed = Signal(str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Inter-annotator agreement")
        self.setModal(False)
        self.resize(980, 680)
        self.project = project
        self.report: AgreementReport | None = None
        self.task: BackgroundRunner | None = None
        self._progress = _Progress(self)

        self.users = QWidget(self)
        self.users.setObjectName("agreementUsers")
        self.users.setAccessibleName("Annotators to compare")
        self._user_boxes: list[QCheckBox] = []
        self._users_layout = QHBoxLayout(self.users)
        self._users_layout.setContentsMargins(0, 0, 0, 0)
        self.all_docs = QCheckBox("All documents (not only those everyone marked done)", self)
        self.all_docs.setObjectName("agreementAllDocs")
        self.with_suggester = QCheckBox("Compare with the suggester", self)
        self.with_suggester.setObjectName("withSuggesterCheck")
        self.with_suggester.setToolTip(tooltip(
            f"Add the rule-based suggester as an annotator named \u201c{SUGGESTER}\u201d: what it "
            "proposes for every compared document (links included), against each ticked "
            "annotator. One annotator is then enough."))
        self.with_suggester.toggled.connect(lambda _checked: self._options_changed())
        self._stale = False  # options changed while computing: compute again after
        self.compute_button = QPushButton("Compute", self)
        self.compute_button.setObjectName("agreementCompute")
        self.compute_button.clicked.connect(self.compute)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("agreementExport")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_csv)
        self.summary = rich_label(parent=self)
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("agreementProgress")
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self._progress.moved.connect(self._moved)

        self.table = QTableWidget(self)
        self.table.setObjectName("agreementTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.label_table = QTableWidget(self)
        self.label_table.setObjectName("agreementLabelTable")
        self.label_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.label_table.setAlternatingRowColors(True)
        self.label_table.setShowGrid(False)
        self.label_table.verticalHeader().hide()
        table_page = QWidget(self)
        table_layout = QVBoxLayout(table_page)
        table_layout.addWidget(QLabel("<b>Per pair</b> (first annotator = reference)"))
        table_layout.addWidget(self.table, 3)
        table_layout.addWidget(QLabel("<b>Per label</b> (Krippendorff's alpha across all)"))
        table_layout.addWidget(self.label_table, 2)
        legend = QLabel(
            "Units are tokens (\\w+ or one punctuation mark). Kappa and alpha: per token, "
            "marked with the label or not (overall: the set of labels, or O). Observed: share "
            "of tokens in the same category. F1 exact: same start, end and label; F1 overlap: "
            "same label and overlapping, matched one to one. — means undefined: hover it for "
            "the reason.", self)
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #4a4f57;")
        table_layout.addWidget(legend)

        self.chart_statistic = QComboBox(self)
        self.chart_statistic.setObjectName("agreementChartStatistic")
        for title, name in CHART_STATISTICS:
            self.chart_statistic.addItem(title, name)
        self.chart_statistic.currentIndexChanged.connect(lambda _: self._fill_chart())
        self.chart = PairBarChart(self)
        chart_page = QWidget(self)
        chart_layout = QVBoxLayout(chart_page)
        chart_top = QHBoxLayout()
        chart_top.addWidget(QLabel("Statistic:"))
        chart_top.addWidget(self.chart_statistic)
        chart_top.addStretch(1)
        chart_layout.addLayout(chart_top)
        chart_layout.addWidget(self.chart, 1)

        self.confusion_pair = QComboBox(self)
        self.confusion_pair.setObjectName("confusionPair")
        self.confusion_label = QComboBox(self)
        self.confusion_label.setObjectName("confusionLabel")
        self.confusion_pair.currentIndexChanged.connect(lambda _: self._fill_confusion())
        self.confusion_label.currentIndexChanged.connect(lambda _: self._fill_confusion())
        self.heatmap = ConfusionHeatmap(self)
        self.confusion_note = make_plain(QLabel(self))  # quotes the core's reasons
        self.confusion_note.setWordWrap(True)
        self.confusion_note.setStyleSheet("color: #4a4f57;")
        confusion_page = QWidget(self)
        confusion_layout = QVBoxLayout(confusion_page)
        confusion_top = QHBoxLayout()
        confusion_top.addWidget(QLabel("Pair:"))
        confusion_top.addWidget(self.confusion_pair)
        confusion_top.addSpacing(16)
        confusion_top.addWidget(QLabel("Label:"))
        confusion_top.addWidget(self.confusion_label)
        confusion_top.addStretch(1)
        confusion_layout.addLayout(confusion_top)
        confusion_layout.addWidget(self.heatmap, 1)
        confusion_layout.addWidget(self.confusion_note)

        self.text_report = QPlainTextEdit(self)
        self.text_report.setObjectName("agreementText")
        self.text_report.setReadOnly(True)
        self.text_report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("agreementTabs")
        self.tabs.addTab(table_page, "Table")
        self.tabs.addTab(chart_page, "Chart by label")
        self.tabs.addTab(confusion_page, "Confusion matrix")
        self.tabs.addTab(self.text_report, "Report text")
        self.tabs.setEnabled(False)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Compare:"))
        controls.addWidget(self.users, 1)
        options = QHBoxLayout()
        options.addWidget(self.all_docs)
        options.addWidget(self.with_suggester)
        options.addStretch(1)
        options.addWidget(self.busy)
        options.addWidget(self.compute_button)
        options.addWidget(self.export_button)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        options.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(options)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self._fill_users()

    # inputs
    def _fill_users(self) -> None:
        for name in self.project.annotators():
            if name == "gold":
                continue
            box = QCheckBox(action_text(name), self.users)
            box.setObjectName(f"agreementUser_{name}")
            box.setProperty(ANNOTATOR, name)
            box.setChecked(True)
            self._users_layout.addWidget(box)
            self._user_boxes.append(box)
        self._users_layout.addStretch(1)

    def chosen_users(self) -> list[str]:
        return [str(box.property(ANNOTATOR)) for box in self._user_boxes if box.isChecked()]

    def set_users(self, names: list[str]) -> None:
        for box in self._user_boxes:
            box.setChecked(box.property(ANNOTATOR) in names)

    # computing
    def compute(self) -> bool:
        if self.task is not None:
            return False
        users = self.chosen_users()
        with_suggester = self.with_suggester.isChecked()
        if len(users) < (1 if with_suggester else 2):
            self._show_failure("Tick at least one annotator to compare with the suggester."
                               if with_suggester else
                               "Tick at least two annotators to compare (or one, and "
                               "Compare with the suggester).")
            return False
        project, all_docs, progress = self.project, self.all_docs.isChecked(), self._progress

        def run(_progress: object) -> AgreementReport:
            return project.agreement(users, all_docs=all_docs, with_suggester=with_suggester,
                                     progress=lambda done, total: progress.moved.emit(done, total))

        self.task = BackgroundRunner(self)
        self.task.finished.connect(self._computed)
        self.task.failed.connect(lambda message, _problems: self._show_failure(message))
        self.compute_button.setEnabled(False)
        self.busy.setRange(0, 0)
        self.busy.show()
        self.summary.setText("Computing…")
        self.task.start(run)
        return True

    def _options_changed(self) -> None:
        if self.task is None:
            self.compute()
        else:
            self._stale = True

    def _moved(self, done: int, total: int) -> None:
        self.busy.setRange(0, max(total, 1))
        self.busy.setValue(done)

    def _finish_task(self) -> None:
        self.task = None
        self.busy.hide()
        self.compute_button.setEnabled(True)

    def _again_if_stale(self) -> bool:
        """Compute again when the options changed while computing; True if it did."""
        if not self._stale:
            return False
        self._stale = False
        return self.compute()

    def _show_failure(self, message: str) -> None:
        self._finish_task()
        if self._again_if_stale():
            return
        hint = ""
        if "marked done" in message:
            hint = "<br>Tick <i>All documents</i> to compare every document."
        self.summary.setText(f"<span style='color:#cf222e'><b>No report.</b></span> "
                             f"{escape(message)}{hint}")
        self.failed.emit(message)

    def _computed(self, report: Any) -> None:
        self._finish_task()
        if self._again_if_stale():
            return
        assert isinstance(report, AgreementReport)
        self.set_report(report)

    def set_report(self, report: AgreementReport) -> None:
        self.report = report
        overall = report.overall
        kappas = ", ".join(
            f"{p.key} {p.kappa.value:.2f}" if p.kappa.value is not None else f"{p.key} —"
            for p in overall.pairs)
        alpha = "—" if overall.alpha.value is None else f"{overall.alpha.value:.3f}"
        self.summary.setText(
            f"<b>{escape(', '.join(report.users))}</b> over <b>{report.documents}</b> document(s), "
            f"<b>{report.tokens:,}</b> tokens ({overall.untagged_tokens:,} untagged by all). "
            f"Overall kappa: {escape(kappas)}; alpha: {alpha}.")
        self._fill_tables(report)
        self.text_report.setPlainText(format_table(report))
        self.confusion_pair.blockSignals(True)
        self.confusion_pair.clear()
        self.confusion_pair.addItems([p.key for p in overall.pairs])
        self.confusion_pair.blockSignals(False)
        self.confusion_label.blockSignals(True)
        self.confusion_label.clear()
        self.confusion_label.addItem("All labels (overall)", OVERALL)
        for block in report.labels:
            self.confusion_label.addItem(block.name, block.name)
        self.confusion_label.blockSignals(False)
        self._fill_chart()
        self._fill_confusion()
        self.tabs.setEnabled(True)
        self.export_button.setEnabled(True)
        self.computed.emit()

    def _blocks(self) -> list[LabelScores]:
        assert self.report is not None
        return [*self.report.labels, self.report.overall]

    def _fill_tables(self, report: AgreementReport) -> None:
        headers = ["Label", "Pair", *(t for t, _ in TABLE_COLUMNS), "Tokens"]
        rows = [(block, pair) for block in self._blocks() for pair in block.pairs]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, (block, pair) in enumerate(rows):
            name = QTableWidgetItem(block.name)
            if block.name == OVERALL:
                name.setFont(bold)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem(pair.key))
            for c, (_, attr) in enumerate(TABLE_COLUMNS, start=2):
                self.table.setItem(r, c, _cell(pair.statistic(attr)))
            tokens = QTableWidgetItem(f"{pair.tokens:,}")
            tokens.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, len(headers) - 1, tokens)
        _align_headers(self.table, right=set(range(2, len(headers))))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(84)
        header.setStretchLastSection(True)
        label_headers = ["Label", "Alpha", "Tokens marked", "Spans", "Untagged tokens"]
        self.label_table.clear()
        self.label_table.setColumnCount(len(label_headers))
        self.label_table.setHorizontalHeaderLabels(label_headers)
        blocks = self._blocks()
        self.label_table.setRowCount(len(blocks))
        for r, block in enumerate(blocks):
            self.label_table.setItem(r, 0, QTableWidgetItem(block.name))
            self.label_table.setItem(r, 1, _cell(block.alpha))
            self.label_table.setItem(r, 2, QTableWidgetItem(
                ", ".join(f"{u} {n:,}" for u, n in block.tokens_marked.items())))
            self.label_table.setItem(r, 3, QTableWidgetItem(
                ", ".join(f"{u} {n:,}" for u, n in block.spans.items())))
            untagged = QTableWidgetItem(f"{block.untagged_tokens:,}")
            untagged.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.label_table.setItem(r, 4, untagged)
        _align_headers(self.label_table, right={1, 4})
        label_header = self.label_table.horizontalHeader()
        label_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        label_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        label_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _fill_chart(self) -> None:
        if self.report is None:
            return
        name = str(self.chart_statistic.currentData())
        title = self.chart_statistic.currentText()
        blocks = self._blocks()
        series = [p.key for p in self.report.overall.pairs]
        bars = [Bar(block.name, pair.key, pair.statistic(name).value,
                    pair.statistic(name).reason)
                for block in blocks for pair in block.pairs]
        self.chart.set_data(f"{title} by label and pair", [b.name for b in blocks], series,
                            bars)

    def _fill_confusion(self) -> None:
        if self.report is None or self.confusion_pair.currentIndex() < 0:
            return
        block = self.report.label(str(self.confusion_label.currentData() or OVERALL))
        key = self.confusion_pair.currentText()
        pair = next((p for p in block.pairs if p.key == key), None)
        if pair is None:
            return
        labels = [b.name for b in self.report.labels]
        cats = categories(pair, labels) or ["O"]
        self.heatmap.set_matrix(cats, pair.confusion, pair.first, pair.second)
        kappa = pair.kappa
        self.confusion_note.setText(
            f"Tokens both annotated: {pair.tokens:,}; same category: {pair.agreeing_tokens:,}. "
            "O = no label; \"a+b\" = marked with both. "
            + (f"Kappa {kappa.value:.3f}." if kappa.value is not None
               else f"Kappa undefined: {kappa.reason}."))

    # export
    def export_csv(self, path: str | None = None) -> str | None:
        if self.report is None:
            return None
        target = path or choose_csv_path(self)
        if not target:
            return None
        try:
            with open(target, "w", encoding="utf-8", newline="") as file:
                write_csv(self.report, file)
        except OSError as error:
            self.summary.setText(f"<span style='color:#cf222e'>Could not write "
                                 f"{escape(Path(target).name)}: {escape(error)}</span>")
            return None
        self.summary.setText(self.summary.text().split("<br><i>Saved")[0]
                             + f"<br><i>Saved {escape(Path(target).name)}</i>")
        return target

    def closeEvent(self, event: Any) -> None:
        if self.task is not None:
            self.task.wait()
        super().closeEvent(event)


def _align_headers(table: QTableWidget, right: set[int]) -> None:
    """Headers sit over their values: numbers right, text left."""
    for column in range(table.columnCount()):
        item = table.horizontalHeaderItem(column)
        if item is not None:
            side = Qt.AlignmentFlag.AlignRight if column in right else Qt.AlignmentFlag.AlignLeft
            item.setTextAlignment(side | Qt.AlignmentFlag.AlignVCenter)
