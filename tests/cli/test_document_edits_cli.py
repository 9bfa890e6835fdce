"""``rename``, ``delete-document``, ``restore-document`` and ``docs --deleted``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run


@pytest.fixture
def two(cli: Run, tmp_path: Path) -> Run:
    (tmp_path / "dam.txt").write_text("Officials said the dam is safe.\n", encoding="utf-8")
    (tmp_path / "bridge.txt").write_text("The bridge opened in 1999.\n", encoding="utf-8")
    assert cli("import", str(tmp_path / "dam.txt"), str(tmp_path / "bridge.txt")).code == 0
    assert cli("annotate", "dam", "0", "9", "source").code == 0
    assert cli("annotate", "dam", "15", "30", "claim").code == 0
    return cli


def test_rename(two: Run) -> None:
    result = two("rename", "dam", "The dam, revised")
    assert result.code == 0, result.err
    assert result.out.strip() == "renamed 'dam' to 'The dam, revised'"
    titles = [d["title"] for d in json.loads(two("docs", "--json").out)]
    assert titles == ["The dam, revised", "bridge"]


def test_delete_hides_and_restore_brings_back(two: Run) -> None:
    deleted = two("delete-document", "dam")
    assert deleted.code == 0, deleted.err
    assert deleted.out.startswith("deleted 'dam': hid 2 annotation(s)")
    listed = two("docs")
    assert "bridge" in listed.out and "dam" not in listed.out
    tombstones = json.loads(two("docs", "--deleted", "--json").out)
    assert [(d["title"], d["annotations"]) for d in tombstones] == [("dam", 2)]
    shown = two("show", "dam")
    assert shown.code == 1 and "was deleted" in shown.err
    restored = two("restore-document", "dam")
    assert restored.code == 0, restored.err
    assert restored.out.strip() == "restored 'dam' with 2 annotation(s)"
    assert [d["title"] for d in json.loads(two("docs", "--json").out)] == ["dam", "bridge"]
    assert two("docs", "--deleted").out.strip() == "no deleted documents"


@pytest.mark.parametrize(("args", "message"), [
    (("rename", "nope", "T"), "no document 'nope'"),
    (("rename", "dam", "   "), "the title must not be empty"),
    (("rename", "dam", "x" * 1001), "longer than 1000 characters"),
    (("delete-document", "nope"), "no document 'nope'"),
    (("restore-document", "dam"), "no deleted document 'dam'"),
])
def test_bad_input_is_one_line_and_exit_1(two: Run, args: tuple[str, ...], message: str) -> None:
    result = two(*args)
    assert result.code == 1
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_deleting_twice_is_refused(two: Run) -> None:
    assert two("delete-document", "dam").code == 0
    again = two("delete-document", "dam")
    assert again.code == 1 and "was deleted" in again.err
    assert len(again.err.strip().splitlines()) == 1
