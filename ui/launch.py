"""The GUI's entry point: make sure Qt can start on this machine, then start it.

Qt aborts the whole process, after a paragraph about plugins, when a system library its
Linux platform plugin needs is missing or no display answers. This module asks the same
questions first, without loading Qt, so that a missing library is one line naming the
package to install, and exit code 1.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# Each system library Qt 6.11's Linux build links (`objdump -p`, PySide6 6.11.3), with the
# Debian/Ubuntu and Fedora packages that hold it. Qt's own libraries ship in the wheel.
GUI_LIBRARIES: dict[str, tuple[str, str]] = {
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}
"""Needed by Qt's GUI library itself, whatever the platform plugin."""

XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
}
"""Needed by the xcb platform plugin (X11, and XWayland), Qt's default on Linux."""


def loads(soname: str) -> bool:
    """Whether the dynamic linker finds and loads the library, as it will for Qt."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def x_display_answers() -> bool:
    """Whether an X server accepts a connection at ``$DISPLAY``, as Qt's xcb plugin makes."""
    xcb = ctypes.CDLL("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # xcb_connect never returns NULL: a failed connection is an object carrying the error.
    connection = xcb.xcb_connect(None, None)
    failed = bool(xcb.xcb_connection_has_error(connection))
    xcb.xcb_disconnect(connection)
    return not failed


def qt_platform(environ: Mapping[str, str]) -> str:
    """The platform plugin Qt on Linux will try first (QGuiApplication's own rule)."""
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        # "wayland;xcb" lists fallbacks, "offscreen:fontengine=freetype" passes options.
        return requested.split(";")[0].split(":")[0].strip()
    if environ.get("XDG_SESSION_TYPE", "") == "wayland":
        return "wayland"
    return "xcb"


def platform_problem(
    environ: Mapping[str, str],
    system: str,
    load: Callable[[str], bool],
    display_answers: Callable[[], bool],
) -> str | None:
    """Why Qt could not start here, in one line naming what to install; None if it can.

    ``system`` is ``sys.platform``; ``load`` tells whether a library loads (:func:`loads`),
    ``display_answers`` whether an X server does (:func:`x_display_answers`).
    """
    if not system.startswith("linux"):
        return None  # macOS and Windows plugins need nothing outside the wheel
    platform = qt_platform(environ)
    needed = dict(GUI_LIBRARIES)
    if platform == "xcb":
        needed.update(XCB_LIBRARIES)
    missing = [soname for soname in needed if not load(soname)]
    if missing:
        return _install_hint(platform, missing, needed)
    if platform == "xcb" and not display_answers():
        display = environ.get("DISPLAY", "")
        where = f"at DISPLAY={display}" if display else "(DISPLAY is not set)"
        return (f"no X display answers {where}: start Annotator in a desktop session, or "
                "use its commands (annotator --help)")
    return None


def _install_hint(platform: str, missing: list[str], needed: dict[str, tuple[str, str]]) -> str:
    debian = " ".join(dict.fromkeys(needed[soname][0] for soname in missing))
    fedora = " ".join(dict.fromkeys(needed[soname][1] for soname in missing))
    return (f"the window cannot open: Qt's {platform} platform needs {', '.join(missing)}, "
            f"not installed; install on Debian/Ubuntu: sudo apt install {debian}; "
            f"on Fedora: sudo dnf install {fedora}")


def preload_core() -> None:
    """Load the core (SQLAlchemy and the services) before Qt.

    Once PySide6 is loaded it hooks every later import and reads that module's source to
    look for "PySide6" (its ``__feature__`` switch): for the few hundred modules of the core
    and SQLAlchemy, which never use Qt, that is 0.2 s of CPU at start-up.
    """
    import annotator.project  # noqa: F401


def run(
    project_location: str | None = None, user: str | None = None, *, read_only: bool = False
) -> int:
    """Open the project in the application, or say in one line why Qt cannot start here."""
    problem = platform_problem(os.environ, sys.platform, loads, x_display_answers)
    if problem is not None:
        print(f"annotator: {problem}", file=sys.stderr)
        return 1
    preload_core()
    # Only now load Qt: its GUI library would fail to import without the libraries above.
    from ui.app import run as start

    return start(project_location, user, read_only=read_only)
