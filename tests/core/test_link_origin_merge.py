"""Decisions on suggested links travel where those on annotations do: bundles (format 4,
``link_origins.json``), project files and merges, once; older bundles are still read."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import orjson

from annotator.suggest import apply_suggestions
from annotator.suggest.outcomes import LINK, RuleOutcome
from tests.core.review_support import database_hash, open_at

ARTICLE = (
    "Kim met the envoy on Oct. 23. “The talks went well,” said Anna Berg. "
    "Kim left early. According to the embassy, the envoy stayed for two days."
)


def _alice(path: Path) -> str:
    """Alice accepts the quotation with its link and rejects the embassy's claim (its link
    goes with it)."""
    with open_at(path, "alice") as alice:
        document = alice.add_document(ARTICLE, "talks")
        result = alice.suggest(document)
        envoy = next(i for i, s in enumerate(result.annotations) if s.start == 111)
        alice.reject_suggestions(document, result, [envoy])
        apply_suggestions(alice, document, alice.suggest(document), alice.add_relation)
        return document


def test_link_origins_travel_in_a_bundle_and_merge_once(tmp_path: Path) -> None:
    document = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.bundle(tmp_path / "alice.zip")
        expected = alice.link_origins()
    assert sorted(o.outcome for o in expected) == ["accepted", "rejected"]
    with zipfile.ZipFile(tmp_path / "alice.zip") as archive:
        assert orjson.loads(archive.read("manifest.json"))["version"] == 4
        assert len(orjson.loads(archive.read("link_origins.json"))) == 2
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "alice.zip")
        assert report.link_origins_added == 2
        assert "suggested link decisions added: 2" in report.lines()
        assert bob.link_origins() == expected
        assert bob.link_outcomes() == [RuleOutcome("according_to", 1, 0, 0, 1, LINK),
                                       RuleOutcome("quote_then_speaker", 1, 1, 1, 0, LINK)]
        # Alice's rejection holds for her in Bob's copy too, not for Bob.
        bob.set_user("alice")
        assert 111 not in {s.start for s in bob.suggest(document).annotations}
        bob.set_user("bob")
        assert 111 in {s.start for s in bob.suggest(document).annotations}
        before = database_hash(tmp_path / "bob.db")
        assert bob.merge(tmp_path / "alice.zip").link_origins_added == 0
        assert bob.merge(tmp_path / "alice.db").link_origins_added == 0
        assert database_hash(tmp_path / "bob.db") == before


def test_a_project_file_carries_link_origins_and_a_merge_logs_them(tmp_path: Path) -> None:
    document = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "bob.db", "bob") as bob:
        seen: list[frozenset[str]] = []
        bob.subscribe(lambda changes: seen.append(changes.suggestion_documents))
        assert bob.merge(tmp_path / "alice.db").link_origins_added == 2
        assert {o.rule for o in bob.link_origins(annotator="alice")} == {
            "according_to", "quote_then_speaker"}
        assert seen == [frozenset({document})]


def test_a_bundle_of_one_user_carries_only_their_link_decisions(tmp_path: Path) -> None:
    document = _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "carol") as carol:
        result = carol.suggest(document)
        talks = next(i for i, s in enumerate(result.annotations) if s.start == 31)
        carol.reject_suggestions(document, result, [talks])
        carol.bundle(tmp_path / "carol.zip", users=["carol"])
    with open_at(tmp_path / "bob.db", "bob") as bob:
        assert bob.merge(tmp_path / "carol.zip").link_origins_added == 1
        assert [(o.annotator, o.outcome) for o in bob.link_origins()] == [("carol", "rejected")]


def _older(tmp_path: Path, version: int, dropped: tuple[str, ...]) -> Path:
    with zipfile.ZipFile(tmp_path / "alice.zip") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    manifest = orjson.loads(entries.pop("manifest.json"))
    manifest["version"] = version
    for section in dropped:
        del entries[f"{section}.json"], manifest["files"][f"{section}.json"]
        del manifest["counts"][section]
    path = tmp_path / f"version{version}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", orjson.dumps(manifest))
        for name, blob in entries.items():
            archive.writestr(name, blob)
    return path


def test_version_3_and_2_bundles_are_still_read(tmp_path: Path) -> None:
    _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.bundle(tmp_path / "alice.zip")
    three = _older(tmp_path, 3, ("link_origins",))
    two = _older(tmp_path, 2, ("origins", "link_origins"))
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(three)
        assert (report.annotations_added, report.origins_added,
                report.link_origins_added) == (4, 5, 0)
    with open_at(tmp_path / "carol.db", "carol") as carol:
        report = carol.merge(two)
        assert (report.annotations_added, report.relations_added, report.origins_added,
                report.link_origins_added) == (4, 1, 0, 0)


def test_a_project_file_from_before_link_origins_merges(tmp_path: Path) -> None:
    _alice(tmp_path / "alice.db")
    connection = sqlite3.connect(tmp_path / "alice.db")
    connection.execute("DROP TABLE relation_origin")
    connection.commit()
    connection.close()
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "alice.db")
        assert (report.relations_added, report.origins_added,
                report.link_origins_added) == (1, 5, 0)


def test_an_origin_of_a_relation_the_merge_leaves_out_is_left_out_too(tmp_path: Path) -> None:
    """A source holding two live twins of one relation: the merge keeps the smallest id, and
    an accepted origin of the other (which would name a relation that is not there) goes."""
    _alice(tmp_path / "alice.db")
    with open_at(tmp_path / "alice.db", "alice") as alice:
        alice.bundle(tmp_path / "alice.zip")
    with zipfile.ZipFile(tmp_path / "alice.zip") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    [relation] = orjson.loads(entries["relations.json"])
    [accepted] = [o for o in orjson.loads(entries["link_origins.json"])
                  if o["outcome"] == "accepted"]
    twin = {**relation, "id": "ffffffff-ffff-4fff-8fff-ffffffffffff"}
    twin_origin = {**accepted, "id": "ffffffff-ffff-4fff-8fff-fffffffffffe",
                   "relation": twin["id"]}
    sections = {"relations": [relation, twin],
                "link_origins": [*orjson.loads(entries["link_origins.json"]), twin_origin]}
    manifest = orjson.loads(entries["manifest.json"])
    for section, items in sections.items():
        blob = orjson.dumps(items)
        entries[f"{section}.json"] = blob
        manifest["counts"][section] = len(items)
        manifest["files"][f"{section}.json"] = {
            "size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
    entries["manifest.json"] = orjson.dumps(manifest)
    with zipfile.ZipFile(tmp_path / "twins.zip", "w") as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "twins.zip")
        assert report.relations_added == 1 and report.link_origins_added == 2
        assert {o.relation_id for o in bob.link_origins()} == {relation["id"], None}
