"""``relate``, ``relations``, ``relation-types``, ``show --json`` and ``check --schema``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run

TEXT = "The mayor said the bridge is safe. Engineers found cracks.\n"


@pytest.fixture
def annotated(cli: Run, tmp_path: Path) -> dict[str, str]:
    article = tmp_path / "bridge.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert cli("import", str(article)).code == 0
    ids = {}
    for name, start, end, label in (("source", 0, 9, "source"), ("claim", 15, 33, "claim"),
                                    ("fact", 35, 57, "fact")):
        result = cli("annotate", "1", str(start), str(end), label)
        assert result.code == 0, result.err
        ids[name] = result.out.strip()
    return ids


def test_relate_list_show_and_check(cli: Run, annotated: dict[str, str]) -> None:
    unattributed = cli("check", "--schema")
    assert unattributed.code == 1
    assert f"claim {annotated['claim']}" in unattributed.out
    assert "has no attributed_to source" in unattributed.out

    related = cli("relate", annotated["claim"], annotated["source"], "attributed_to")
    assert related.code == 0, related.err
    relation_id = related.out.strip()
    expected = {"id": relation_id, "type": "attributed_to", "from": annotated["claim"],
                "to": annotated["source"], "annotator": "alice"}
    assert json.loads(cli("relations", "1", "--json").out) == [expected]
    assert json.loads(cli("show", "1", "--json").out)["relations"] == [expected]
    listed = cli("relations", "bridge")
    assert listed.code == 0 and relation_id in listed.out and "-attributed_to->" in listed.out

    checked = cli("check", "--schema")
    assert (checked.code, checked.out.strip()) == (0, "ok")


@pytest.mark.parametrize(
    ("ends", "kind", "message"),
    [
        (("source", "claim"), "attributed_to", "attributed_to links claim to source"),
        (("claim", "claim"), "supports", "cannot link an annotation to itself"),
        (("fact", "claim"), "nonsense", "no relation type named 'nonsense'"),
    ],
)
def test_relate_refusals_are_one_line(
    cli: Run, annotated: dict[str, str], ends: tuple[str, str], kind: str, message: str
) -> None:
    result = cli("relate", annotated[ends[0]], annotated[ends[1]], kind)
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("annotator: ") and message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert json.loads(cli("relations", "1", "--json").out) == []


def test_relation_types_command(cli: Run, annotated: dict[str, str]) -> None:
    listed = cli("relation-types")
    assert listed.code == 0
    assert [line.split()[0] for line in listed.out.splitlines()] == [
        "attributed_to", "supports", "contradicts"]
    added = cli("relation-types", "add", "quotes", "--from", "claim", "--to", "source",
                "--description", "Quoted verbatim.")
    assert added.code == 0, added.err
    assert added.out.strip() == "added quotes: claim -> source"
    assert cli("relate", annotated["claim"], annotated["source"], "quotes").code == 0
    assert cli("relation-types", "rename", "quotes", "cites").code == 0
    types = json.loads(cli("relation-types", "--json").out)
    assert types[-1] == {"name": "cites", "from_labels": ["claim"], "to_labels": ["source"],
                         "description": "Quoted verbatim.", "used": 1}
    refused = cli("relation-types", "remove", "cites")
    assert refused.code == 1 and "used by 1 relation(s)" in refused.err
    forced = cli("relation-types", "remove", "cites", "--force")
    assert forced.out.strip() == "removed cites and 1 relation(s)"
    assert json.loads(cli("relations", "1", "--json").out) == []
    changed = cli("relation-types", "change", "supports", "--from", "fact", "--from", "source")
    assert changed.out.strip() == "changed supports: fact|source -> claim"


def test_agreement_reports_relations(cli: Run, annotated: dict[str, str]) -> None:
    assert cli("relate", annotated["claim"], annotated["source"], "attributed_to").code == 0
    bob_source = cli("annotate", "1", "0", "9", "source", user="bob").out.strip()
    bob_claim = cli("annotate", "1", "15", "33", "claim", user="bob").out.strip()
    assert cli("relate", bob_claim, bob_source, "attributed_to", user="bob").code == 0
    result = cli("agreement", "--all-docs", "--json")
    assert result.code == 0, result.err
    pair = json.loads(result.out)["relations"]["alice|bob"]
    assert (pair["f1_exact"], pair["precision_overlap"]) == (1.0, 1.0)
    table = cli("agreement", "--all-docs")
    assert "Relations of pair" in table.out and "1/1" in table.out
