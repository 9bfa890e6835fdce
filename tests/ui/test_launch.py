"""ui.launch: a missing system library of Qt's platform plugin, or no X display, is one line
naming what to install and exit 1, found before Qt is loaded or a QApplication created."""

from __future__ import annotations

import pytest

import ui.app
import ui.launch
from tests.cli.conftest import run_main
from ui.launch import GUI_LIBRARIES, XCB_LIBRARIES, platform_problem, qt_platform

X11 = {"DISPLAY": ":0"}


def _all_there(_soname: str) -> bool:
    return True


def _display() -> bool:
    return True


def _without(*missing: str):  # type: ignore[no-untyped-def]
    return lambda soname: soname not in missing


def test_a_missing_xcb_library_names_the_packages() -> None:
    problem = platform_problem(X11, "linux", _without("libxcb-cursor.so.0"), _display)
    assert problem == (
        "the window cannot open: Qt's xcb platform needs libxcb-cursor.so.0, not installed; "
        "install on Debian/Ubuntu: sudo apt install libxcb-cursor0; "
        "on Fedora: sudo dnf install xcb-util-cursor"
    )


def test_every_missing_library_is_named_once_per_package() -> None:
    missing = ("libxcb-icccm.so.4", "libxcb-randr.so.0", "libxcb-shm.so.0", "libEGL.so.1")
    problem = platform_problem(X11, "linux", _without(*missing), _display)
    assert problem is not None and "\n" not in problem
    assert "sudo apt install libegl1 libxcb-icccm4 libxcb-randr0 libxcb-shm0;" in problem
    assert problem.endswith("sudo dnf install libglvnd-egl xcb-util-wm libxcb")


def test_nothing_missing_and_a_display_is_no_problem() -> None:
    assert platform_problem(X11, "linux", _all_there, _display) is None


def test_no_display_is_one_line() -> None:
    assert platform_problem({}, "linux", _all_there, lambda: False) == (
        "no X display answers (DISPLAY is not set): start Annotator in a desktop session, "
        "or use its commands (annotator --help)"
    )
    problem = platform_problem({"DISPLAY": ":9"}, "linux", _all_there, lambda: False)
    assert problem is not None and "at DISPLAY=:9" in problem


@pytest.mark.parametrize("platform", ["offscreen", "wayland", "minimal", "offscreen:x=1"])
def test_other_platforms_do_not_need_the_xcb_libraries(platform: str) -> None:
    environ = {"QT_QPA_PLATFORM": platform}
    assert platform_problem(environ, "linux", _without(*XCB_LIBRARIES), lambda: False) is None


def test_every_platform_needs_the_gui_libraries() -> None:
    problem = platform_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux",
                               _without("libfontconfig.so.1"), _display)
    assert problem is not None and "sudo apt install libfontconfig1;" in problem


@pytest.mark.parametrize("system", ["darwin", "win32"])
def test_macos_and_windows_are_not_checked(system: str) -> None:
    def no_loading(soname: str) -> bool:
        raise AssertionError(f"looked for {soname}")

    assert platform_problem({}, system, no_loading, lambda: False) is None


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "xcb"),
        ({"XDG_SESSION_TYPE": "x11"}, "xcb"),
        ({"XDG_SESSION_TYPE": "wayland"}, "wayland"),
        ({"XDG_SESSION_TYPE": "wayland", "QT_QPA_PLATFORM": "xcb"}, "xcb"),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "wayland"),
        ({"QT_QPA_PLATFORM": "offscreen:fontengine=freetype"}, "offscreen"),
    ],
)
def test_which_platform_qt_tries_first(environ: dict[str, str], expected: str) -> None:
    assert qt_platform(environ) == expected


def test_the_gui_libraries_are_not_repeated_in_the_xcb_ones() -> None:
    assert not set(GUI_LIBRARIES) & set(XCB_LIBRARIES)


def test_annotator_with_a_missing_library_prints_one_line_and_exits_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(ui.launch, "loads", _without("libxcb-cursor.so.0"))
    monkeypatch.setattr(ui.launch, "x_display_answers", _display)

    def no_qt(*_args: object) -> int:
        raise AssertionError("Qt was started")

    monkeypatch.setattr(ui.app, "run", no_qt)
    result = run_main([])
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        "annotator: the window cannot open: Qt's xcb platform needs libxcb-cursor.so.0, not "
        "installed; install on Debian/Ubuntu: sudo apt install libxcb-cursor0; "
        "on Fedora: sudo dnf install xcb-util-cursor\n"
    )
