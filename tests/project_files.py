"""New projects for tests: copies of one project created once per test run.

Creating a project runs every schema migration (a third of a second on the 2-core test
machine, hundreds of times a run: every fixture and every Hypothesis example that starts
from a new project). A copy of a new project's file is a new project all the same; creating
one from nothing stays tested in tests/core (test_project.py, test_migrations.py).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import annotator
from annotator import Project

_template: Path | None = None


def _template_file() -> Path:
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="annotator-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.annotator.db"
        annotator.open_project(path).close()
        # Closing the last connection checkpoints the write-ahead log into the file.
        assert not path.with_name(path.name + "-wal").exists()
        _template = path
    return _template


def new_project_file(path: Path) -> Path:
    """``path`` becomes a new, empty project, unless a file is there already."""
    if not path.exists():
        shutil.copyfile(_template_file(), path)
    return path


def new_project(path: Path, user: str) -> Project:
    """Open the project at ``path`` as ``user``, a new one if nothing is there."""
    return annotator.open_project(new_project_file(path), user=user)
