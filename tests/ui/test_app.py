"""ui.app.run: the application starts on a project, and a bad project is a message, exit 1."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def _closing_windows() -> Iterator[None]:
    """Close each main window as soon as it is shown, until the block ends."""

    def close_shown() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    timer = QTimer()
    timer.timeout.connect(close_shown)
    timer.start(10)
    try:
        yield
    finally:
        timer.stop()


def test_a_missing_named_project_is_created_only_if_the_user_agrees(
    isolated_app: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = False

    def question(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(ui.app, "ask", question)
    location = tmp_path / "new" / "p.db"
    with _closing_windows():  # should a window open all the same
        assert ui.app.run(str(location), None) == 1
    assert not (tmp_path / "new").exists()
    assert f"no project at {location}" in asked[0]
    assert f"The folder {tmp_path / 'new'} will be created" in asked[0]

    answer = True
    with _closing_windows():
        assert ui.app.run(str(location), None) == 0
    assert len(asked) == 2 and location.is_file()
    with _closing_windows():
        assert ui.app.run(str(location), None) == 0
    assert len(asked) == 2  # it exists now


def test_the_default_project_is_created_without_asking(
    isolated_app: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANNOTATOR_PROJECT")
    monkeypatch.setattr(ui.app, "ask", lambda *_a: pytest.fail("asked"))
    with _closing_windows():
        assert ui.app.run(None, None) == 0
    assert (tmp_path / "xdg-data" / "annotator" / "default.annotator.db").is_file()
