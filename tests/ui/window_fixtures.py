"""Fixtures and helpers for tests that drive the main window (import them into a test module)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator import Project
from tests.project_files import new_project
from ui.main_window import MainWindow
from ui.settings import Settings

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "corpora" / "seeds"

ARTICLE_A = (
    "The mayor said on Monday that the new bridge will open in May. "
    "According to the city engineer, the bridge cost 12 million euros. "
    "Critics claim the budget was doubled without a vote."
)
ARTICLE_B = (
    "Rainfall in the valley reached 80 millimetres last week, the weather service reported. "
    "Farmers say the harvest is already lost."
)
ARTICLE_C = "A third short report: the museum reopened after two years of repairs."


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with new_project(tmp_path / "project.db", "alice") as opened:
        yield opened


@pytest.fixture
def document_ids(project: Project) -> list[str]:
    return [
        project.add_document(ARTICLE_A, "Bridge"),
        project.add_document(ARTICLE_B, "Rain"),
        project.add_document(ARTICLE_C, "Museum"),
    ]


def show_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


@pytest.fixture
def window(qtbot: QtBot, project: Project, settings: Settings) -> MainWindow:
    return show_window(qtbot, MainWindow(project, settings))


@pytest.fixture
def open_window(window: MainWindow, document_ids: list[str]) -> MainWindow:
    """The window with the three test articles and the first one open."""
    window.document_model.set_documents(window.project.documents())
    assert window.open_document(document_ids[0])
    return window


def select_phrase(window: MainWindow, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    text = window.view.core_text()
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    window.view.set_selection_range(start, start + len(phrase))
    return start, start + len(phrase)


def tag_phrase(window: MainWindow, phrase: str, label: str, occurrence: int = 0) -> str:
    """Select `phrase` and tag it as the label key does; the new annotation's id."""
    start, end = select_phrase(window, phrase, occurrence)
    window.editing.apply_label(label)  # what the label key calls
    found = [r.id for r in window.annotation_model.records()
             if (r.start, r.end, r.label) == (start, end, label)]
    assert found, f"{phrase} was not tagged"
    return found[0]
