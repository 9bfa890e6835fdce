"""``annotator suggest DOC [--json] [--apply]`` through the real console script."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

ARTICLE = "“The talks went well,” said Anna Berg on Oct. 23.\n"


def _imported(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    assert cli("import", str(tmp_path / "talks.txt")).code == 0


def test_json_lists_annotations_and_links_by_index(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    result = cli("suggest", "1", "--json")
    assert result.code == 0, result.err
    value = json.loads(result.out)
    annotations = value["annotations"]
    assert {(a["label"], a["text"], a["rule"]) for a in annotations} == {
        ("claim", "The talks went well", "quote_then_speaker"),
        ("source", "Anna Berg", "quote_then_speaker"),
        ("fact", "Oct. 23", "date"),
    }
    for a in annotations:
        assert ARTICLE[a["start"]:a["end"]] == a["text"] and 0 < a["confidence"] <= 1
    (link,) = value["relations"]
    assert link["type"] == "attributed_to"
    assert annotations[link["from"]]["label"] == "claim"
    assert annotations[link["to"]]["label"] == "source"


def test_apply_adds_annotations_and_links_once(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    first = cli("suggest", "1", "--apply")
    assert first.code == 0, first.err
    assert "3 annotation(s) added, 0 already there; 1 link(s) added, 0 already there" in first.out
    again = cli("suggest", "1", "--apply", "--json")
    applied = json.loads(again.out)["applied"]
    assert applied["added"] == [] and len(applied["existing"]) == 3
    relations = json.loads(cli("relations", "1", "--json").out)
    assert [(r["type"], r["annotator"]) for r in relations] == [("attributed_to", "alice")]
    shown = json.loads(cli("show", "1", "--json").out)["annotations"]
    assert sorted((a["label"], a["annotator"]) for a in shown) == [
        ("claim", "alice"), ("fact", "alice"), ("source", "alice")]


def test_plain_output_and_bad_input(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    plain = cli("suggest", "1")
    assert plain.code == 0 and "3 annotation(s), 1 link(s) proposed (en)" in plain.out
    missing = cli("suggest", "9")
    assert missing.code == 1 and missing.err.count("\n") == 1 and "Traceback" not in missing.err
    assert cli("suggest", "1", "--language", "xx").code == 2


def test_all_keeps_what_the_portuguese_claim_check_leaves_out(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "pt.txt").write_text(
        "A ministra Ana Lopes disse que as escolas vão reabrir na segunda-feira.\n",
        encoding="utf-8")
    assert cli("import", str(tmp_path / "pt.txt")).code == 0
    default = json.loads(cli("suggest", "1", "--json", "--language", "pt").out)
    assert default["relations"] == []  # indirect speech, and a future
    every = json.loads(cli("suggest", "1", "--json", "--language", "pt", "--all").out)
    (link,) = every["relations"]
    assert link["rule"] == "said_that"
    assert every["annotations"][link["to"]]["text"] == "A ministra Ana Lopes"
