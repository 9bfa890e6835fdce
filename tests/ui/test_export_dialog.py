"""File › Export…: the real dialog, driven field by field, writing real files off the GUI thread."""

from __future__ import annotations

import csv
import dataclasses
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator import Project
from annotator.formats import FORMATS
from annotator.formats.spacy_format import INSTALL_HINT
from tests.ui import window_fixtures as fx
from ui.exchange.exchange_formats import checked, set_checked, spacy_available
from ui.exchange.export_dialog import ExportDialog
from ui.main_window import MainWindow

settings, project, document_ids = fx.settings, fx.project, fx.document_ids
window, open_window = fx.window, fx.open_window


@pytest.fixture
def annotated(project: Project, document_ids: list[str]) -> Project:
    """Three articles; alice tags claims and a fact, bob a source; the first is done."""
    a, b, _c = document_ids
    project.add_annotation(a, 0, 9, "claim", note='a "quoted"\tnote')
    project.add_annotation(a, 65, 80, "source")
    project.add_annotation(b, 0, 8, "fact")
    project.set_status(a, "done")
    project.set_user("bob")
    project.add_annotation(a, 10, 14, "claim")
    project.add_annotation(b, 9, 15, "source")
    project.set_user("alice")
    return project


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def make_dialog(qtbot: QtBot, project: Project, host: QWidget,
                current: str | None = None) -> ExportDialog:
    dialog = ExportDialog(project, current, host)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_export(qtbot: QtBot, dialog: ExportDialog) -> None:
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.controller.busy() or dialog.export_result is not None, dialog.message.text()
    qtbot.waitUntil(lambda: not dialog.controller.busy(), timeout=10000)


def read_jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def test_every_core_format_is_offered_with_a_description(
    qtbot: QtBot, project: Project, host: QWidget
) -> None:
    dialog = make_dialog(qtbot, project, host)
    combo = dialog.format_combo
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == list(FORMATS)
    for i in range(combo.count()):
        assert len(str(combo.itemData(i, Qt.ItemDataRole.ToolTipRole))) > 20
    dialog.set_format("brat")
    assert "folder" in dialog.format_note.text()
    dialog.set_format("csv")
    assert ".csv" in dialog.format_note.text()


def test_destination_follows_the_format(qtbot: QtBot, project: Project, host: QWidget) -> None:
    dialog = make_dialog(qtbot, project, host)
    start = dialog.destination_edit.text()
    assert start.endswith("-export.jsonl")
    dialog.set_format("csv")
    assert dialog.destination_edit.text() == start[: -len(".jsonl")] + ".csv"
    dialog.set_format("brat")
    assert dialog.destination_edit.text() == start[: -len(".jsonl")]
    dialog.set_format("webannotation")
    assert dialog.destination_edit.text().endswith("-export.jsonld")
    dialog.destination_edit.setText("/tmp/mine.txt")
    dialog.set_format("csv")
    assert dialog.destination_edit.text() == "/tmp/mine.txt"  # the user's own name stays


def test_jsonl_export_with_user_and_label_filters(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, annotated, host)
    assert sorted(checked(dialog.users_list)) == ["alice", "bob"]
    set_checked(dialog.users_list, {"alice"})
    set_checked(dialog.labels_list, {"claim", "fact"})
    out = tmp_path / "out.jsonl"
    dialog.destination_edit.setText(str(out))
    run_export(qtbot, dialog)

    assert dialog.export_result is not None and dialog.export_result.documents == 3
    records = read_jsonl(out)
    assert [r["title"] for r in records] == ["Bridge", "Rain", "Museum"]
    spans = [s for r in records for s in r["spans"]]
    assert {(s["annotator"], s["label"]) for s in spans} == {("alice", "claim"), ("alice", "fact")}
    assert len(spans) == dialog.export_result.annotations == 2
    for record in records:
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
    assert spans[0]["note"] == 'a "quoted"\tnote'
    summary = host.findChild(QMessageBox, "exportSummary")
    assert summary is not None and "3 documents and 2 annotations" in summary.text()
    assert str(out) in summary.informativeText()
    assert not dialog.isVisible()


def test_current_document_done_only_and_status_as_csv(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path, document_ids: list[str]
) -> None:
    dialog = make_dialog(qtbot, annotated, host, current=document_ids[1])
    assert "Rain" in dialog.current_document.text()
    dialog.set_format("csv")
    dialog.current_document.setChecked(True)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("pending"))
    out = tmp_path / "rain.csv"
    dialog.destination_edit.setText(str(out))
    run_export(qtbot, dialog)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["document_title"] for r in rows} == {"Rain"}
    assert sorted(r["label"] for r in rows) == ["fact", "source"]
    assert {r["status"] for r in rows} == {"pending"}

    # Done only: just the first article (alice marked it done).
    again = make_dialog(qtbot, annotated, host)
    again.set_format("csv")
    again.done_only.setChecked(True)
    done = tmp_path / "done.csv"
    again.destination_edit.setText(str(done))
    run_export(qtbot, again)
    with done.open(encoding="utf-8-sig", newline="") as handle:
        titles = {r["document_title"] for r in csv.DictReader(handle)}
    assert titles == {"Bridge"}


def test_chosen_documents(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path, document_ids: list[str]
) -> None:
    dialog = make_dialog(qtbot, annotated, host)
    assert not dialog.documents_list.isEnabled()
    dialog.chosen_documents.setChecked(True)
    assert dialog.documents_list.isEnabled()
    set_checked(dialog.documents_list, {document_ids[0], document_ids[2]})
    out = tmp_path / "two.jsonl"
    dialog.destination_edit.setText(str(out))
    run_export(qtbot, dialog)
    assert [r["id"] for r in read_jsonl(out)] == [document_ids[0], document_ids[2]]


def test_split_writes_one_file_per_part_reproducibly(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path
) -> None:
    def export(folder: Path, seed: int) -> dict[str, list[str]]:
        folder.mkdir()
        dialog = make_dialog(qtbot, annotated, host)
        dialog.split_group.setChecked(True)
        for name, value in (("train", 34), ("dev", 33), ("test", 33)):
            dialog.split_boxes[name].setValue(value)
        dialog.seed_box.setValue(seed)
        dialog.destination_edit.setText(str(folder / "data.jsonl"))
        assert "data-train.jsonl, data-dev.jsonl, data-test.jsonl" in (
            dialog.destination_hint.text()
        )
        run_export(qtbot, dialog)
        assert not (folder / "data.jsonl").exists()
        return {part: [r["id"] for r in read_jsonl(folder / f"data-{part}.jsonl")]
                for part in ("train", "dev", "test")}

    first, second = export(tmp_path / "a", 7), export(tmp_path / "b", 7)
    assert first == second
    assert sorted(i for ids in first.values() for i in ids) == sorted(
        d.id for d in annotated.documents()
    )
    assert all(len(ids) == 1 for ids in first.values())


def test_brat_split_makes_sub_folders(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, annotated, host)
    dialog.set_format("brat")
    dialog.split_group.setChecked(True)
    dialog.split_boxes["dev"].setValue(0)
    dialog.split_boxes["train"].setValue(90)
    out = tmp_path / "brat"
    dialog.destination_edit.setText(str(out))
    run_export(qtbot, dialog)
    assert sorted(p.name for p in out.iterdir()) == ["test", "train"]
    texts = list(out.glob("*/*.txt"))
    assert len(texts) == 3
    for part in ("train", "test"):
        assert (out / part / "annotation.conf").is_file()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, tmp: d.destination_edit.setText(""), "Choose where"),
        (lambda d, tmp: d.destination_edit.setText(str(tmp / "no" / "x.jsonl")), "does not exist"),
        (lambda d, tmp: d.destination_edit.setText(str(tmp)), "is a folder"),
        (lambda d, tmp: set_checked(d.labels_list, set()), "at least one label"),
        (lambda d, tmp: set_checked(d.users_list, set()), "at least one annotator"),
        (lambda d, tmp: (d.chosen_documents.setChecked(True),
                         set_checked(d.documents_list, set())), "at least one document"),
        (lambda d, tmp: (d.split_group.setChecked(True), d.split_boxes["dev"].setValue(5)),
         "add up to 95 %"),
    ],
)
def test_bad_input_shows_a_message_and_writes_nothing(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path, change, message  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dialog = make_dialog(qtbot, annotated, host)
    dialog.destination_edit.setText(str(out / "x.jsonl"))
    change(dialog, out)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert message in dialog.message.text()
    assert dialog.message.isVisible()
    assert not dialog.controller.busy()
    assert list(out.iterdir()) == []
    assert dialog.isVisible()


def test_a_core_failure_shows_inline(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    dialog = make_dialog(qtbot, annotated, host)
    dialog.set_format("brat")
    dialog.destination_edit.setText(str(folder))
    run_export(qtbot, dialog)
    assert "Export failed" in dialog.message.text() and "other files" in dialog.message.text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mine")) == ["mine"]
    assert (folder / "thesis.docx").read_bytes() == b"precious"
    assert dialog.export_button.isEnabled() and dialog.isVisible()


@pytest.mark.skipif(spacy_available(), reason="spaCy is installed here")
def test_spacy_without_spacy_says_how_to_install(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, annotated, host)
    dialog.set_format("spacy")
    dialog.destination_edit.setText(str(tmp_path / "x.spacy"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == INSTALL_HINT
    assert not (tmp_path / "x.spacy").exists()


def test_cancel_leaves_nothing_at_the_destination(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Hold the writer until Cancel has been pressed, so the cancel lands mid-export.
    gate, writing = threading.Event(), threading.Event()
    spec = FORMATS["jsonl"]

    def held_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        spec.write(*args, **kwargs)
        writing.set()
        assert gate.wait(10)

    monkeypatch.setitem(FORMATS, "jsonl", dataclasses.replace(spec, write=held_write))
    folder = tmp_path / "out"
    folder.mkdir()
    dialog = make_dialog(qtbot, annotated, host)
    dialog.destination_edit.setText(str(folder / "data.jsonl"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.controller.busy()
    progress = dialog.controller.dialog
    assert progress is not None and progress.isVisible()
    qtbot.waitUntil(writing.is_set)
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.controller.busy(), timeout=10000)
    assert dialog.message.text() == "Export cancelled; nothing was written."
    assert list(folder.iterdir()) == []  # no file, no temporary
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert host.findChild(QMessageBox, "exportSummary") is None


def test_browse_adds_the_extension_and_uses_a_folder_chooser_for_brat(
    qtbot: QtBot, project: Project, host: QWidget, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    seen: list[str] = []

    def save_name(_parent, _title, _start, pattern):  # type: ignore[no-untyped-def]
        seen.append(pattern)
        return str(tmp_path / "picked"), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *_args: str(tmp_path / "folder")))
    dialog = make_dialog(qtbot, project, host)
    dialog.set_format("csv")
    dialog.browse()
    assert dialog.destination_edit.text() == str(tmp_path / "picked.csv")
    assert "*.csv" in seen[0]
    dialog.set_format("brat")
    dialog.browse()
    assert dialog.destination_edit.text() == str(tmp_path / "folder")


def test_window_menu_shortcut_and_export_of_the_open_document(
    qtbot: QtBot, open_window: MainWindow, tmp_path: Path
) -> None:
    window = open_window
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    position = texts.index("&Import documents…")
    assert texts[position + 1 : position + 3] == ["Import &annotations…", "&Export…"]
    assert texts.count("&Export…") == 1
    export_action = window.findChild(type(file_menu.actions()[0]), "exportAction")
    assert export_action.shortcut() == QKeySequence("Ctrl+Shift+E")

    export_action.trigger()
    dialog = window.findChild(ExportDialog, "exportDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.current_document.isEnabled() and "Bridge" in dialog.current_document.text()
    dialog.current_document.setChecked(True)
    out = tmp_path / "bridge.jsonl"
    dialog.destination_edit.setText(str(out))
    run_export(qtbot, dialog)
    assert [r["title"] for r in read_jsonl(out)] == ["Bridge"]
    assert "Exported 1 document," in window.status.currentMessage()
    assert window.findChild(QMessageBox, "exportSummary") is not None


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_exports_from_the_dialog(
    qtbot: QtBot, annotated: Project, host: QWidget, tmp_path: Path, name: str
) -> None:
    if name == "spacy" and not spacy_available():
        pytest.skip("spaCy is not installed")
    dialog = make_dialog(qtbot, annotated, host)
    dialog.set_format(name)
    target = Path(dialog.destination_edit.text())
    dialog.destination_edit.setText(str(tmp_path / target.name))
    run_export(qtbot, dialog)
    assert dialog.export_result is not None, dialog.message.text()
    out = tmp_path / target.name
    assert out.is_dir() if FORMATS[name].folder else out.stat().st_size > 0
    assert dialog.export_result.documents == 3
