"""The whole menu bar, and the groups Help › Keyboard shortcuts lists, in one place.

Every menu is built here from the window's own actions (:mod:`ui.window_actions`) and the
features' actions; no feature adds to a menu, and no menu is looked up by its title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar

from ui.documents.document_actions import DocumentActions
from ui.exchange.exchange_actions import ExchangeActions
from ui.review.agreement import Agreement
from ui.review.colleague_work import ColleagueWork
from ui.review.curation import Curation
from ui.review.layers import Layers
from ui.review.review_mode import ReviewMode
from ui.window_actions import WindowActions
from ui.workspace.linking import Links
from ui.workspace.proposals import Proposals

# An entry of a menu: an action, a submenu, or None for a separator.
Entry = QAction | QMenu | None


@dataclass(frozen=True)
class Menus:
    """Every action the menu bar shows, by where it comes from."""

    base: WindowActions
    exchange: ExchangeActions
    layers: Layers
    review: ReviewMode
    curation: Curation
    agreement: Agreement
    colleague_work: ColleagueWork
    links: Links
    proposals: Proposals
    documents: DocumentActions

    def layout(self) -> list[tuple[str, str, list[Entry]]]:
        """(title, object name, entries) of each menu, left to right."""
        base = self.base
        return [
            ("&File", "fileMenu", [
                base.new_project, base.open_project, base.recent_menu, None,
                base.import_documents, self.exchange.import_action, self.exchange.export_action,
                None,
                self.colleague_work.merge_action, self.colleague_work.bundle_action, None,
                base.restore_backup, None,
                base.quit,
            ]),
            ("&Edit", "editMenu", [
                base.undo, base.redo, None,
                base.delete, base.copy_to_my_layer, base.edit_note, None,
                self.links.link_action, self.links.unlink_action, None,
                base.labels, base.preferences,
            ]),
            ("&View", "viewMenu", [
                base.find, base.word_snapping, None,
                base.next_pane, base.previous_pane, base.filter_documents, None,
                base.show_documents, base.show_annotations, None,
                self.layers.menu,
            ]),
            ("&Document", "documentMenu", [
                base.next_document, base.previous_document, base.mark_done, None,
                self.proposals.suggest_action, self.proposals.stop_action,
                self.proposals.accept_all_action,
                self.proposals.discard_action, None,
                self.proposals.tag_all_action, self.proposals.tag_all_project_action, None,
                *self.documents.actions(),
            ]),
            ("&Review", "reviewMenu", [
                *self.review.actions(), None,
                self.review.to_gold_action, None,
                *self.curation.actions(), None,
                self.agreement.action,
            ]),
            ("&Help", "helpMenu", [base.shortcuts]),
        ]

    def build(self, bar: QMenuBar) -> list[QMenu]:
        """Fill `bar` with every menu; returns the menus, left to right."""
        menus = []
        for title, name, entries in self.layout():
            menu = QMenu(title, bar)
            menu.setObjectName(name)
            _fill(menu, entries)
            bar.addMenu(menu)
            menus.append(menu)
        return menus

    def shortcut_groups(self) -> list[tuple[str, list[QAction]]]:
        """The actions with keys by menu, as the shortcuts dialog lists them (after the
        labels, which the window's label toolbar holds)."""
        return [
            *self.base.groups(),
            ("Links and suggestions", [self.links.link_action,
                                       self.proposals.suggest_action,
                                       self.proposals.tag_all_action]),
            ("File", [self.exchange.import_action, self.exchange.export_action]),
            ("Document", self.documents.actions()),
            ("Review", [*self.review.actions(), *self.curation.actions(),
                        self.agreement.action, self.colleague_work.merge_action]),
        ]


def _fill(menu: QMenu, entries: Sequence[Entry]) -> None:
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        elif isinstance(entry, QMenu):
            menu.addMenu(entry)
        else:
            menu.addAction(entry)
