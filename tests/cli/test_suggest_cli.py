"""``annotator suggest DOC [--json] [--apply]`` through the real console script."""

from __future__ import annotations

import json
from pathlib import Path

import annotator
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


def test_a_refused_link_stops_apply_with_one_line_and_exit_1(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    assert cli("relation-types", "remove", "attributed_to").code == 0
    result = cli("suggest", "1", "--apply")
    assert result.code == 1
    assert "3 annotation(s) added" in result.out
    assert result.err.startswith("annotator: stopped: ") and result.err.count("\n") == 1


def test_suggest_stats_per_rule(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    assert cli("suggest-stats").out == "no suggestion was accepted or rejected yet\n"
    assert cli("suggest", "1", "--apply").code == 0
    # The analyst takes the date back (no delete command: through the API).
    with annotator.open_project(tmp_path / "cli.annotator.db", user="alice") as project:
        [fact] = project.annotations(label="fact")
        project.delete_annotation(fact.id)
    stats = json.loads(cli("suggest-stats", "--json").out)
    assert stats == [
        {"rule": "date", "kind": "annotation", "decided": 1, "accepted": 1, "kept": 0,
         "rejected": 0, "kept_rate": 0.0},
        {"rule": "quote_then_speaker", "kind": "annotation", "decided": 2, "accepted": 2,
         "kept": 2, "rejected": 0, "kept_rate": 1.0},
        {"rule": "quote_then_speaker", "kind": "link", "decided": 1, "accepted": 1,
         "kept": 1, "rejected": 0, "kept_rate": 1.0},
    ]
    table = cli("suggest-stats").out.splitlines()
    assert table[0].split() == ["rule", "kind", "decided", "accepted", "kept", "rejected",
                                "kept", "rate"]
    assert table[2].split() == ["quote_then_speaker", "annotation", "2", "2", "2", "0", "100%"]
    assert table[3].split() == ["quote_then_speaker", "link", "1", "1", "1", "0", "100%"]
    assert json.loads(cli("suggest-stats", "--user", "bob", "--json").out) == []


def test_agreement_with_the_suggester(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    assert cli("suggest", "1", "--apply").code == 0
    result = cli("agreement", "--all-docs", "--with-suggester", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["users"] == ["alice", "suggester"]
    assert report["overall"]["f1_exact"] == {"alice|suggester": 1.0}
    table = cli("agreement", "--all-docs", "--with-suggester").out
    assert "alice|suggester" in table
    alone = cli("agreement", "--all-docs")
    assert alone.code == 1 and "at least two annotators" in alone.err


def test_reject_records_prints_and_is_not_offered_again(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    before = json.loads(cli("suggest", "1", "--json").out)["annotations"]
    claim = next(i for i, a in enumerate(before) if a["label"] == "claim")
    result = cli("suggest", "1", "--reject", str(claim))
    assert result.code == 0, result.err
    assert f"rejected {claim}  claim" in result.out and "The talks went well" in result.out
    assert "rejected link attributed_to" in result.out
    assert "1 proposal(s) and 1 link(s) rejected" in result.out
    after = json.loads(cli("suggest", "1", "--json").out)
    assert [a["text"] for a in after["annotations"]] == ["Anna Berg", "Oct. 23"]
    assert after["relations"] == []
    applied = cli("suggest", "1", "--apply")
    assert "2 annotation(s) added" in applied.out and "0 link(s) added" in applied.out
    with annotator.open_project(tmp_path / "cli.annotator.db", user="alice") as project:
        no = next(o for o in project.suggestion_origins() if o.outcome == "rejected")
        assert (no.outcome, no.label, no.annotator) == ("rejected", "claim", "alice")
        [link] = project.link_origins()
        assert (link.outcome, link.rule) == ("rejected", "quote_then_speaker")
        assert {a.label for a in project.annotations()} == {"source", "fact"}
    # Bob is still offered it.
    assert len(json.loads(cli("--user", "bob", "suggest", "1", "--json").out)[
        "annotations"]) == 3


def test_reject_with_apply_and_json_adds_the_rest(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    listed = json.loads(cli("suggest", "1", "--json").out)["annotations"]
    fact = next(i for i, a in enumerate(listed) if a["label"] == "fact")
    value = json.loads(cli("suggest", "1", "--reject", str(fact), "--apply", "--json").out)
    assert value["annotations"] == listed  # numbered as --reject saw them
    assert [(a["index"], a["text"]) for a in value["rejected"]["annotations"]] == [
        (fact, "Oct. 23")]
    assert value["rejected"]["relations"] == []
    assert sorted(a["label"] for a in value["applied"]["added"]) == ["claim", "source"]
    assert len(value["applied"]["links_added"]) == 1


def test_a_bad_number_writes_nothing(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    db = tmp_path / "cli.annotator.db"
    with annotator.open_project(db, user="alice") as project:
        seq = project.last_change()
    for bad in (["0", "3"], ["x"], ["-1"], ["1.0"]):
        result = cli("suggest", "1", "--reject", *bad)
        assert result.code == 1, (bad, result.err)
        assert result.err.count("\n") == 1 and "no proposal numbered" in result.err
        assert "nothing was rejected" in result.err and "Traceback" not in result.err
    with annotator.open_project(db, user="alice") as project:
        assert project.last_change() == seq
        assert project.suggestion_origins() == [] and project.link_origins() == []
