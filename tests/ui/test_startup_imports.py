"""The window shows without loading numpy or the file-format libraries: they load with the
first document shown, or the first import/export, not at start-up.

Timing lives in ``benchmarks/bench_project.py``; here the cause is checked, in a fresh
process (this test process has long imported everything), which no machine load can make
flaky.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import annotator

HEAVY = {"numpy", "lxml", "pypdf", "docx", "selectolax", "alembic"}
DEFERRED = {"annotator.formats.registry", "annotator.formats.labelstudio",
            "ui.exchange.export_dialog", "ui.review.agreement_dialog",
            "ui.widgets.shortcuts_dialog"}

_PROBE = """
import sys, tempfile
from pathlib import Path
from ui.launch import preload_core
preload_core()
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import annotator
from ui.main_window import MainWindow
from ui.settings import Settings
project = annotator.open_project(sys.argv[1], user="alice")
settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
window = MainWindow(project, Settings(settings))
window.show()
app.processEvents()
if len(sys.argv) > 2:
    assert window.open_document(sys.argv[2])
    app.processEvents()
print(" ".join(sorted(sys.modules)))
window.close()
project.close()
"""


def _loaded(path: Path, *open_document: str) -> set[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", _PROBE, str(path), *open_document],
                          capture_output=True, text=True, check=True, env=env)
    return set(done.stdout.split())


def _heavy_loaded(path: Path, *open_document: str) -> set[str]:
    return {name.split(".")[0] for name in _loaded(path, *open_document)} & HEAVY


def _project(path: Path) -> str:
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("The mayor said the bridge is safe.", "Bridge")
        project.add_annotation(document, 0, 9, "source")
        project.add_document("Another text.", "Other")
    return document


def test_the_window_shows_without_numpy_or_format_libraries(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    _project(path)
    assert _heavy_loaded(path) == set()


def test_the_window_shows_before_the_format_modules_and_the_dialogs(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    _project(path)
    loaded = _loaded(path)
    assert "ui.main_window" in loaded
    assert loaded & DEFERRED == set()


def test_showing_a_document_with_spans_loads_numpy(tmp_path: Path) -> None:
    """The other side: the probe sees numpy once the view places spans with it."""
    path = tmp_path / "small.db"
    document = _project(path)
    assert _heavy_loaded(path, document) == {"numpy"}
