"""User text is shown as plain text everywhere: no name, title, note or comment is HTML (P9.1).

A project whose every user-supplied string is markup pointing at canary images is opened in
the real window; every feature that shows those strings is driven, every widget and tooltip
rendered, and Linux's inotify reports whether any canary file was opened. Each canary is
named for the kind of string that carries it, so a failure says which one leaked. The
strings must also be seen literally, ``<img`` and all.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, QPoint, QTimer
from PySide6.QtGui import QAction, QColor, QHelpEvent, QImage, Qt, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QTableWidget,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from annotator.formats.model import Problem
from tests.ui import window_fixtures as fx
from tests.ui.test_layers import span_of
from tests.ui.window_fixtures import ARTICLE_A, show_window
from ui.exchange.import_annotations_dialog import ImportSummaryDialog
from ui.main_window import MainWindow
from ui.review import merge_dialog
from ui.settings import Settings
from ui.workspace.annotation_editing import ask_about_colleague
from ui.workspace.annotation_model import COMMENTS, NOTE, PASSAGE

settings = fx.settings

KINDS = ("title", "note", "label", "description", "me", "colleague", "comment", "bundle",
         "passage", "error", "merged")
IN_OPEN, IN_ACCESS = 0x20, 0x01


class Canaries:
    """Canary images in one folder, watched for any open or read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        image = QImage(64, 16, QImage.Format.Format_RGB32)
        image.fill(QColor("magenta"))
        for kind in KINDS:
            assert image.save(str(folder / f"{kind}.png"))
        libc = ctypes.CDLL(None, use_errno=True)
        self._fd = libc.inotify_init1(os.O_NONBLOCK)
        if self._fd < 0 or libc.inotify_add_watch(self._fd, str(folder).encode(),
                                                  IN_OPEN | IN_ACCESS) < 0:
            pytest.skip("inotify is not available")

    def name(self, kind: str) -> str:
        """A hostile string that, read as HTML, loads ``kind``'s canary (shown: <img ...)."""
        return (f'<img src="file://{self.folder}/{kind}.png"><b>{kind}</b> &amp; '
                f'<a href="x">{kind}</a>')

    def opened(self) -> set[str]:
        kinds = set()
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return kinds
            offset = 0
            while offset < len(data):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode()
                kinds.add(name.removesuffix(".png"))
                offset += 16 + length

    def close(self) -> None:
        os.close(self._fd)


@pytest.fixture
def canaries(tmp_path: Path) -> Iterator[Canaries]:
    if not sys.platform.startswith("linux"):
        pytest.skip("the resource check uses Linux's inotify")
    watched = Canaries(tmp_path / "canary")
    yield watched
    watched.close()


@pytest.fixture
def hostile(tmp_path: Path, canaries: Canaries) -> Iterator[Project]:
    """Every user-supplied string is a canary: titles, names, notes, comments, a bundle."""
    n = canaries.name
    with annotator.open_project(tmp_path / "project.db", user=n("me")) as project:
        project.add_label(n("label"), key="4", description=n("description"))
        document = project.add_document(ARTICLE_A, n("title"))
        project.add_annotation(document, *span_of("The mayor said"), n("label"),
                                      note=n("note"))
        project.add_annotation(document, *span_of("the bridge cost 12 million euros"), "fact")
        project.set_user(n("colleague"))
        theirs = project.add_annotation(document, *span_of("The mayor said"), "claim",
                                        note=n("note"))
        project.add_annotation(document, *span_of("the bridge cost 12 million euros"), "claim")
        project.set_user(n("me"))
        project.reject(theirs, comment=n("comment"))
        yield project


@pytest.fixture
def bundle(tmp_path: Path, canaries: Canaries) -> Path:
    """A colleague's bundle whose file name is markup, bringing a new hostile label."""
    with annotator.open_project(tmp_path / "carol.db", user="carol") as carol:
        carol.add_label(canaries.name("merged"))
        document = carol.add_document(ARTICLE_A, "Bridge")
        carol.add_annotation(document, *span_of("Critics claim"), canaries.name("merged"))
        # A file name cannot hold "/" (so no closing tag): the canary is found relative to
        # the working folder.
        path = tmp_path / "bundles" / '<img src="bundle.png"><i>b.zip'
        path.parent.mkdir()
        carol.bundle(path)
    return path


def shown(text: str) -> str:
    """What a reader sees of a label's or tooltip's text, as Qt decides its format."""
    return QTextDocumentFragment.fromHtml(text).toPlainText() if Qt.mightBeRichText(
        text) else text


class Screen:
    """Renders widgets and tooltips as a user would meet them; keeps what was shown."""

    def __init__(self, canaries: Canaries) -> None:
        self.seen: list[str] = []
        self.leaks: dict[str, set[str]] = {}
        self._canaries = canaries

    def checkpoint(self, step: str) -> None:
        """Note which canaries the step just driven loaded (the failure names the step)."""
        opened = self._canaries.opened()
        if opened:
            self.leaks[step] = opened

    def render(self, widget: QWidget) -> None:
        assert not widget.grab().isNull()
        for label in widget.findChildren(QLabel):
            if label.isVisible():
                label.grab()
                self.seen.append(label.text() if label.textFormat() != Qt.TextFormat.RichText
                                 else QTextDocumentFragment.fromHtml(label.text()).toPlainText())

    def hover(self, widget: QWidget, where: QPoint | None = None) -> str:
        """A tooltip event, as the mouse resting there sends; returns the tip's text."""
        point = where if where is not None else widget.rect().center()
        event = QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point))
        QApplication.sendEvent(widget, event)
        tip = next((w for w in QApplication.topLevelWidgets()
                    if w.objectName() == "qtooltip_label" and w.isVisible()), None)
        assert isinstance(tip, QLabel), f"no tooltip over {widget.objectName()}"
        tip.grab()
        text = tip.text()
        self.seen.append(shown(text))
        QToolTip.hideText()
        return text

    def modal(self, open_it: Callable[[], object]) -> None:
        """Render the modal box ``open_it`` shows, then dismiss it."""
        def answer() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            self.render(box)
            box.reject()

        QTimer.singleShot(0, answer)
        open_it()


def test_no_user_text_is_read_as_html(qtbot: QtBot, hostile: Project, bundle: Path,
                                      settings: Settings, canaries: Canaries,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(canaries.folder)
    n = canaries.name
    screen = Screen(canaries)
    window = show_window(qtbot, MainWindow(hostile, settings))
    window.resize(1400, 900)
    [document] = hostile.documents()
    assert window.open_document(document.id)

    # Document list, annotation table, label toolbar, status bar, text view, layers.
    docs = window.document_list.findChild(QAbstractItemView)
    assert docs is not None
    screen.hover(docs.viewport(), docs.visualRect(window.document_model.index(0, 0)).center())
    table, model = window.annotation_table, window.annotation_model
    for row in range(model.rowCount()):
        for column in (PASSAGE, NOTE, COMMENTS):
            index = model.index(row, column)
            if model.data(index, Qt.ItemDataRole.ToolTipRole):
                screen.hover(table.viewport(), table.visualRect(index).center())
    action = window.label_toolbar.action_for(n("label"))
    assert action is not None
    button = window.label_toolbar.widgetForAction(action)
    screen.hover(button)
    window.status.set_saved(False, f"Refused: {n('error')}")
    screen.hover(window.status.save_label)
    screen.hover(window.status.user_label)
    screen.hover(window.layers.button)
    placed = window.view.placed(hostile.annotations(document.id)[0].id)
    assert placed is not None
    rect = window.view.range_rects(*placed[1:3])[0]
    screen.hover(window.view.viewport(), rect.center().toPoint())
    window.layers.button.menu().popup(window.mapToGlobal(QPoint(40, 40)))
    screen.render(window.layers.button.menu())
    window.layers.button.menu().hide()
    screen.checkpoint("workspace")

    # Review mode and its comment editor.
    review = window.review
    review.colleague_box.setCurrentText(n("colleague"))
    review.toggle_action.trigger()
    assert review.active and n("colleague") in review.progress_label.text()
    assert review.open_comment_editor()
    screen.render(review.comment_editor)
    review.comment_editor.close()
    review.toggle_action.trigger()
    screen.checkpoint("review mode")

    # Curation: the tree, its tooltips, the versions.
    window.curation.toggle_action.trigger()
    tree = window.curation.view.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0)
    top = tree.topLevelItem(0)
    for i in range(top.childCount()):
        tree.setCurrentItem(top.child(i))
        screen.hover(tree.viewport(),
                     tree.visualRect(tree.indexFromItem(top.child(i), 0)).center())
        versions = window.curation.view.versions
        for j in range(versions.topLevelItemCount()):
            index = versions.indexFromItem(versions.topLevelItem(j), 1)
            if index.data(Qt.ItemDataRole.ToolTipRole):
                screen.hover(versions.viewport(), versions.visualRect(index).center())
    screen.render(window)
    screen.checkpoint("curation")

    # Agreement: the summary, the heat map's tooltips.
    agreement = window.agreement.open()
    qtbot.waitUntil(lambda: agreement.task is None, timeout=20000)
    if agreement.report is None:
        agreement.all_docs.setChecked(True)
        with qtbot.waitSignal(agreement.computed, timeout=20000):
            agreement.compute()
    screen.render(agreement)
    heat = agreement.heatmap
    item = heat.item(0, 0)
    if item is not None and item.toolTip():
        screen.hover(heat.viewport(), heat.visualItemRect(item).center())
    agreement.close()
    screen.checkpoint("agreement")

    # Merging a colleague's bundle whose file name is markup.
    monkeypatch.setattr(merge_dialog, "choose_merge_source", lambda parent: str(bundle))
    merge_action = window.findChild(QAction, "mergeAction")
    assert merge_action is not None
    merge_action.trigger()
    dialog = window.colleague_work.merge_dialog
    assert dialog is not None
    screen.render(dialog)
    qtbot.waitUntil(lambda: not dialog.task.busy(), timeout=20000)
    assert dialog.report is not None, dialog.error
    screen.render(dialog)
    dialog.close()
    screen.checkpoint("merge")

    # Questions and messages: removing a label in use, a colleague's tag, an error box, an
    # import refused.
    labels = window.open_labels_dialog()
    screen.render(labels)
    screen.modal(lambda: labels.remove_label(n("label")))
    labels.close()
    theirs = next(r for r in hostile.annotations(document.id) if r.annotator == n("colleague"))
    screen.modal(lambda: ask_about_colleague(window, theirs, "change"))
    window.show_error(f"Could not open {n('error')}")
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None
    screen.render(box)
    box.close()
    refusal = ImportSummaryDialog.for_refusal(
        [Problem(f"{canaries.folder}/{n('error')}.json", 1, n("error"))], window)
    refusal.show()
    screen.render(refusal)
    problems = refusal.findChild(QTableWidget)
    assert problems is not None
    screen.hover(problems.viewport(), problems.visualItemRect(problems.item(0, 2)).center())
    refusal.close()
    shortcuts = window.show_shortcuts()
    screen.render(shortcuts)
    shortcuts.close()
    screen.checkpoint("messages")

    assert screen.leaks == {}, "user text was read as HTML and its image loaded"
    seen = "\n".join(screen.seen)
    for kind in ("title", "note", "label", "description", "me", "colleague", "comment",
                 "error", "merged"):
        assert n(kind) in seen, f"the {kind} is not shown literally"
    assert '<img src="bundle.png"><i>b.zip' in seen
