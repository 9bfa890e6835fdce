"""``annotator export`` and ``annotator import-annotations`` through ``annotator.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotator
from tests.cli.conftest import Run


@pytest.fixture
def annotated(cli: Run, tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a-dam.txt").write_text("Officials said the dam is safe.\nCritics disagree.\n",
                                      encoding="utf-8")
    (articles / "b-bridge.txt").write_text("The bridge opened in 1999.\n", encoding="utf-8")
    assert cli("import", str(articles)).code == 0
    assert cli("annotate", "1", "0", "9", "source").code == 0
    assert cli("annotate", "1", "15", "30", "claim", "--note", "=check").code == 0
    assert cli("annotate", "1", "15", "22", "fact", user="bob").code == 0
    assert cli("annotate", "2", "4", "10", "fact", user="gold").code == 0
    return tmp_path


FORMATS = [("jsonl", "d.jsonl"), ("doccano", "d.jsonl"), ("csv", "d.csv"), ("brat", "brat"),
           ("labelstudio", "d.json"), ("webannotation", "d.jsonld"), ("conll", "d.conll")]


def test_export_prints_what_it_wrote(cli: Run, annotated: Path) -> None:
    for fmt, name in FORMATS:
        out = annotated / fmt / name
        out.parent.mkdir()
        result = cli("export", "--format", fmt, "--out", str(out))
        assert result.code == 0, result.err
        assert result.out.splitlines()[0] == f"wrote {out}: 2 document(s), " + (
            "3 annotation(s)" if fmt == "conll" else "4 annotation(s)"
        )
        if fmt == "conll":
            assert "not as in the project: 1 overlapping annotation(s) dropped" in result.out
        assert out.exists()


def test_filters_and_split(cli: Run, annotated: Path) -> None:
    out = annotated / "gold.jsonl"
    result = cli("export", "--format", "jsonl", "--out", str(out), "--user", "gold",
                 "--label", "fact", "--doc", "2")
    assert result.code == 0, result.err
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [s["annotator"] for s in line["spans"]] == ["gold"]
    result = cli("export", "--format", "csv", "--out", str(annotated / "s.csv"),
                 "--split", "train=0.5,test=0.5", "--seed", "4")
    assert result.code == 0, result.err
    assert "(train)" in result.out and "(test)" in result.out
    assert (annotated / "s-train.csv").exists() and (annotated / "s-test.csv").exists()
    result = cli("export", "--format", "jsonl", "--out", str(annotated / "x.jsonl"),
                 "--status", "accepted")
    assert result.code == 0 and "2 document(s), 0 annotation(s)" in result.out


def test_import_round_trip_and_idempotence(cli: Run, annotated: Path) -> None:
    out = annotated / "all.jsonl"
    assert cli("export", "--format", "jsonl", "--out", str(out)).code == 0
    other = annotated / "other.db"
    first = cli("import-annotations", str(out), "--format", "jsonl", project_path=other)
    assert first.code == 0, first.err
    assert "documents: 0 matched, 2 created" in first.out
    assert "annotations: 4 added, 0 updated, 0 unchanged" in first.out
    second = cli("import-annotations", str(out), "--format", "jsonl", project_path=other)
    assert "documents: 2 matched, 0 created" in second.out
    assert "annotations: 0 added, 0 updated, 4 unchanged" in second.out
    again = annotated / "again.jsonl"
    assert cli("export", "--format", "jsonl", "--out", str(again), project_path=other).code == 0
    assert again.read_bytes() == out.read_bytes()


def test_a_bad_file_is_refused_with_file_line_and_reason(cli: Run, annotated: Path) -> None:
    out = annotated / "all.jsonl"
    assert cli("export", "--format", "jsonl", "--out", str(out)).code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[0])
    broken["spans"][0]["end"] = 10_000
    bad = annotated / "bad.jsonl"
    bad.write_text(json.dumps(broken) + "\n" + lines[1] + "\n", encoding="utf-8")
    result = cli("import-annotations", str(bad), "--format", "jsonl",
                 project_path=annotated / "fresh.db")
    assert result.code == 1
    assert f"{bad}:1: offsets 0-10000 fall outside the text" in result.err
    assert result.err.strip().splitlines()[-1].startswith(f"annotator: {bad} refused")
    docs = cli("docs", "--json", project_path=annotated / "fresh.db")
    assert json.loads(docs.out) == []


def test_usage_and_failures(cli: Run, annotated: Path) -> None:
    out = str(annotated / "x.jsonl")
    assert cli("export", "--format", "jsonl", "--out", out, "--split", "a=0.5").code == 2
    assert cli("export", "--format", "jsonl", "--out", out, "--seed", "3").code == 2
    assert cli("export", "--format", "nope", "--out", out).code == 2
    assert cli("export", "--format", "jsonl", "--out", out, "--status", "maybe").code == 2
    assert cli("import-annotations", out, "--format", "conll").code == 2
    missing = cli("export", "--format", "jsonl", "--out", str(annotated / "no" / "x.jsonl"))
    assert missing.code == 1 and "does not exist" in missing.err
    unknown = cli("export", "--format", "jsonl", "--out", out, "--doc", "nope")
    assert unknown.code == 1 and "no document 'nope'" in unknown.err
    assert not Path(out).exists()


def test_unknown_label_or_annotator_is_refused(cli: Run, annotated: Path) -> None:
    # A typo must not pass for an export of every document with no annotations.
    out = annotated / "x.jsonl"
    label = cli("export", "--format", "jsonl", "--out", str(out), "--label", "Claim")
    assert label.code == 1 and "no label 'Claim'" in label.err
    user = cli("export", "--format", "jsonl", "--out", str(out), "--user", "bob",
               "--user", "bobb")
    assert user.code == 1 and "no annotator 'bobb'" in user.err
    assert not out.exists()
    assert cli("init", project_path=annotated / "empty.db").code == 0
    gold = cli("export", "--format", "jsonl", "--out", str(out), "--user", "gold",
               project_path=annotated / "empty.db")
    assert gold.code == 0, gold.err


def test_import_reports_what_it_did_not_keep(cli: Run, tmp_path: Path) -> None:
    # doccano's relation-extraction export: entities and relations are kept, comments not.
    record = {"id": 4, "text": "Kim met Lee.",
              "entities": [{"id": 0, "start_offset": 0, "end_offset": 3, "label": "source"},
                           {"id": 1, "start_offset": 8, "end_offset": 11, "label": "source"}],
              "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "met"}],
              "Comments": [{"id": 9, "comment": "check"}]}
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = cli("import-annotations", str(path), "--format", "doccano")
    assert result.code == 0, result.err
    assert "annotations: 2 added, 0 updated, 0 unchanged" in result.out
    # doccano's relations are kept now: the type is created and the link is stored.
    assert "relations: 1 added, 0 updated, 0 unchanged" in result.out
    assert "new relation types: met" in result.out
    assert "relation" not in "".join(
        line for line in result.out.splitlines() if line.startswith("not imported"))
    relations = json.loads(cli("relations", "1", "--json").out)
    assert [r["type"] for r in relations] == ["met"]
    assert "not imported: 1 document comment(s) (doccano 'Comments')" in result.out


def test_brat_folder_of_collections_and_a_folder_without_any(cli: Run, annotated: Path) -> None:
    out = annotated / "brat"
    split = cli("export", "--format", "brat", "--out", str(out), "--split", "a=0.5,b=0.5")
    assert split.code == 0, split.err
    other = annotated / "other.db"
    result = cli("import-annotations", str(out), "--format", "brat", project_path=other)
    assert result.code == 0, result.err
    assert "documents: 0 matched, 2 created" in result.out
    assert "annotations: 4 added, 0 updated, 0 unchanged" in result.out
    empty = annotated / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "annotation.conf").write_text("[entities]\nPerson\n", encoding="utf-8")
    fresh = annotated / "fresh.db"
    refused = cli("import-annotations", str(empty), "--format", "brat", project_path=fresh)
    assert refused.code == 1 and "no brat documents" in refused.err
    with annotator.open_project(fresh, user="alice") as project:
        assert [label.name for label in project.labels()] == ["claim", "source", "fact"]
