"""Starting the GUI: the application object, the project, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import annotator
from annotator import AnnotatorError
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.widgets.plain_text import alert, ask
from ui.widgets.style import apply_style


def run(
    project_location: str | None = None, user: str | None = None, *, read_only: bool = False
) -> int:
    """Open the project (default: the user's default project) in the main window.

    A project named explicitly that does not exist is created only if the user agrees.
    Returns the application's exit code: 1 if the project is not opened.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    app.setApplicationDisplayName("Annotator")
    apply_style(app)
    settings = Settings(QSettings())
    try:
        where = annotator.resolve_location(project_location)
        if where.named and not where.exists and not read_only and not _agree_to_create(where):
            return 1
        project = annotator.open_project(
            project_location, user=user or settings.user_name() or None, read_only=read_only
        )
    except AnnotatorError as error:
        alert(None, "Annotator", f"Cannot open the project:\n{error}")
        return 1
    window = MainWindow(project, settings)
    window.show()
    try:
        return app.exec()
    finally:
        window.project.close()


def _agree_to_create(where: annotator.ProjectLocation) -> bool:
    folder = where.missing_folder()
    also = f"\n\nThe folder {folder} will be created for it." if folder is not None else ""
    # Plain text: the path is the user's, and No is the default.
    return ask(None, "Annotator",
               f"There is no project at {where}.\n\nCreate a new, empty project there?{also}")
