"""The core must never import Qt: import every annotator module in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import annotator
    names = [m.name for m in pkgutil.walk_packages(annotator.__path__, "annotator.")
             if m.name not in {"annotator.__main__", "annotator.migrations.env"}]
    for name in names:
        importlib.import_module(name)
    banned = {"PySide6", "shiboken6", "PyQt5", "PyQt6", "ui"}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in banned)
    print(len(names))
    print(",".join(loaded))
    """
)


def test_no_annotator_module_loads_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    count, loaded = result.stdout.splitlines()
    assert int(count) > 10
    assert loaded == "", f"the core loaded Qt or ui modules: {loaded}"
