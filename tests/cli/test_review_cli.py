"""Two analysts on separate machines, through the ``annotator`` command line (``main``):
annotate, exchange bundles both ways, review, adjudicate gold, agreement, export."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import annotator
from annotator.service import bundle
from tests.cli.conftest import Result, Run

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "seeds"
ARTICLES = {
    "dam.txt": "Officials said the dam is safe. Critics disagree, citing a 2019 report.\n",
    "bridge.txt": "The mayor claimed the bridge opened in 1999. Records show it opened in 2001.\n",
}
# (document title, start, end, label)
ALICE = [("dam", 0, 9, "source"), ("dam", 10, 31, "claim"), ("bridge", 0, 9, "source"),
         ("bridge", 18, 43, "claim")]
BOB = [("dam", 0, 9, "source"), ("dam", 10, 31, "fact"), ("bridge", 0, 9, "source"),
       ("bridge", 45, 77, "fact")]


def _ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out


def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _annotate(cli: Run, db: Path, user: str, spans: list[tuple[str, int, int, str]]) -> None:
    for title, start, end, label in spans:
        _ok(cli("annotate", title, str(start), str(end), label, user=user, project_path=db))


def _mark_done(db: Path, user: str) -> None:
    # The command line has no status command yet; the GUI marks documents done.
    with annotator.open_project(db, user=user) as project:
        for doc in project.documents():
            project.set_status(doc.id, "done")


def _counts(out: str) -> dict[str, int]:
    counts = {}
    for line in out.splitlines():
        name, _, value = line.partition(":")
        if value.strip():
            counts[name.strip()] = int(value.split()[0])
    return counts


def test_two_analysts_end_to_end(cli: Run, tmp_path: Path) -> None:
    folder = _articles(tmp_path)
    alice_db, bob_db = tmp_path / "alice.db", tmp_path / "bob.db"
    for db, user in ((alice_db, "alice"), (bob_db, "bob")):
        _ok(cli("import", str(folder), user=user, project_path=db))
    _annotate(cli, alice_db, "alice", ALICE)
    _annotate(cli, bob_db, "bob", BOB)
    _mark_done(alice_db, "alice")
    _mark_done(bob_db, "bob")

    # Exchange both ways.
    alice_zip, bob_zip = tmp_path / "alice.zip", tmp_path / "bob.zip"
    assert "4 annotation(s)" in _ok(cli("bundle", "--out", str(alice_zip), user="alice",
                                        project_path=alice_db))
    _ok(cli("bundle", "--out", str(bob_zip), "--user", "bob", user="bob", project_path=bob_db))
    with zipfile.ZipFile(bob_zip) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["format"], manifest["version"], manifest["users"]) == (
        "annotator-bundle", bundle.VERSION, ["bob"])
    into_alice = _counts(_ok(cli("merge", str(bob_zip), user="alice", project_path=alice_db)))
    assert into_alice["documents added"] == 0
    assert into_alice["annotations added"] == 4
    assert into_alice["reviews added"] == 0
    into_bob = _counts(_ok(cli("merge", str(alice_zip), user="bob", project_path=bob_db)))
    assert into_bob["annotations added"] == 4
    again = _counts(_ok(cli("merge", str(alice_zip), user="bob", project_path=bob_db)))
    assert again["annotations added"] == 0 and again["annotations unchanged"] == 4

    # alice reviews bob: two identical spans are accepted (and copied to gold).
    summary = _ok(cli("review", "--user", "bob", user="alice", project_path=alice_db))
    assert "not reviewed by you: 4" in summary
    matched = _counts(_ok(cli("review", "--user", "bob", "--accept-all-matching", "--to-gold",
                              user="alice", project_path=alice_db)))
    assert (matched["matched & accepted"], matched["already reviewed"], matched["unmatched"],
            matched["copied to gold"]) == (2, 0, 2, 2)
    again = _counts(_ok(cli("review", "--user", "bob", "--accept-all-matching",
                            user="alice", project_path=alice_db)))
    assert (again["matched & accepted"], again["already reviewed"]) == (0, 2)

    # The review decisions travel back to bob.
    _ok(cli("bundle", "--out", str(alice_zip), user="alice", project_path=alice_db))
    back = _counts(_ok(cli("merge", str(alice_zip), user="bob", project_path=bob_db)))
    assert back["reviews added"] == 2 and back["annotations added"] == 2  # the gold copies
    with annotator.open_project(bob_db, user="bob") as project:
        assert sorted(project.review_statuses().values()) == ["accepted", "accepted"]

    # Curation: the remaining disagreements, settled with alice's version.
    listed = json.loads(_ok(cli("curate", "--json", user="carol", project_path=alice_db)))
    assert sorted(d["kind"] for d in listed) == ["label", "missing", "missing"]
    _ok(cli("curate", "--resolve-with", "alice", user="carol", project_path=alice_db))
    assert json.loads(_ok(cli("curate", "--json", user="carol", project_path=alice_db))) == []

    # Agreement over the documents both marked done; gold is not an annotator here.
    report = json.loads(_ok(cli("agreement", "--json", user="alice", project_path=alice_db)))
    assert report["documents"] == 2 and report["users"] == ["alice", "bob"]
    assert set(report["labels"]) == {"claim", "source", "fact"}
    assert report["labels"]["source"]["f1_exact"] == {"alice|bob": 1.0}
    assert report["overall"]["kappa"]["alice|bob"] is not None
    table = _ok(cli("agreement", "--label", "source", user="alice", project_path=alice_db))
    assert "alice|bob" in table and "source" in table

    # The adjudicated and the accepted datasets.
    gold_out, accepted_out = tmp_path / "gold.jsonl", tmp_path / "accepted.jsonl"
    _ok(cli("export", "--format", "jsonl", "--out", str(gold_out), "--user", "gold",
            user="alice", project_path=alice_db))
    gold_labels = _exported_labels(gold_out)
    assert sorted(gold_labels) == ["claim", "claim", "source", "source"]
    _ok(cli("export", "--format", "jsonl", "--out", str(accepted_out), "--status", "accepted",
            user="alice", project_path=alice_db))
    assert sorted(_exported_labels(accepted_out)) == ["source", "source"]

    # Nothing was lost on either side.
    for db in (alice_db, bob_db):
        with annotator.open_project(db, user="x") as project:
            titles = {d.id: d.title.split(".")[0] for d in project.documents()}
            for user, expected in (("alice", ALICE), ("bob", BOB)):
                found = sorted((titles[a.document_id], a.start, a.end, a.label)
                               for a in project.annotations(annotator=user))
                assert found == sorted(expected)
            assert project.check() == []


def _exported_labels(path: Path) -> list[str]:
    labels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for span in record.get("spans") or record.get("label") or []:
            labels.append(span["label"] if isinstance(span, dict) else span[2])
    return labels


def test_agreement_errors(cli: Run, tmp_path: Path) -> None:
    folder = _articles(tmp_path)
    db = tmp_path / "team.db"
    _ok(cli("import", str(folder), project_path=db))
    _annotate(cli, db, "alice", ALICE[:1])
    one = cli("agreement", project_path=db)
    assert one.code == 1 and "at least two annotators" in one.err
    _annotate(cli, db, "bob", BOB[:1])
    none_done = cli("agreement", project_path=db)
    assert none_done.code == 1
    assert none_done.err.strip() == (
        "annotator: no document is marked done by all of alice, bob; use --all-docs "
        "to compare every document"
    )
    assert json.loads(_ok(cli("agreement", "--all-docs", "--json", project_path=db)))[
        "documents"] == 2
    unknown = cli("agreement", "--users", "alice", "zed", project_path=db)
    assert unknown.code == 1 and "zed" in unknown.err


def test_merge_refuses_bad_input_with_one_line(cli: Run, tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    _ok(cli("init", project_path=db))
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../etc/passwd", "x")
    result = cli("merge", str(evil), project_path=db)
    assert result.code == 1
    assert result.err.count("\n") == 1 and "'..'" in result.err
    missing = cli("merge", str(tmp_path / "nope.zip"), project_path=db)
    assert missing.code == 1 and "does not exist" in missing.err
    yourself = cli("review", "--user", "alice", user="alice", project_path=db)
    assert yourself.code == 1


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpora/seeds is not present")
def test_seed_articles_exchange(cli: Run, tmp_path: Path) -> None:
    alice_db, bob_db = tmp_path / "alice.db", tmp_path / "bob.db"
    for db, user in ((alice_db, "alice"), (bob_db, "bob")):
        _ok(cli("import", str(SEEDS), user=user, project_path=db))
    _ok(cli("annotate", "1", "0", "5", "claim", user="alice", project_path=alice_db))
    _ok(cli("bundle", "--out", str(tmp_path / "a.zip"), user="alice", project_path=alice_db))
    counts = _counts(_ok(cli("merge", str(tmp_path / "a.zip"), user="bob", project_path=bob_db)))
    assert counts["documents added"] == 0 and counts["annotations added"] == 1
