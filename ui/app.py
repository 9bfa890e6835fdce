"""Starting the GUI: the application object, the project, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import annotator
from annotator import AnnotatorError
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.widgets.plain_text import alert
from ui.widgets.style import apply_style


def run(project_location: str | None = None, user: str | None = None) -> int:
    """Open the project (default: the user's default project) in the main window.

    Returns the application's exit code: 1 if the project cannot be opened.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    app.setApplicationDisplayName("Annotator")
    apply_style(app)
    settings = Settings(QSettings())
    try:
        project = annotator.open_project(
            project_location, user=user or settings.user_name() or None
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
