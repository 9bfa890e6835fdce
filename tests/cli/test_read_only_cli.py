"""``--read-only``, and projects that cannot be written: read commands work, write
commands exit 1 with one line saying why, and the project is left as it was."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

import annotator
from annotator.cli import main
from tests.core.review_support import database_hash
from tests.unwritable import unwritable

TEXT = "Officials said the dam is safe. Critics disagree."


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "p.db"
    with annotator.open_project(path, user="alice") as project:
        doc = project.add_document(TEXT, "Dam")
        project.add_annotation(doc, 0, 9, "source")
        project.set_status(doc, "done")
        project.set_user("bob")
        project.add_annotation(doc, 0, 9, "source")
        project.set_status(doc, "done")
    return path


READS = [["docs"], ["show", "Dam"], ["agreement"], ["check"], ["labels"], ["backups"]]
WRITES = [["annotate", "Dam", "10", "14", "claim"], ["status", "Dam", "in_progress"],
          ["labels", "add", "opinion"], ["import-annotations", "IN", "--format", "jsonl"]]


def _run(saved: Path, flag: list[str], args: list[str],
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--project", str(saved), "--user", "carol", *flag, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("flag", "why"), [
    (["--read-only"], "it was opened with --read-only"),
    ([], "its folder"),
])
def test_reads_work_and_writes_exit_1(
    saved: Path, tmp_path: Path, flag: list[str], why: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    incoming = tmp_path / "in.jsonl"
    incoming.write_text('{"text": "A new text.", "spans": []}\n')
    before = database_hash(saved)
    # the read-only hash leaves SQLite's empty side files, through which SQLite could write
    for side in ("-wal", "-shm"):
        Path(f"{saved}{side}").unlink()
    with unwritable(saved.parent) if not flag else nullcontext():
        for args in READS:
            code, _out, err = _run(saved, flag, args, capsys)
            assert code == 0, (args, err)
        code, _out, err = _run(saved, flag, ["export", "--format", "jsonl", "--out",
                                             str(tmp_path / "out.jsonl")], capsys)
        assert code == 0, err
        for args in WRITES:
            args = [str(incoming) if a == "IN" else a for a in args]
            code, _out, err = _run(saved, flag, args, capsys)
            assert code == 1, args
            assert err.startswith("annotator: project is read-only: ") and why in err, err
            assert len(err.strip().splitlines()) == 1
    assert database_hash(saved) == before
    assert (tmp_path / "out.jsonl").read_text().count("\n") == 1


def test_read_only_never_creates_a_project(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project", str(tmp_path / "new.db"), "--read-only", "docs"])
    _out, err = capsys.readouterr()
    assert code == 1 and "project is read-only" in err and "no project at" in err
    assert not (tmp_path / "new.db").exists()
