"""Reviewing colleagues' work in the main window: layers, review mode, curation, agreement,
merge and bundles. ``install_review_actions(window)`` adds all of it to a MainWindow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from annotator import Changes
from annotator.review_records import MergeReport
from ui.review import merge_dialog
from ui.review.agreement_dialog import AgreementDialog
from ui.review.curation_view import CurationView
from ui.review.layers import Layers
from ui.review.merge_dialog import BundleExport, MergeDialog
from ui.review.review_mode import ReviewMode

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _unset(*_args: object) -> NoReturn:
    raise RuntimeError("install_review_actions has not finished")


@dataclass
class ReviewTools:
    """What install_review_actions added (kept on the window as ``review_tools``)."""

    layers: Layers
    review: ReviewMode
    curation: CurationView
    curation_dock: QDockWidget
    review_menu: QMenu
    agreement_action: QAction
    merge_action: QAction
    bundle_action: QAction
    next_disagreement: QAction
    previous_disagreement: QAction
    agreement_dialog: AgreementDialog | None = None
    merge_dialog: MergeDialog | None = None
    bundle_export: BundleExport | None = None
    # Filled in by install_review_actions: the menu commands, callable from code and tests.
    open_agreement: Callable[[], AgreementDialog] = field(default=_unset)
    open_merge: Callable[..., MergeDialog | None] = field(default=_unset)
    export_bundle: Callable[..., BundleExport | None] = field(default=_unset)

    def apply_changes(self, changes: Changes) -> None:
        """The review features' part of the window's one refresh point."""
        if changes.reset or changes.labels or not changes.has_all_records:
            self.layers.refresh_annotators()  # someone's work arrived: maybe a new layer
        self.review.apply_changes(changes)
        touched = changes.reset or changes.annotations or changes.reviews
        if touched and self.curation_dock.isVisible():
            self.curation.refresh()


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu() is not None:
            menu = action.menu()
            return menu if isinstance(menu, QMenu) else None
    return None


def _action(window: MainWindow, text: str, name: str, keys: list[str] | None = None) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    window.addAction(action)
    return action


def install_review_actions(window: MainWindow) -> None:
    """Add layers, review mode, curation, agreement, merge and bundle export to ``window``.

    Installing twice changes nothing (the window installs it itself; tests may call it too).
    """
    if getattr(window, "review_tools", None) is not None:
        return
    layers = Layers(window)
    review = ReviewMode(window, layers)
    curation = CurationView(window, layers)
    dock = QDockWidget("Curation", window)
    dock.setObjectName("curationDock")
    dock.setWidget(curation)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [460], Qt.Orientation.Horizontal)
    dock.hide()
    show_curation = dock.toggleViewAction()
    show_curation.setText("&Curation (gold adjudication)")
    show_curation.setObjectName("curationAction")
    show_curation.setShortcut(QKeySequence("Ctrl+Shift+G"))
    window.addAction(show_curation)
    dock.visibilityChanged.connect(lambda shown: curation.refresh() if shown else None)

    next_disagreement = _action(window, "Next &disagreement", "nextDisagreementAction", ["."])
    previous_disagreement = _action(window, "Previous d&isagreement",
                                    "previousDisagreementAction", [","])

    def step_disagreement(direction: int) -> None:
        if not dock.isVisible():
            dock.show()
        curation.step(direction)

    next_disagreement.triggered.connect(lambda: step_disagreement(1))
    previous_disagreement.triggered.connect(lambda: step_disagreement(-1))

    agreement = _action(window, "&Agreement…", "agreementAction", ["Ctrl+Shift+K"])
    merge = _action(window, "&Merge colleague's work…", "mergeAction", ["Ctrl+Shift+M"])
    bundle = _action(window, "E&xport bundle…", "exportBundleAction")
    merge.setStatusTip("Bring in a colleague's bundle (.zip) or project file (.db)")
    bundle.setStatusTip("Write this project's work to a zip for a colleague")

    review_menu = QMenu("&Review", window)
    review_menu.setObjectName("reviewMenu")
    review_menu.addActions(review.actions())
    review_menu.addSeparator()
    review_menu.addAction(review.to_gold_action)
    review_menu.addSeparator()
    review_menu.addActions([show_curation, next_disagreement, previous_disagreement])
    review_menu.addSeparator()
    review_menu.addAction(agreement)
    help_menu = _menu(window, "Help")
    bar = window.menuBar()
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), review_menu)
    else:
        bar.addMenu(review_menu)

    view_menu = _menu(window, "View")
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addMenu(layers.menu)
    file_menu = _menu(window, "File")
    if file_menu is not None:
        quit_action = window.window_actions.quit
        file_menu.insertActions(quit_action, [merge, bundle])
        file_menu.insertSeparator(quit_action)

    tools = ReviewTools(layers, review, curation, dock, review_menu, agreement, merge, bundle,
                        next_disagreement, previous_disagreement)
    window.review_tools = tools

    def open_agreement() -> AgreementDialog:
        if tools.agreement_dialog is not None:
            tools.agreement_dialog.close()
            tools.agreement_dialog.deleteLater()
        dialog = AgreementDialog(window.project, window)
        tools.agreement_dialog = dialog
        dialog.show()
        dialog.compute()
        return dialog

    def open_merge(source: str | None = None) -> MergeDialog | None:
        path = source or merge_dialog.choose_merge_source(window)
        if not path:
            return None
        if tools.merge_dialog is not None and tools.merge_dialog.task.busy():
            window.status.showMessage("A merge is already running", 5000)
            return None
        if tools.merge_dialog is not None:
            tools.merge_dialog.close()
            tools.merge_dialog.deleteLater()
        dialog = MergeDialog(window.project, path, window)
        tools.merge_dialog = dialog

        def merged(report: object) -> None:
            assert isinstance(report, MergeReport)
            # The views follow the merge's Changes; undo would act on replaced versions.
            window.clear_undo("Merging", f"Merged {Path(report.source).name}: "
                              f"{report.annotations_added} added, "
                              f"{report.annotations_updated} updated")

        dialog.merged.connect(merged)
        dialog.start()
        return dialog

    def export_bundle(target: str | None = None) -> BundleExport | None:
        name = Path(window.project.location).stem.split(".")[0] or "project"
        path = target or merge_dialog.choose_bundle_path(
            window, f"{name}-{window.project.user}.zip")
        if not path:
            return None
        export = BundleExport(window.project, path, window)
        tools.bundle_export = export

        def done(message: str, ok: bool) -> None:
            if ok:
                window.status.showMessage(message, 10000)
            else:
                window.show_error(message)

        export.done.connect(done)
        export.start()
        return export

    # Switching project or user (Preferences) reloads the document list; the review state
    # follows whichever project and user the window has now.
    seen = [window.project, window.project.user]

    def project_or_user_changed() -> None:
        if seen == [window.project, window.project.user]:
            return
        seen[:] = [window.project, window.project.user]
        review.set_active(False)
        layers.refresh_annotators()
        review.reload()
        if dock.isVisible():
            curation.refresh()

    window.document_model.modelReset.connect(project_or_user_changed)

    agreement.triggered.connect(lambda: open_agreement())
    merge.triggered.connect(lambda: open_merge())
    bundle.triggered.connect(lambda: export_bundle())
    tools.open_agreement = open_agreement
    tools.open_merge = open_merge
    tools.export_bundle = export_bundle

    # Help › Keyboard shortcuts lists the review keys too.
    window.window_actions.extra_groups.append(
        ("Review", [*review.actions(), show_curation, next_disagreement,
                    previous_disagreement, agreement, merge])
    )
