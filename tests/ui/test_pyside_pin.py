"""Guards the PySide6 pin (>=6.11,<6.12) in pyproject.toml.

PySide6 6.12.0 drops a reference to None on every call of a Qt method that returns
nothing; CPython 3.11 then aborts with "Fatal Python error: none_dealloc" after ~5,000
such calls. On 3.12+ None is immortal and its refcount never falls, so this still passes.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtGui import QTextCursor, QTextDocument

CALLS = 20_000


def test_void_qt_calls_keep_none_alive(qapp) -> None:  # type: ignore[no-untyped-def]
    document = QTextDocument()
    document.setPlainText("x" * 100)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for i in range(CALLS):
        cursor.setPosition(i % 100)  # returns void
    after = sys.getrefcount(None)
    # Unrelated allocations move the count a little either way; the bug loses one per call.
    assert after >= before - 100, (
        f"None lost {before - after} references over {CALLS} void Qt calls: this PySide6 "
        f"({PySide6.__version__}) has the 6.12.0 reference bug")


def test_pyside6_version_is_in_the_pinned_range() -> None:
    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11), (
        f"PySide6 {PySide6.__version__} is outside the pin >=6.11,<6.12. 6.12.0 drops a "
        "reference to None on every void Qt call and aborts CPython 3.11 (none_dealloc). "
        "Lift the pin only when a newer release passes test_void_qt_calls_keep_none_alive.")


def test_only_the_essentials_are_required() -> None:
    # The add-ons (WebEngine, 3D, Charts, ...) are 418 MiB the application never imports.
    from importlib.metadata import requires

    required = [r.split(";")[0].replace(" ", "") for r in requires("annotator") or []]
    pyside = [r for r in required if r.lower().startswith("pyside6")]
    assert len(pyside) == 1 and pyside[0].lower().startswith("pyside6-essentials"), pyside
    assert "<6.12" in pyside[0] and ">=6.11" in pyside[0], pyside
