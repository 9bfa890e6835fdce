"""Hostile files next to the ones named: configuration files that are pipes or devices,
Label Studio configs that declare entities, folders holding nothing readable."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from annotator import AnnotatorError, Project
from annotator.cli import main
from tests.core.review_support import database_hash

TEXT = "Officials said the dam is safe."


def _brat_folder(tmp_path: Path) -> Path:
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "a.txt").write_text(TEXT)
    (brat / "a.ann").write_text("T1\tclaim 0 9\tOfficials\n")
    return brat


@pytest.mark.parametrize("name", ["annotation.conf", "visual.conf", "kb_shortcuts.conf"])
def test_a_brat_conf_that_is_a_fifo_is_refused_unread(
    project: Project, project_path: Path, tmp_path: Path, name: str
) -> None:
    brat = _brat_folder(tmp_path)
    os.mkfifo(brat / name)
    before = database_hash(project_path)
    # Opened for reading, a FIFO without a writer would block this thread for ever; the
    # import runs in a thread so that a regression fails instead of hanging the suite.
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            project.import_annotations(brat, "brat")
            outcome.append(None)
        except BaseException as exc:  # reported below
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():
        with open(brat / name, "wb"):  # let the blocked reader go
            pass
        pytest.fail(f"the import opened the FIFO {name}")
    assert isinstance(outcome[0], AnnotatorError), outcome
    assert f"{name} is a named pipe (FIFO)" in str(outcome[0])
    assert database_hash(project_path) == before


def test_a_brat_conf_linked_to_a_device_is_refused_unread(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    brat = _brat_folder(tmp_path)
    (brat / "annotation.conf").symlink_to("/dev/zero")
    before = database_hash(project_path)
    with pytest.raises(AnnotatorError, match=r"annotation\.conf is a symbolic link"):
        project.import_annotations(brat, "brat")
    assert database_hash(project_path) == before


def test_a_brat_conf_over_the_size_bound_is_refused(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.formats import brat_conf

    brat = _brat_folder(tmp_path)
    (brat / "annotation.conf").write_text("[entities]\nclaim\n" + "# x\n" * 100)
    monkeypatch.setattr(brat_conf, "MAX_CONF", 100)
    with pytest.raises(AnnotatorError, match=r"annotation\.conf is .* over the limit"):
        project.import_annotations(brat, "brat")


def _labelstudio_file(tmp_path: Path, config: str) -> Path:
    tasks = tmp_path / "tasks.json"
    tasks.write_text('[{"id": 1, "data": {"text": "' + TEXT + '"}, "annotations": []}]')
    (tmp_path / "tasks.labelconfig.xml").write_text(config)
    return tasks


def test_label_studio_config_entities_are_never_expanded(
    project: Project, tmp_path: Path
) -> None:
    # small enough to pass under expat's own amplification guard (8 MB), which the
    # standard library's parser relied on; 1,000 "lol"s became a label's name
    laughs = "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 4))
    config = (f'<?xml version="1.0"?><!DOCTYPE View [<!ENTITY l0 "lol">{laughs}]>'
              '<View><Labels name="label" toName="text"><Label value="&l3;"/>'
              '<Label value="kept?"/></Labels></View>')
    tasks = _labelstudio_file(tmp_path, config)
    project.import_annotations(tasks, "labelstudio")
    # a config with a DTD is not read at all: no label of it arrives, expanded or not
    names = [label.name for label in project.labels()]
    assert "kept?" not in names and not any("lol" in name for name in names)


def test_label_studio_config_that_is_a_fifo_is_refused_unread(
    project: Project, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks.json"
    tasks.write_text('[{"id": 1, "data": {"text": "' + TEXT + '"}, "annotations": []}]')
    os.mkfifo(tmp_path / "tasks.labelconfig.xml")
    with pytest.raises(AnnotatorError, match=r"labelconfig.xml is a named pipe"):
        project.import_annotations(tasks, "labelstudio")


def test_label_studio_config_is_still_read(project: Project, tmp_path: Path) -> None:
    tasks = _labelstudio_file(
        tmp_path, '<View><Labels name="label" toName="text">'
        '<Label value="opinion" background="#112233" hotkey="o"/></Labels></View>')
    project.import_annotations(tasks, "labelstudio")
    assert "opinion" in [label.name for label in project.labels()]


def test_a_folder_with_nothing_readable_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.txt")
    project = str(tmp_path / "p.db")
    code = main(["--project", project, "--user", "alice", "import", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "skipped   " + str(folder / "passwd.txt") + ": is a symbolic link" in out
    assert "skipped   " + str(folder / "pipe.txt") + ": is a named pipe" in out
    assert "nothing imported: every file found was a link, a pipe or a device" in err
    # with one readable file beside them the import succeeds, the others still reported
    (folder / "a.txt").write_text(TEXT)
    code = main(["--project", project, "--user", "alice", "import", str(folder)])
    out, _err = capsys.readouterr()
    assert code == 0 and "1 file(s) imported (1 document(s)), 2 skipped" in out
