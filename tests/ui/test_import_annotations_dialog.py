"""File › Import annotations…: the real dialog importing real exports off the GUI thread."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

import annotator
from annotator import Project
from annotator.formats import FORMATS
from annotator.service.exchange import export_dataset
from tests.ui import window_fixtures as fx
from tests.ui.window_fixtures import ARTICLE_A, ARTICLE_B, show_window
from ui.exchange.import_annotations_dialog import (
    READABLE,
    ImportAnnotationsDialog,
    ImportSummaryDialog,
    guess_format,
)
from ui.main_window import MainWindow
from ui.operations.background import Worker

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Project]:
    """Another project holding the two first articles, annotated by bob."""
    with annotator.open_project(tmp_path / "source.db", user="bob") as opened:
        a = opened.add_document(ARTICLE_A, "Bridge")
        b = opened.add_document(ARTICLE_B, "Rain")
        opened.add_annotation(a, 0, 9, "claim", note="line one\nline two")
        opened.add_annotation(a, 10, 14, "source")
        opened.add_annotation(b, 0, 8, "fact")
        yield opened


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def make_dialog(qtbot: QtBot, project: Project, host: QWidget) -> ImportAnnotationsDialog:
    dialog = ImportAnnotationsDialog(project, host)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_import(qtbot: QtBot, dialog: ImportAnnotationsDialog) -> None:
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.controller.busy() or dialog.import_result is not None, dialog.message.text()
    qtbot.waitUntil(lambda: not dialog.controller.busy(), timeout=10000)


def snapshot(project: Project) -> list[tuple[str, int, int, str, str, str | None]]:
    return [(a.id, a.start, a.end, a.label, a.annotator, a.note) for a in project.annotations()]


def passages(project: Project) -> list[tuple[str, int, int, str]]:
    return sorted(
        (project.document(a.document_id).text, a.start, a.end, a.label)
        for a in project.annotations()
    )


def test_the_format_is_guessed_from_the_file(tmp_path: Path, source: Project) -> None:
    for name in ("jsonl", "doccano", "csv", "labelstudio", "webannotation", "brat"):
        out = tmp_path / f"guess-{name}{FORMATS[name].extension}"
        export_dataset(source, name, out)
        assert guess_format(out) == name, name
    assert guess_format(tmp_path / "guess-brat" / "annotation.conf") is None
    assert guess_format(tmp_path / "notes.txt") is None
    assert "conll" not in READABLE  # lossy, so not offered for import


def test_import_into_another_project_and_the_summary(
    qtbot: QtBot, source: Project, project: Project, host: QWidget, tmp_path: Path
) -> None:
    out = tmp_path / "bob.jsonl"
    export_dataset(source, "jsonl", out)
    dialog = make_dialog(qtbot, project, host)
    dialog.set_format("csv")
    dialog.set_path(out)
    assert dialog.selected_format() == "jsonl"
    assert "JSON Lines" in dialog.guess_note.text()
    run_import(qtbot, dialog)

    assert snapshot(project) == snapshot(source)
    assert [d.title for d in project.documents()] == ["Bridge", "Rain"]
    summary = host.findChild(ImportSummaryDialog, "importAnnotationsSummary")
    assert summary is not None and summary.isVisible()
    values = summary.values()
    assert values["Documents"] == "0 matched, 2 created"
    assert values["Annotations"] == "3 added, 0 updated, 0 unchanged"
    assert values["New annotators"] == "bob"
    assert not dialog.isVisible()

    # The same file again changes nothing.
    again = make_dialog(qtbot, project, host)
    again.set_path(out)
    run_import(qtbot, again)
    assert snapshot(project) == snapshot(source)
    assert again.import_result is not None and again.import_result.counts.unchanged == 3


@pytest.mark.parametrize("name", ["doccano", "csv", "labelstudio", "webannotation", "brat"])
def test_each_readable_format_round_trips_through_the_dialog(
    qtbot: QtBot, source: Project, project: Project, host: QWidget, tmp_path: Path, name: str
) -> None:
    out = tmp_path / f"export{FORMATS[name].extension}"
    export_dataset(source, name, out)
    if name == "csv":  # rows without the text: the documents (same ids) must be here
        for document in source.documents():
            project.add_document(source.document(document.id).text, document.title,
                                 id=document.id)
    dialog = make_dialog(qtbot, project, host)
    dialog.set_path(out)
    assert dialog.selected_format() == name
    run_import(qtbot, dialog)
    assert dialog.import_result is not None, dialog.message.text()
    assert passages(project) == passages(source)  # brat creates documents in file order


def test_a_refused_file_lists_every_problem_and_stores_nothing(
    qtbot: QtBot, source: Project, project: Project, host: QWidget, tmp_path: Path
) -> None:
    out = tmp_path / "bob.jsonl"
    export_dataset(source, "jsonl", out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    records[0]["spans"][1]["end"] = 10_000
    records[1]["spans"][0]["text"] = "Snowfall"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")

    dialog = make_dialog(qtbot, project, host)
    dialog.set_path(bad)
    run_import(qtbot, dialog)
    assert dialog.import_result is None
    assert "refused (2 problems)" in dialog.message.text()
    summary = dialog.findChild(ImportSummaryDialog, "importAnnotationsSummary")
    assert summary is not None and summary.isVisible()
    rows = summary.rows()
    assert [(file, line) for file, line, _ in rows] == [("bad.jsonl", 1), ("bad.jsonl", 2)]
    assert "10000" in rows[0][2]
    assert "Nothing was imported" in summary.heading.text()
    assert project.annotations() == [] and project.documents() == []
    assert dialog.isVisible() and dialog.import_button.isEnabled()


@pytest.mark.parametrize(
    ("path", "format", "message"),
    [
        ("", "jsonl", "Choose a file"),
        ("missing.jsonl", "jsonl", "There is no file"),
        (".", "jsonl", "is a folder"),
        ("bob.jsonl", "brat", "take a folder"),
    ],
)
def test_bad_input_shows_a_message(
    qtbot: QtBot, source: Project, project: Project, host: QWidget, tmp_path: Path,
    path: str, format: str, message: str,
) -> None:
    export_dataset(source, "jsonl", tmp_path / "bob.jsonl")
    dialog = make_dialog(qtbot, project, host)
    dialog.set_path(str(tmp_path / path) if path else "")
    dialog.set_format(format)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert message in dialog.message.text()
    assert not dialog.controller.busy()
    assert project.documents() == []


def test_a_file_that_is_not_an_export_fails_inline(
    qtbot: QtBot, project: Project, host: QWidget, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    dialog = make_dialog(qtbot, project, host)
    dialog.set_path(junk)
    assert dialog.selected_format() == "labelstudio"
    run_import(qtbot, dialog)
    assert dialog.import_result is None
    assert dialog.message.text()
    assert project.documents() == []


def test_cancel_stores_nothing(
    qtbot: QtBot, source: Project, project: Project, host: QWidget, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate, reading = threading.Event(), threading.Event()
    spec = FORMATS["jsonl"]
    assert spec.read is not None
    original = spec.read

    def held_read(path: Path):  # type: ignore[no-untyped-def]
        parsed = original(path)
        reading.set()
        assert gate.wait(10)
        return parsed

    monkeypatch.setitem(FORMATS, "jsonl", dataclasses.replace(spec, read=held_read))
    out = tmp_path / "bob.jsonl"
    export_dataset(source, "jsonl", out)
    dialog = make_dialog(qtbot, project, host)
    dialog.set_path(out)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    progress = dialog.controller.dialog
    assert progress is not None and progress.isVisible()
    qtbot.waitUntil(reading.is_set)
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.controller.busy(), timeout=10000)
    assert dialog.message.text() == "Import cancelled; nothing was stored."
    assert project.documents() == [] and project.annotations() == []


def test_window_refreshes_the_list_and_the_open_document(
    qtbot: QtBot, source: Project, open_window: MainWindow, tmp_path: Path
) -> None:
    window = open_window  # alice's project with the three articles, Bridge open
    out = tmp_path / "bob.jsonl"
    export_dataset(source, "jsonl", out)
    assert window.annotation_model.rowCount() == 0
    window.findChild(type(window.window_actions.quit), "importAnnotationsAction").trigger()
    dialog = window.findChild(ImportAnnotationsDialog, "importAnnotationsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.set_path(out)
    run_import(qtbot, dialog)

    assert dialog.import_result is not None
    assert dialog.import_result.counts.documents_matched == 2
    # Bob's two annotations on the open Bridge article are in the table and the counts.
    assert window.annotation_model.rowCount() == 2
    info = {d.title: d for d in window.document_model.all_documents()}
    assert info["Bridge"].annotations == 2 and info["Rain"].annotations == 1
    assert window.document_model.rowCount() == 3
    assert not window.undo_stack.canUndo()
    assert "3 added" in window.status.currentMessage()


def test_closing_the_window_mid_import_joins_the_worker(
    qtbot: QtBot, source: Project, project: Project, settings, tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = threading.Event()
    spec = FORMATS["jsonl"]
    assert spec.read is not None
    original = spec.read

    def held_read(path: Path):  # type: ignore[no-untyped-def]
        assert gate.wait(10)
        return original(path)

    monkeypatch.setitem(FORMATS, "jsonl", dataclasses.replace(spec, read=held_read))
    # The reader is held until the window's close cancels the worker.
    cancel = Worker.cancel

    def cancel_and_release(worker: Worker) -> None:
        cancel(worker)
        gate.set()

    monkeypatch.setattr(Worker, "cancel", cancel_and_release)
    window = show_window(qtbot, MainWindow(project, settings))
    out = tmp_path / "bob.jsonl"
    export_dataset(source, "jsonl", out)
    dialog = window.exchange.open_import()
    dialog.set_path(out)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.controller.busy()
    window.close()  # waits for the worker; its cancel means nothing is stored
    assert project.annotations() == []
