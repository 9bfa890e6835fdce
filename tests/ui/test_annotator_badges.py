"""Annotator badge colours: the same for a name in every session, never like a label's colour,
readable under white initials; the layers menu says which layers are shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
from itertools import combinations
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from annotator import Project
from annotator.review_records import GOLD
from annotator.service.labels import DEFAULT_LABELS
from annotator.service.labels import PALETTE as LABEL_PALETTE
from tests.ui import window_fixtures as fx
from tests.ui.test_layers import add_colleague_work
from tests.ui.window_fixtures import show_window
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.widgets.annotator_badges import GOLD_COLOR, PALETTE, annotator_color, layer_icon
from ui.widgets.color_distance import DISTINCT, contrast_ratio, delta_e, lab

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
NAMES = ["alice", "bob", "carol", "Dr. Émile Zola", "j.doe", "maryJane", "x"]
ROOT = Path(__file__).resolve().parents[2]


def test_lab_matches_reference_values() -> None:
    # sRGB red in CIELAB (D65), as published by Bruce Lindbloom's calculator.
    assert [round(v, 1) for v in lab("#ff0000")] == [53.2, 80.1, 67.2]
    assert round(delta_e("#000000", "#ffffff"), 1) == 100.0


def test_badge_colours_are_never_like_a_label_colour() -> None:
    label_colors = set(LABEL_PALETTE) | {color for _, color, _, _ in DEFAULT_LABELS}
    for color in (*PALETTE, GOLD_COLOR):
        closest = min(delta_e(color, label) for label in label_colors)
        assert closest >= DISTINCT, (color, closest)
    for name in NAMES:
        assert annotator_color(name) not in label_colors


def test_badge_colours_differ_from_each_other_and_carry_white_initials() -> None:
    for a, b in combinations((*PALETTE, GOLD_COLOR), 2):
        assert delta_e(a, b) >= DISTINCT, (a, b)
    for color in (*PALETTE, GOLD_COLOR):
        assert contrast_ratio(color, "#ffffff") >= 4.5, color


def test_a_name_gets_the_same_colour_in_every_session() -> None:
    here = [annotator_color(name) for name in NAMES]
    assert here == [annotator_color(name) for name in NAMES]
    assert annotator_color(GOLD) == GOLD_COLOR
    # Another interpreter with another string-hash seed: a new session on another machine.
    script = ("import sys; from ui.widgets.annotator_badges import annotator_color; "
              f"print(','.join(annotator_color(n) for n in {NAMES!r}))")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out.split(",") == here


def test_a_custom_label_colour_pushes_a_badge_colour_aside() -> None:
    chosen = annotator_color("bob")
    moved = annotator_color("bob", [chosen])
    assert moved != chosen
    assert delta_e(moved, chosen) >= DISTINCT
    assert moved == annotator_color("bob", [chosen])  # still decided by the name alone


def test_window_colour_does_not_depend_on_who_else_annotated(
        qtbot: QtBot, project: Project, settings: Settings, document_ids: list[str]) -> None:
    add_colleague_work(project, document_ids[0])
    window = show_window(qtbot, MainWindow(project, settings))
    layers = window.layers
    before = {name: layers.color(name) for name in ("alice", "bob", GOLD)}
    project.set_user("aaron")  # sorts first: a position-based colour would shift everyone
    project.add_annotation(document_ids[0], 0, 3, "claim")
    project.set_user("alice")
    layers.refresh_annotators()
    assert "aaron" in layers.names()
    assert {name: layers.color(name) for name in before} == before
    labels = {label.color for label in project.labels()}
    assert all(min(delta_e(layers.color(n), c) for c in labels) >= DISTINCT
               for n in layers.names())


def _pixels(icon: QIcon, state: QIcon.State) -> bytes:
    image = icon.pixmap(QSize(18, 18), QIcon.Mode.Normal, state).toImage()
    return bytes(image.constBits())


def test_layer_icon_shows_the_state(qtbot: QtBot) -> None:
    icon = layer_icon("bob", annotator_color("bob"))
    assert _pixels(icon, QIcon.State.On) != _pixels(icon, QIcon.State.Off)


def test_layers_menu_says_which_layers_are_hidden(
        qtbot: QtBot, project: Project, settings: Settings, document_ids: list[str]) -> None:
    add_colleague_work(project, document_ids[0])
    window = show_window(qtbot, MainWindow(project, settings))
    menu = window.layers.menu
    bob = menu.layer_actions["bob"]
    assert bob.isCheckable() and bob.isChecked() and bob.text() == "bob"
    shown = _pixels(bob.icon(), QIcon.State.On)
    bob.trigger()
    bob = menu.layer_actions["bob"]
    assert not bob.isChecked()
    assert bob.text() == "bob — hidden"
    assert _pixels(bob.icon(), QIcon.State.Off) != shown
    menu.show_all_action.trigger()
    assert menu.layer_actions["bob"].text() == "bob"
