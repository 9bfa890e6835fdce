"""What a feature may use of the main window, and nothing more.

The main window (:mod:`ui.main_window`, the composition root) builds every feature and
hands it one of these interfaces instead of itself, so no feature imports the window or
reaches into its other parts. ``FeatureHost`` is the project and its documents plus the
ways to tell the user something; ``WorkspaceHost`` adds the settings and the workspace
panes the review features draw into. Features also receive the window as a plain
``QWidget``: the Qt parent of their dialogs and the owner of their shortcuts.
"""

from __future__ import annotations

from typing import Protocol

from annotator import Project
from ui.settings import Settings
from ui.workspace.annotation_editing import AnnotationEditing
from ui.workspace.annotation_model import AnnotationTableModel
from ui.workspace.annotation_table import AnnotationTable
from ui.workspace.document_view import DocumentView


class FeatureHost(Protocol):
    """The open project, its documents, and messages to the user."""

    @property
    def project(self) -> Project:
        """The project open now (it changes when the user opens another)."""
        ...

    def current_document_id(self) -> str | None: ...

    def open_document(self, document_id: str) -> bool:
        """Show a document; False (after telling the user why) if it cannot be opened."""
        ...

    def show_status(self, message: str, timeout: int = 0) -> None:
        """A passing note in the status bar, for `timeout` milliseconds (0: until replaced)."""
        ...

    def show_error(self, message: str, *, status: str | None = None) -> None:
        """An error box that does not block, and its first line (or `status`) in the bar."""
        ...

    def clear_undo(self, what: str, summary: str = "") -> None:
        """End the undo history, saying so: after an operation that cannot be undone."""
        ...


class WorkspaceHost(FeatureHost, Protocol):
    """A FeatureHost with the settings and the panes showing the open document."""

    @property
    def settings(self) -> Settings: ...

    @property
    def view(self) -> DocumentView: ...

    @property
    def editing(self) -> AnnotationEditing: ...

    @property
    def annotation_model(self) -> AnnotationTableModel: ...

    @property
    def annotation_table(self) -> AnnotationTable: ...
