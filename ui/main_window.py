"""The annotation workspace: document list, reading pane, annotation table, label toolbar.

The window is the composition root: it builds the panes and the features (layers, review
mode, curation, agreement, colleagues' work, exchange), hands each the narrow interface it
needs (:mod:`ui.feature_host`, which the window satisfies), places their toolbars, docks and
status-bar widgets, builds the menu bar from everybody's actions in one place
(:mod:`ui.menu_bar`), owns the undo stack and the change feed, and is the one place that
applies the core's ``Changes`` to every view (:meth:`MainWindow.apply_changes`), whoever made
them: this window, a job on a worker thread, the command line or a colleague. Every change
goes through the core service (annotator.Project).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

import annotator
from annotator import AnnotatorError, Changes, Project
from annotator.gc_pause import gc_paused
from annotator.records import ImportReport, LabelRecord
from ui.documents.document_actions import DocumentActions
from ui.documents.document_list import DocumentList
from ui.documents.document_model import DocumentListModel
from ui.exchange.exchange_actions import ExchangeActions
from ui.exchange.import_worker import ImportController
from ui.menu_bar import Menus
from ui.operations.background import BackgroundRunner
from ui.operations.change_feed import ChangeFeed
from ui.operations.write_wait import WriteWaitNotice
from ui.review.agreement import Agreement
from ui.review.colleague_work import ColleagueWork
from ui.review.curation import Curation
from ui.review.layers import Layers, annotation_pane
from ui.review.review_mode import ReviewMode
from ui.settings import Settings
from ui.widgets.backups_dialog import BackupsDialog
from ui.widgets.labels_dialog import LabelsDialog
from ui.widgets.plain_text import action_text, message_box, plain_label
from ui.widgets.preferences_dialog import Preferences, PreferencesDialog
from ui.widgets.status_bar import AnnotatorStatusBar
from ui.widgets.style import window_style
from ui.window_actions import build_actions
from ui.workspace.annotation_editing import AnnotationEditing
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.annotation_table import AnnotationTable
from ui.workspace.document_view import DocumentView
from ui.workspace.find_bar import FindBar
from ui.workspace.label_toolbar import LabelToolbar
from ui.workspace.linking import Links
from ui.workspace.overlay import Overlay
from ui.workspace.proposals import HINT, Proposals
from ui.workspace.relation_table import RelationTable, RelationTableModel

if TYPE_CHECKING:  # the dialog loads when first shown
    from ui.widgets.shortcuts_dialog import ShortcutsDialog

SAMPLE_TITLE = "Sample: Harbour town bets on tidal power"


def sample_text() -> str:
    return resources.files("resources").joinpath("sample_document.txt").read_text("utf-8")


class MainWindow(QMainWindow):
    def __init__(self, project: Project, settings: Settings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName("Annotator")
        self.project = project
        self.settings = settings if settings is not None else Settings(QSettings())
        self.undo_stack = QUndoStack(self)
        self._labels: list[LabelRecord] = []
        self._counts_shown = False  # by apply_changes: the status counts are up to date

        self.view = DocumentView(self)
        self.view.setAcceptDrops(False)  # dropped files go to the window's import
        self.view.setPlaceholderText(
            "Open a document from the list (Enter or double-click).\n\n"
            "Then select a passage and press a label's key — 1 claim, 2 source, 3 fact. "
            "Tab moves between annotations, N adds a note, Delete removes, Ctrl+Z undoes."
        )
        self.find_bar = FindBar(self.view, self)
        self.find_bar.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.read_only_banner = plain_label("", central)
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            "QLabel#readOnlyBanner { background: #FFF4CE; color: #3D2E00; padding: 6px 10px;"
            " border-bottom: 1px solid #E0C46C; }")
        self.read_only_banner.hide()
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)

        self.document_model = DocumentListModel(self)
        self.document_list = DocumentList(self.document_model, self)
        self.documents_dock = self._dock("Documents", "documentsDock", self.document_list)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents_dock)
        self.annotation_model = AnnotationTableModel(self)
        self.annotation_table = AnnotationTable(self.annotation_model, self)
        self.annotations_dock = self._dock("Annotations", "annotationsDock", self.annotation_table)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.annotations_dock)
        self.relation_model = RelationTableModel(self)
        self.relation_table = RelationTable(self.relation_model, self)
        self.relations_dock = self._dock("Relations", "relationsDock", self.relation_table)
        self.splitDockWidget(self.annotations_dock, self.relations_dock,
                             Qt.Orientation.Horizontal)
        self.resizeDocks([self.documents_dock], [300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.annotations_dock], [220], Qt.Orientation.Vertical)

        self.label_toolbar = LabelToolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_toolbar)
        self.status = AnnotatorStatusBar(self)
        self.setStatusBar(self.status)

        self.editing = AnnotationEditing(
            lambda: self.project,
            self.undo_stack,
            self.view,
            self.annotation_table,
            self.annotation_model,
            self.open_document,
        )
        self.editing.message.connect(lambda text: self.status.showMessage(text, 8000))
        self.editing.countsChanged.connect(self._update_counts)
        self.editing.saveStateChanged.connect(self.status.set_saved)
        # Before the links: the filter installed last sees keys first, and a link being made
        # has the keys before proposals do.
        self.proposals = Proposals(lambda: self.project, self.undo_stack, self.view,
                                   self.editing, self.annotation_model,
                                   lambda: self.review.active, self)
        self.proposals.overlayChanged.connect(self._update_overlay)
        self.links = Links(lambda: self.project, self.undo_stack, self.view, self.editing,
                           self.annotation_model, self.relation_table, self)
        self.links.overlayChanged.connect(self._update_overlay)
        self.links.countChanged.connect(self.status.set_unsourced)
        self.imports = ImportController(self)
        self.imports.imported.connect(self._imported)
        self.imports.failed.connect(self.show_error)
        self.label_toolbar.labelTriggered.connect(self.editing.apply_label)
        self.document_list.documentActivated.connect(self.open_document)
        self.document_list.addSampleRequested.connect(self.add_sample_document)
        self.document_list.importRequested.connect(self.import_dialog)
        self.labels_dialog: LabelsDialog | None = None
        self.setAcceptDrops(True)
        self.resize(1280, 820)
        self.setStyleSheet(window_style())

        # The features, each given what it needs of the window (ui.feature_host), not the
        # window; the window places their widgets and shows their actions in its menus.
        self.window_actions = build_actions(self, self)
        self.exchange = ExchangeActions(self, self)
        self.layers = Layers(self, self)
        self.review = ReviewMode(self, self.layers, self)
        self.curation = Curation(self, self.layers, self)
        self.agreement = Agreement(self, self)
        self.colleague_work = ColleagueWork(self, self)
        self.document_actions = DocumentActions(self, self.undo_stack, self.document_list,
                                                self.document_model, self)
        self._place_features()
        self.menus = Menus(self.window_actions, self.exchange, self.layers, self.review,
                           self.curation, self.agreement, self.colleague_work, self.links,
                           self.proposals, self.document_actions)
        self.menus.build(self.menuBar())
        self.feed = ChangeFeed(self)
        self.feed.changed.connect(self.apply_changes)
        self.write_wait = WriteWaitNotice(self.status, self)
        self._apply_settings()
        self._load_project()

    def _place_features(self) -> None:
        self.annotations_dock.setWidget(
            annotation_pane(self.annotation_table, self.layers.annotator_filter))
        self.status.insertPermanentWidget(0, self.layers.button)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.review.toolbar)
        dock = self.curation.dock
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.resizeDocks([dock], [460], Qt.Orientation.Horizontal)
        dock.hide()

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        return dock

    def _apply_settings(self) -> None:
        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self.window_actions.word_snapping.setChecked(self.settings.word_snapping())
        self.view.set_word_snapping(self.settings.word_snapping())
        font = self.settings.reading_font()
        if font is not None:
            self.view.set_reading_font(font)

    # project
    def _load_project(self) -> None:
        name = Path(self.project.location).name or self.project.location
        self.setWindowTitle(f"{name} — Annotator")
        self.status.set_user(self.project.user)
        self._reload_labels()
        self.document_model.set_documents(self.project.documents())
        self.editing.close()
        self._features_follow_project()
        self.feed.follow(self.project)
        self.project.waiting = self.write_wait
        self.settings.add_recent_project(self.project.location)
        self._fill_recent_menu()
        self._show_read_only()

    def _show_read_only(self) -> None:
        """A read-only project says why in a banner, and the actions that would change it
        are off (the core refuses any write that gets through, with the same reason)."""
        reason = self.project.read_only_reason
        self.read_only_banner.setVisible(reason is not None)
        if reason is not None:
            self.read_only_banner.setText(
                f"Read-only: {reason}. You can read, search, compare and export; "
                "changes cannot be saved.")
        for action in self._writing_actions():
            action.setEnabled(reason is None)

    def _writing_actions(self) -> list[QAction]:
        base, links, proposals = self.window_actions, self.links, self.proposals
        return [
            *self.label_toolbar.label_actions(), base.delete, base.copy_to_my_layer,
            base.edit_note, base.labels, base.import_documents, base.mark_done,
            base.restore_backup, self.exchange.import_action,
            self.colleague_work.merge_action, links.link_action, links.unlink_action,
            proposals.accept_all_action, proposals.tag_all_action,
            proposals.tag_all_project_action,
        ]

    # the one refresh point
    def apply_changes(self, changes: Changes) -> None:
        """Bring every view up to date with what the core says changed."""
        # The status counts are shown once: the open document's editing shows them when
        # its annotations change (countsChanged), else they are shown at the end (a
        # rename or a label change may have changed them).
        self._counts_shown = False
        if changes.labels or changes.reset:
            self._reload_labels()
        self._refresh_documents(changes)
        self.editing.apply_changes(changes)
        self.links.apply_changes(changes)
        self.proposals.apply_changes(changes)
        self.layers.apply_changes(changes)
        self.review.apply_changes(changes)
        self.curation.apply_changes(changes)
        if not self._counts_shown:
            self._update_counts()

    def _update_overlay(self) -> None:
        """What the text view draws over the text, from the features that contribute."""
        proposals = self.proposals
        self.view.set_overlay(Overlay(
            links=self.links.links() or proposals.links(),
            proposals=proposals.marks(),
            focused_proposal=proposals.focused_position(),
            hint=HINT,
            unsourced=self.links.unsourced_marks(),
        ))

    def _features_follow_project(self) -> None:
        """Another project, or another user: the features reload what they show."""
        self.layers.refresh_annotators()
        self.links.reload()
        self.proposals.forget()
        self.review.project_changed()
        self.curation.project_changed()

    def _refresh_documents(self, changes: Changes) -> None:
        current = self.current_document_id()
        try:
            if changes.reset or changes.documents_removed:
                listed = [d.id for d in self.document_model.all_documents()]
                self.document_model.set_documents(self.project.documents())
                if current is not None and self.document_model.info(current) is None:
                    self._open_instead_of(current, listed)
                    return
                self.document_model.set_current(current)
                if current is not None:
                    self.document_list.select_document(current)
            elif changes.documents_added or changes.documents_updated:
                self.document_model.merge_documents(self.project.documents(changes.documents))
            elif changes.documents:
                self._refresh_counts(changes)
            if current is not None and current in changes.documents_updated:
                self._follow_rename(current)
        except AnnotatorError as error:
            self.status.showMessage(str(error), 8000)

    def _open_instead_of(self, gone: str, listed: list[str]) -> None:
        """The open document was deleted (here, in another window, by a merge, or a
        restored backup lacks it): show the next one still listed, and say why."""
        document = self.editing.document
        title = document.title if document is not None else ""
        self.editing.close()
        self.document_model.set_current(None)
        position = listed.index(gone) if gone in listed else len(listed)
        after = [d for d in (*listed[position + 1:], *reversed(listed[:position]))
                 if self.document_model.info(d) is not None]
        if after and self.open_document(after[0]):
            self.status.showMessage(f"“{title}” was deleted; showing the next document", 10000)
        else:
            self.status.showMessage(f"“{title}” was deleted", 10000)

    def _follow_rename(self, document_id: str) -> None:
        info = self.document_model.info(document_id)
        document = self.editing.document
        if info is not None and document is not None and document.title != info.title:
            self.editing.document = replace(document, title=info.title)

    def _refresh_counts(self, changes: Changes) -> None:
        """Counts and the user's statuses in the document list. A write of this window
        names every record it changed and every status it set, so the list follows it
        without a query (a key press on a document with 10^4 annotations would otherwise
        count them all again); for anything else the core is asked."""
        user = self.project.user
        statuses = {document: changes.status_values.get((document, annotator))
                    for document, annotator in changes.statuses if annotator == user}
        if not changes.has_all_records or None in statuses.values():
            self.document_model.merge_documents(self.project.documents(changes.documents))
            return
        deltas: dict[str, int] = {}
        for annotation_id, document in changes.annotation_documents.items():
            if annotation_id in changes.annotations_added:
                deltas[document] = deltas.get(document, 0) + 1
            elif annotation_id in changes.annotations_removed:
                deltas[document] = deltas.get(document, 0) - 1
        for document, delta in deltas.items():
            if delta:
                self.document_model.adjust_count(document, delta)
        for document, status in statuses.items():
            if status is not None:
                self.document_model.update_document(document, status=status)

    def switch_project(self, location: str, *, must_exist: bool = False) -> bool:
        """Open another project in this window; the old one is closed, undo history cleared.

        With `must_exist` (a recent project, File › Open) a missing file is reported and
        forgotten rather than silently created empty in its place.
        """
        if must_exist and not Path(location).exists():
            self.settings.remove_recent_project(location)
            self._fill_recent_menu()
            self.show_error(f"{location} no longer exists; it was removed from the recent "
                            "projects.")
            return False
        try:
            new = annotator.open_project(location, user=self.project.user)
        except AnnotatorError as error:
            self.show_error(str(error))
            return False
        self._adopt(new)
        self.status.showMessage(f"Opened {new.location}", 5000)
        return True

    def restore_backup_dialog(self) -> BackupsDialog | None:
        """File › Restore backup…: choose one of the project's backups to put back."""
        try:
            backups = self.project.backups()
        except AnnotatorError as error:
            self.show_error(str(error))
            return None
        dialog = BackupsDialog(backups, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._restore_chosen(dialog))
        dialog.open()
        return dialog

    def _restore_chosen(self, dialog: BackupsDialog) -> None:
        chosen = dialog.chosen()
        if chosen is not None:
            self.restore_backup(chosen.name)

    def restore_backup(self, name: str) -> bool:
        """Put backup ``name`` back (the core backs the current state up first), then reload
        the whole project: everything shown, and the undo history, belonged to the state
        replaced."""
        runners = self.findChildren(BackgroundRunner)
        if self.imports.busy() or any(runner.busy() for runner in runners):
            self.show_error("An import, export or merge is running; restore the backup once "
                            "it has finished.")
            return False
        location = self.project.location
        try:
            saved = self.project.restore_backup(name)
            new = annotator.open_project(location, user=self.project.user, create=False)
        except AnnotatorError as error:
            self.show_error(f"Cannot restore {name}: {error}")
            return False
        self._adopt(new)
        kept = f"; the state it replaced is in {saved.name}" if saved is not None else ""
        self.status.showMessage(f"Restored {name}{kept}", 15000)
        return True

    def _adopt(self, new: Project) -> None:
        """Show ``new`` instead of the project open now, which is closed; undo starts over."""
        old, self.project = self.project, new
        self.undo_stack.clear()
        self._load_project()
        old.close()

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", "project.annotator.db", "Annotator projects (*.db)"
        )
        if path:
            self.switch_project(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", "Annotator projects (*.db);;All files (*)"
        )
        if path:
            self.switch_project(path)

    def _fill_recent_menu(self) -> None:
        menu = self.window_actions.recent_menu
        menu.clear()
        for location in self.settings.recent_projects():
            action = menu.addAction(action_text(location))
            action.triggered.connect(
                lambda _=False, p=location: self.switch_project(p, must_exist=True))
        menu.setEnabled(not menu.isEmpty())

    # labels
    def _reload_labels(self) -> None:
        labels = self.project.labels()
        self.label_toolbar.set_labels(labels)
        self.addActions(self.label_toolbar.label_actions())
        for action in self.label_toolbar.label_actions():
            action.setEnabled(not self.project.read_only)
        self.editing.set_labels(labels)
        self._labels = labels
        colors = {label.name: label.color for label in labels}
        self.proposals.set_colors(lambda name: colors.get(name, "#999999"))
        self._update_counts()

    def open_labels_dialog(self) -> LabelsDialog:
        if self.labels_dialog is None:
            self.labels_dialog = LabelsDialog(self.project, self)
            self.labels_dialog.labelsChanged.connect(self._labels_changed)
            self.labels_dialog.finished.connect(self._labels_dialog_closed)
        self.labels_dialog.show()
        self.labels_dialog.raise_()
        return self.labels_dialog

    def _labels_dialog_closed(self) -> None:
        if self.labels_dialog is not None:
            self.labels_dialog.deleteLater()
            self.labels_dialog = None

    def _labels_changed(self, structural: bool) -> None:
        # The views follow the labels' Changes; commands, though, remember label names and
        # annotations a removal took with it: their history ends here, visibly.
        if structural:
            self.clear_undo("Renaming or removing a label")

    # documents
    def open_document(self, document_id: str) -> bool:
        # What the previous document froze goes back under the collector's eye, so cycles
        # left from it are collected in due course instead of kept for ever.
        gc.unfreeze()
        with gc_paused():  # a bulk load: see annotator.gc_pause
            try:
                document, records, relations = self.project.document_contents(document_id)
            except AnnotatorError as error:
                self.show_error(str(error))
                return False
            self.editing.open(document, records, relations)
            # The document's records and spans live as long as it is open: out of the
            # cyclic collector's sight, a key press never pays a full collection over them
            # (~350 ms with 10,000 annotations). They are still freed by reference
            # counting. Frozen before the collector is back on, they are not examined
            # once first either (a young collection of the whole load, ~12 ms at 10^4).
            gc.freeze()
        if self.find_bar.isVisible():
            self.find_bar.refresh()
        self.document_model.set_current(document_id)
        self.document_list.select_document(document_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def current_document_id(self) -> str | None:
        return self.editing.document.id if self.editing.document else None

    def _ordered_ids(self) -> list[str]:
        visible = [d.id for d in self.document_model.visible_documents()]
        current = self.current_document_id()
        if current is None or current in visible:
            return visible
        return [d.id for d in self.document_model.all_documents()]

    def step_document(self, step: int) -> bool:
        ids = self._ordered_ids()
        if not ids:
            return False
        current = self.current_document_id()
        if current not in ids:
            return self.open_document(ids[0] if step > 0 else ids[-1])
        position = ids.index(current) + step
        if not 0 <= position < len(ids):
            self.status.showMessage("No more documents that way", 4000)
            return False
        return self.open_document(ids[position])

    def mark_done_and_next(self) -> bool:
        current = self.current_document_id()
        if current is None:
            return False
        try:
            self.project.set_status(current, "done")
        except AnnotatorError as error:
            self.status.set_saved(False, str(error))
            self.show_error(str(error))
            return False
        self.status.set_saved(True)
        ids = self._ordered_ids()
        start = ids.index(current) if current in ids else -1
        for document_id in ids[start + 1 :] + ids[: start + 1]:
            info = self.document_model.info(document_id)
            if info is not None and info.status != "done":
                return self.open_document(document_id)
        self.status.showMessage("Every document is done", 8000)
        return False

    def add_sample_document(self) -> str | None:
        try:
            document_id = self.project.add_document(
                sample_text(), SAMPLE_TITLE, file_name="sample_document.txt"
            )
        except AnnotatorError as error:
            self.show_error(str(error))
            return None
        self.open_document(document_id)
        self.status.showMessage(
            "Select a passage and press 1, 2 or 3 to tag it as claim, source or fact", 15000
        )
        return document_id

    # import
    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import documents",
            "",
            "Documents (*.txt *.md *.html *.htm *.docx *.pdf *.json *.jsonl *.csv);;All files (*)",
        )
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> bool:
        if self.project.read_only_reason is not None:
            self.show_error(f"Nothing can be imported: the project is read-only "
                            f"({self.project.read_only_reason}).")
            return False
        if self.imports.busy():
            self.status.showMessage("An import is already running", 5000)
            return False
        return self.imports.start(self.project, paths)

    def _imported(self, report: ImportReport) -> None:
        parts = [f"{report.imported} imported"]
        if report.skipped:
            parts.append(f"{report.skipped} skipped")
        if report.failed:
            parts.append(f"{report.failed} failed")
        if report.cancelled:
            parts.append("cancelled")
        self.status.showMessage("Import: " + ", ".join(parts), 10000)
        failures = [
            f"{Path(f.path).name}: {f.reason}" for f in report.files if f.outcome == "failed"
        ]
        if failures:
            more = f"\n… and {len(failures) - 20} more" if len(failures) > 20 else ""
            self.show_error("Some files could not be imported:\n" + "\n".join(failures[:20])
                            + more, status="Import: " + ", ".join(parts))
        if self.editing.document is None and report.document_ids:
            self.open_document(report.document_ids[0])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self.import_files(paths):
            event.acceptProposedAction()

    # view, preferences, help
    def set_word_snapping(self, on: bool) -> None:
        self.view.set_word_snapping(on)
        self.settings.set_word_snapping(on)

    def show_find(self) -> None:
        selection = self.view.textCursor().selectedText()
        short = selection and len(selection) < 80 and "\u2029" not in selection
        self.find_bar.open_bar(selection if short else None)

    def open_preferences(self) -> PreferencesDialog:
        current = Preferences(self.project.user, self.view.word_snapping(), self.view.font())
        dialog = PreferencesDialog(current, self)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.preferences()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def apply_preferences(self, preferences: Preferences) -> None:
        if preferences.user and preferences.user != self.project.user:
            try:
                self.project.set_user(preferences.user)
            except AnnotatorError as error:
                self.show_error(str(error))
            else:
                self.settings.set_user_name(preferences.user)
                self.status.set_user(self.project.user)
                self.document_model.set_documents(self.project.documents())
                self._features_follow_project()
                if self.editing.document is not None:
                    self.open_document(self.editing.document.id)
        self.window_actions.word_snapping.setChecked(preferences.word_snapping)
        self.view.set_reading_font(preferences.font)
        self.settings.set_reading_font(preferences.font)

    def shortcut_groups(self) -> list[tuple[str, list[QAction]]]:
        """Every action with its menu's name: what Help › Keyboard shortcuts lists."""
        return [("Labels", self.label_toolbar.label_actions()), *self.menus.shortcut_groups()]

    def show_shortcuts(self) -> ShortcutsDialog:
        from ui.widgets.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.shortcut_groups(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def clear_undo(self, what: str, summary: str = "") -> None:
        """End the undo history, saying so, after ``summary`` (what the operation did):
        for operations that cannot be undone."""
        notice = ""
        if self.undo_stack.count():
            self.undo_stack.clear()
            notice = f"{what} cannot be undone: the undo history was cleared"
        message = " — ".join(part for part in (summary, notice) if part)
        if message:
            self.status.showMessage(message, 15000)

    def show_status(self, message: str, timeout: int = 0) -> None:
        self.status.showMessage(message, timeout)

    def show_error(self, message: str, *, status: str | None = None) -> None:
        """Show a core error without blocking: a window-modal box that returns at once."""
        self.status.showMessage(status or message.splitlines()[0], 10000)
        box = message_box(QMessageBox.Icon.Warning, "Annotator", message, self)
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _update_counts(self) -> None:
        self._counts_shown = True
        document = self.editing.document
        self.status.set_counts(
            document.title if document else None,
            self.annotation_model.label_counts(),
            self._labels,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.imports.wait()
        # A running export, import, merge or bundle must end before its thread object goes.
        for runner in self.findChildren(BackgroundRunner):
            runner.wait()
        self.feed.stop()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()
        super().closeEvent(event)

