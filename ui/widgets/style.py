"""The application's look: a small style sheet shipped in resources/style.qss."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from PySide6.QtWidgets import QApplication, QStyleFactory


@lru_cache(maxsize=1)
def window_style() -> str:
    return resources.files("resources").joinpath("style.qss").read_text("utf-8")


def apply_style(app: QApplication) -> None:
    # Fusion looks the same on every platform, so the style sheet can rely on its metrics.
    if "Fusion" in QStyleFactory.keys():  # noqa: SIM118 - a Qt list, not a dict
        app.setStyle("Fusion")
