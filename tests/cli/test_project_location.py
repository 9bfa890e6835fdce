"""A project named with --project or $ANNOTATOR_PROJECT that does not exist: only commands that
bring data in create it (saying so); every other command refuses it and creates nothing."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.cli.conftest import Run, run_main

REFUSING = [
    ("docs",),
    ("docs", "--json"),
    ("show", "1"),
    ("annotate", "1", "0", "3", "claim"),
    ("labels",),
    ("labels", "add", "opinion"),
    ("status", "1"),
    ("check",),
    ("export", "--format", "jsonl", "--out", "OUT/x.jsonl"),
    ("bundle", "--out", "OUT/b.zip"),
    ("review", "--user", "bob"),
    ("agreement",),
    ("curate",),
]


@pytest.mark.parametrize("args", REFUSING, ids=lambda args: " ".join(args))
def test_other_commands_refuse_a_missing_named_project(
    cli: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    missing = tmp_path / "no" / "such" / "x.db"
    (tmp_path / "OUT").mkdir()
    args = tuple(arg.replace("OUT", str(tmp_path / "OUT")) for arg in args)
    result = cli("--project", str(missing), *args)
    assert result.code == 1
    assert result.err == (
        f"annotator: no project at {missing} (check the path; 'annotator init' creates it)\n"
    )
    assert not (tmp_path / "no").exists()
    assert list((tmp_path / "OUT").iterdir()) == []


def test_the_environment_names_a_project_too(cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = cli("docs", project_path=missing)
    assert result.code == 1 and f"no project at {missing}" in result.err
    assert not missing.exists()


def test_init_creates_the_project_and_says_which_folder(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "p.db"
    result = cli("--project", str(path), "init")
    assert result.code == 0, result.err
    assert result.out == f"{path}\n"
    assert result.err == (
        f"annotator: creating a new project at {path}, and the folder {tmp_path / 'new'}\n"
    )
    assert path.is_file()
    again = cli("--project", str(path), "docs", "--json")
    assert (again.code, again.out, again.err) == (0, "[]\n", "")


@pytest.mark.parametrize("command", ["import", "import-annotations", "merge"])
def test_commands_that_bring_data_in_create_it(
    cli: Run, tmp_path: Path, command: str
) -> None:
    article = tmp_path / "dam.txt"
    article.write_text("Officials said the dam is safe.\n", encoding="utf-8")
    assert cli("import", str(article)).code == 0
    sources = {
        "import": [str(article)],
        "import-annotations": [str(tmp_path / "d.jsonl"), "--format", "jsonl"],
        "merge": [str(tmp_path / "cli.annotator.db")],
    }
    assert cli("export", "--format", "jsonl", "--out", str(tmp_path / "d.jsonl")).code == 0
    path = tmp_path / "p.db"
    result = cli("--project", str(path), command, *sources[command])
    assert result.code == 0, result.err
    assert result.err == f"annotator: creating a new project at {path}\n"
    docs = json.loads(cli("--project", str(path), "docs", "--json").out)
    assert [d["title"] for d in docs] == ["dam"]


def test_default_project_is_created_on_first_use_silently(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ANNOTATOR_PROJECT")
    result = run_main(["docs", "--json"])
    assert (result.code, result.out, result.err) == (0, "[]\n", "")
    # tests/conftest.py points the data folder (XDG_DATA_HOME) into tmp_path.
    assert (tmp_path / "xdg-data" / "annotator" / "default.annotator.db").is_file()


def test_version(cli: Run) -> None:
    result = cli("--version")
    expected = f"annotator {version('annotator')}\n"
    assert (result.code, result.out, result.err) == (0, expected, "")
