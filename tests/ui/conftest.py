"""Shared fixtures for the Qt tests: offscreen platform, a fresh project, a shown view."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.project import Project
from tests.project_files import new_project

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> None:
    """QSettings of every test live in its own folder: no test sees another's preferences."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """A new SQLite project with the default labels, used as annotator "alice"."""
    with new_project(tmp_path / "p.db", "alice") as opened:
        yield opened


@pytest.fixture
def document_view(qtbot):  # type: ignore[no-untyped-def]
    """A shown DocumentView of a fixed size (wide enough for a readable column)."""
    from ui.workspace.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test(qapp):  # type: ignore[no-untyped-def]
    """Every top-level widget a test left is closed and deleted while Qt still runs, and
    the objects waiting for deletion go before the next test: PySide otherwise frees some
    of them during interpreter shutdown, after the QApplication, and the process dies
    with a segmentation fault after the last test has passed."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in qapp.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
