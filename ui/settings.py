"""The one wrapper around QSettings: every key the application stores is named here."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QFont

MAX_RECENT = 8


def _as_bool(value: object, default: bool) -> bool:
    # INI files hand booleans back as the strings "true"/"false".
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


class Settings:
    """Preferences, recent projects and window layout, typed."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()

    def sync(self) -> None:
        self._store.sync()

    # preferences
    def user_name(self) -> str:
        return str(self._store.value("preferences/user", "") or "")

    def set_user_name(self, name: str) -> None:
        self._store.setValue("preferences/user", name)

    def word_snapping(self) -> bool:
        return _as_bool(self._store.value("preferences/wordSnapping"), True)

    def set_word_snapping(self, on: bool) -> None:
        self._store.setValue("preferences/wordSnapping", on)

    def reading_font(self) -> QFont | None:
        """The chosen reading font, or None to keep the document view's default."""
        family = self._store.value("preferences/fontFamily")
        if not family:
            return None
        font = QFont(str(family))
        try:
            point_size = int(str(self._store.value("preferences/fontSize", 12)))
        except ValueError:
            point_size = 12
        font.setPointSize(max(6, min(point_size, 48)))
        return font

    def set_reading_font(self, font: QFont) -> None:
        self._store.setValue("preferences/fontFamily", font.family())
        self._store.setValue("preferences/fontSize", font.pointSize())

    def accept_copies_to_gold(self) -> bool:
        """Review: whether accepting a colleague's annotation also copies it to gold."""
        return _as_bool(self._store.value("preferences/acceptCopiesToGold"), False)

    def set_accept_copies_to_gold(self, on: bool) -> None:
        self._store.setValue("preferences/acceptCopiesToGold", on)

    # recent projects, most recent first
    def recent_projects(self) -> list[str]:
        value = self._store.value("projects/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list):
            return [str(v) for v in value if v]
        return []

    def add_recent_project(self, location: str) -> None:
        recent = [location, *(p for p in self.recent_projects() if p != location)]
        self._store.setValue("projects/recent", recent[:MAX_RECENT])

    def remove_recent_project(self, location: str) -> None:
        self._store.setValue("projects/recent",
                             [p for p in self.recent_projects() if p != location])

    def clear_recent_projects(self) -> None:
        self._store.remove("projects/recent")

    # window layout
    def window_geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._store.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)
