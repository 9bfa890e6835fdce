"""Decisions on suggestions travel in bundles and project files; merging again adds nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import orjson

from annotator.suggest import Suggestion
from annotator.suggest.outcomes import RuleOutcome
from tests.core.review_support import TEXT, database_hash, open_at


def _alice(path: Path) -> tuple[str, str]:
    with open_at(path, "alice") as alice:
        document = alice.add_document(TEXT, "Growth")
        kept = alice.add_annotation(document, 0, 12, "source", rule="speaker", confidence=0.9)
        alice.add_annotation(document, 18, 48, "claim")  # typed by hand: no origin
        alice.reject_suggestion(document, Suggestion("fact", 29, 38, TEXT[29:38], 0.6,
                                                     "figure"))
        return document, kept


def test_origins_travel_in_a_bundle_and_merge_once(tmp_path: Path) -> None:
    document, kept = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.bundle(tmp_path / "alice.zip")
        expected = alice.suggestion_origins()
    with zipfile.ZipFile(tmp_path / "alice.zip") as archive:
        assert orjson.loads(archive.read("manifest.json"))["version"] == 4
        assert len(orjson.loads(archive.read("origins.json"))) == 2
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "alice.zip")
        assert report.origins_added == 2
        assert "suggestion decisions added: 2" in report.lines()
        assert bob.suggestion_origins() == expected
        assert [o.annotation_id for o in bob.suggestion_origins()] == [kept, None]
        assert bob.suggestion_outcomes() == [
            RuleOutcome("figure", 1, 0, 0, 1), RuleOutcome("speaker", 1, 1, 1, 0)]
        before = database_hash(tmp_path / "bob.db")
        assert bob.merge(tmp_path / "alice.zip").origins_added == 0
        assert bob.merge(tmp_path / "alice.db").origins_added == 0
        assert database_hash(tmp_path / "bob.db") == before
    assert document


def test_a_project_file_carries_origins_too(tmp_path: Path) -> None:
    _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "bob.db", "bob") as bob:
        assert bob.merge(tmp_path / "alice.db").origins_added == 2
        assert {o.rule for o in bob.suggestion_origins(annotator="alice")} == {
            "speaker", "figure"}


def test_a_bundle_of_one_user_carries_only_their_decisions(tmp_path: Path) -> None:
    document, _ = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "carol") as carol:
        carol.reject_suggestion(document, Suggestion("source", 0, 12, TEXT[:12], 0.9,
                                                     "speaker"))
        carol.bundle(tmp_path / "carol.zip", users=["carol"])
    with open_at(tmp_path / "bob.db", "bob") as bob:
        assert bob.merge(tmp_path / "carol.zip").origins_added == 1
        assert [o.annotator for o in bob.suggestion_origins()] == ["carol"]


def test_a_version_2_bundle_without_origins_is_still_read(tmp_path: Path) -> None:
    _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.bundle(tmp_path / "new.zip")
    with zipfile.ZipFile(tmp_path / "new.zip") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    manifest = orjson.loads(entries.pop("manifest.json"))
    manifest["version"] = 2
    for section in ("origins", "link_origins"):
        del entries[f"{section}.json"], manifest["files"][f"{section}.json"]
        del manifest["counts"][section]
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as archive:
        archive.writestr("manifest.json", orjson.dumps(manifest))
        for name, blob in entries.items():
            archive.writestr(name, blob)
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "old.zip")
        assert (report.annotations_added, report.origins_added) == (2, 0)


def test_jsonl_carries_each_accepted_spans_rule_and_reads_it_back(tmp_path: Path) -> None:
    _, kept = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.export("jsonl", tmp_path / "work.jsonl")
    [line] = [orjson.loads(raw) for raw in (tmp_path / "work.jsonl").read_bytes().splitlines()]
    rules = {span["id"]: span.get("rule") for span in line["spans"]}
    assert rules[kept] == "speaker"
    assert [rule for span_id, rule in rules.items() if span_id != kept] == [None]
    assert all("rule" not in span for span in line["spans"] if span["id"] != kept)
    with open_at(tmp_path / "bob.db", "bob") as bob:
        bob.import_annotations(tmp_path / "work.jsonl", "jsonl")
        [origin] = bob.suggestion_origins()
        assert (origin.annotation_id, origin.rule, origin.annotator, origin.outcome,
                origin.confidence, origin.kept) == (kept, "speaker", "alice", "accepted",
                                                    None, True)
        bob.import_annotations(tmp_path / "work.jsonl", "jsonl")  # again: nothing new
        assert len(bob.suggestion_origins()) == 1
        # A bundle of the same work adds the rejection, not a second origin of the span.
        with open_at(tmp_path / "alice.db", "alice") as alice:
            alice.bundle(tmp_path / "alice.zip")
        assert bob.merge(tmp_path / "alice.zip").origins_added == 1
        assert sorted(o.outcome for o in bob.suggestion_origins()) == ["accepted", "rejected"]


def test_a_second_accepted_origin_of_one_annotation_is_left_out(tmp_path: Path) -> None:
    _, kept = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.bundle(tmp_path / "alice.zip")
    with zipfile.ZipFile(tmp_path / "alice.zip") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    origins = orjson.loads(entries["origins.json"])
    twin = {**origins[0], "id": "00000000-0000-4000-8000-000000000001", "rule": "other"}
    entries["origins.json"] = orjson.dumps([*origins, twin])
    manifest = orjson.loads(entries["manifest.json"])
    manifest["counts"]["origins"] = 3
    manifest["files"]["origins.json"] = {
        "size": len(entries["origins.json"]),
        "sha256": hashlib.sha256(entries["origins.json"]).hexdigest()}
    entries["manifest.json"] = orjson.dumps(manifest)
    with zipfile.ZipFile(tmp_path / "twin.zip", "w") as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    with open_at(tmp_path / "bob.db", "bob") as bob:
        assert bob.merge(tmp_path / "twin.zip").origins_added == 2
        assert [o.rule for o in bob.suggestion_origins() if o.annotation_id == kept] == [
            "speaker"]


def test_a_project_file_from_before_origins_merges(tmp_path: Path) -> None:
    _alice(tmp_path / "alice.db")
    connection = sqlite3.connect(tmp_path / "alice.db")
    connection.execute("DROP TABLE annotation_origin")
    connection.commit()
    connection.close()
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "alice.db")
        assert (report.annotations_added, report.origins_added) == (2, 0)


def test_origins_an_import_records_are_logged_as_changes(tmp_path: Path) -> None:
    """Another window on the importing project hears of the imported rules' decisions, as
    it hears of every other decision on a suggestion."""
    _, kept = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.export("jsonl", tmp_path / "work.jsonl")
    with open_at(tmp_path / "bob.db", "bob") as bob, open_at(tmp_path / "bob.db", "bob") as other:
        bob.import_annotations(tmp_path / "work.jsonl", "jsonl")
        [origin] = bob.suggestion_origins()
        changes = other.changes_since(0)
        assert set(changes.suggestions) == {origin.id}
        assert changes.suggestion_documents == {bob.annotation(kept).document_id}
