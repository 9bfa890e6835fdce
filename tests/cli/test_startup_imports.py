"""`annotator --help` and the parser load no heavy package: they start in a fraction of a second.

Timing lives in `python -m benchmarks` (``--help`` against ``python -c pass``); here the
cause is checked, which no machine load can make flaky.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pypdf", "lxml", "docx", "selectolax", "numpy", "alembic", "sqlalchemy", "PySide6",
         "shiboken6")


def loaded_after(code: str) -> set[str]:
    probe = (f"import sys\n{code}\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split()) & set(HEAVY)


def test_help_imports_no_heavy_package() -> None:
    code = ("import contextlib, io\nimport annotator.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "    annotator.cli.main(['--help'])")
    assert loaded_after(code) == set()


def test_every_command_parser_builds_without_heavy_packages() -> None:
    assert loaded_after("import annotator.cli\nannotator.cli.build_parser()") == set()


def test_the_api_still_loads_what_it_uses() -> None:
    found = loaded_after("import annotator\nannotator.open_project")
    assert "sqlalchemy" in found
    assert not found & {"PySide6", "pypdf", "lxml", "selectolax"}
