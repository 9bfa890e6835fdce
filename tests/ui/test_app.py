"""ui.app.run: the application starts on a project, and a bad project is a message, exit 1."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication

import annotator
import ui.app
from ui.main_window import MainWindow


@pytest.fixture
def isolated_app(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    name, organisation = qapp.applicationName(), qapp.organizationName()
    monkeypatch.setattr(
        ui.app, "QSettings", lambda: QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    yield
    qapp.setApplicationName(name)
    qapp.setOrganizationName(organisation)


def test_run_shows_the_project_and_returns_exit_code(isolated_app: None, tmp_path: Path) -> None:
    location = tmp_path / "p.db"
    with annotator.open_project(location) as project:
        project.add_document("A claim was made.", "One")
    seen: list[MainWindow] = []

    def close_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if windows and windows[0].isVisible():
            seen.append(windows[0])
            windows[0].close()
        else:
            QTimer.singleShot(10, close_when_shown)

    QTimer.singleShot(0, close_when_shown)
    assert ui.app.run(str(location), "dora") == 0
    assert QCoreApplication.applicationName() == "Annotator"
    assert QCoreApplication.organizationName() == "Annotator"
    [window] = seen
    assert window.project.user == "dora"
    assert window.document_model.rowCount() == 1


def test_run_reports_an_unusable_project(
    isolated_app: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(ui.app, "alert", lambda _p, _t, text: shown.append(text))
    assert ui.app.run(str(tmp_path), None) == 1  # a folder is not a project
    assert shown and "folder" in shown[0]
