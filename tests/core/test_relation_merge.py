"""Relations and relation types travel in bundles and project files and merge by the
annotations' rule: newer wins, tombstones travel, idempotent, any order."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import orjson
import pytest

from annotator import AnnotatorError, Project
from tests.core.review_support import OTHER, TEXT, database_hash, open_at

assert TEXT[0:12] == "The minister"


def _base(path: Path, user: str) -> tuple[Project, str, str, str, str]:
    """A project with TEXT, a claim, a source and a fact by ``user``."""
    project = open_at(path, user)
    document = project.add_document(TEXT, "Growth")
    source = project.add_annotation(document, 0, 12, "source")
    claim = project.add_annotation(document, 18, 48, "claim")
    fact = project.add_annotation(document, 100, 127, "fact")
    return project, document, source, claim, fact


def _live(project: Project) -> set[tuple[str, str, str, str, str]]:
    return {(r.id, r.type, r.from_id, r.to_id, r.annotator) for r in project.relations()}


def test_relations_and_types_travel_and_merge_once(tmp_path: Path) -> None:
    alice, _document, source, claim, _fact = _base(tmp_path / "alice.db", "alice")
    alice.add_relation_type("quotes", ["claim"], ["source"])
    attributed = alice.add_relation(claim, source, "attributed_to")
    quoted = alice.add_relation(claim, source, "quotes")
    summary = alice.bundle(tmp_path / "alice.zip")
    assert summary.relations == 2
    with open_at(tmp_path / "bob.db", "bob") as bob:
        report = bob.merge(tmp_path / "alice.zip")
        assert (report.relations_added, report.relation_types_added) == (2, ("quotes",))
        assert any("relations added: 2" in line for line in report.lines())
        assert _live(bob) == _live(alice)
        assert {r.id for r in bob.relations()} == {attributed, quoted}
        before = database_hash(tmp_path / "bob.db")
        again = bob.merge(tmp_path / "alice.zip")
        assert (again.relations_added, again.relations_unchanged) == (0, 2)
        assert database_hash(tmp_path / "bob.db") == before
        # And from the project file itself.
        assert bob.merge(tmp_path / "alice.db").relations_unchanged == 2
        assert database_hash(tmp_path / "bob.db") == before
    alice.close()


def test_tombstones_travel_and_the_newer_version_wins(tmp_path: Path) -> None:
    alice, _, _source, claim, fact = _base(tmp_path / "alice.db", "alice")
    relation = alice.add_relation(fact, claim, "supports")
    alice.bundle(tmp_path / "first.zip")
    with open_at(tmp_path / "bob.db", "bob") as bob:
        bob.merge(tmp_path / "first.zip")
        alice.delete_relation(relation)
        alice.bundle(tmp_path / "deleted.zip")
        report = bob.merge(tmp_path / "deleted.zip")
        assert report.relations_updated == 1 and bob.relations() == []
        assert bob.changes_since(0, include_own=True).relations_removed >= {relation}
        # Bob restores it afterwards (as a reviewer: it is Alice's): his version is newer.
        bob.restore_relation(relation, as_reviewer=True)
        again = bob.merge(tmp_path / "deleted.zip")
        assert again.relations_conflicting == 1
        assert [r.id for r in bob.relations()] == [relation]
        bob.bundle(tmp_path / "restored.zip")
    assert alice.merge(tmp_path / "restored.zip").relations_updated == 1
    assert [r.id for r in alice.relations()] == [relation]
    alice.close()


def test_merges_in_either_order_agree(tmp_path: Path) -> None:
    alice, _document, source, claim, fact = _base(tmp_path / "alice.db", "alice")
    alice.bundle(tmp_path / "start.zip")
    with open_at(tmp_path / "bob.db", "bob") as bob:
        bob.merge(tmp_path / "start.zip")
        alice.add_relation(claim, source, "attributed_to")
        bob.add_relation(fact, claim, "contradicts")
        bob_only = bob.add_relation(fact, claim, "supports")
        bob.delete_relation(bob_only)
        alice.bundle(tmp_path / "alice.zip")
        bob.bundle(tmp_path / "bob.zip")
        bob.merge(tmp_path / "alice.zip")
        alice.merge(tmp_path / "bob.zip")
        assert _live(alice) == _live(bob) and len(_live(bob)) == 2
    alice.close()


def test_a_bundle_of_one_user_carries_the_annotations_their_relations_link(
    tmp_path: Path
) -> None:
    alice, _document, source, claim, _ = _base(tmp_path / "alice.db", "alice")
    alice.set_user("carol")
    relation = alice.add_relation(claim, source, "attributed_to")
    alice.bundle(tmp_path / "carol.zip", ["carol"])
    with open_at(tmp_path / "bob.db", "bob") as bob:
        bob.merge(tmp_path / "carol.zip")
        assert [r.id for r in bob.relations()] == [relation]
        assert {a.id for a in bob.annotations()} == {claim, source}
    alice.close()


def test_a_merged_relation_revives_a_type_removed_here(tmp_path: Path) -> None:
    alice, _, source, claim, _ = _base(tmp_path / "alice.db", "alice")
    alice.bundle(tmp_path / "start.zip")
    with open_at(tmp_path / "bob.db", "bob") as bob:
        bob.merge(tmp_path / "start.zip")
        bob.remove_relation_type("attributed_to")
        alice.add_relation(claim, source, "attributed_to")
        alice.bundle(tmp_path / "alice.zip")
        report = bob.merge(tmp_path / "alice.zip")
        assert report.relation_types_added == ("attributed_to",)
        assert "attributed_to" in [t.name for t in bob.relation_types()]
        assert len(bob.relations()) == 1
    alice.close()


def test_a_version_1_bundle_without_relations_is_still_read(tmp_path: Path) -> None:
    alice, *_ = _base(tmp_path / "alice.db", "alice")
    alice.bundle(tmp_path / "new.zip")
    alice.close()
    with zipfile.ZipFile(tmp_path / "new.zip") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    manifest = orjson.loads(entries.pop("manifest.json"))
    manifest["version"] = 1
    for section in ("relation_types", "relations", "origins", "link_origins"):
        del entries[f"{section}.json"], manifest["files"][f"{section}.json"]
        del manifest["counts"][section]
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as archive:
        archive.writestr("manifest.json", orjson.dumps(manifest))
        for name, blob in entries.items():
            archive.writestr(name, blob)
    with open_at(tmp_path / "bob.db", "bob") as bob:
        assert bob.merge(tmp_path / "old.zip").annotations_added == 3
        # A version 1 bundle that claims relations is refused.
        with zipfile.ZipFile(tmp_path / "old.zip", "a") as archive:
            archive.writestr("relations.json", b"[]")
        with pytest.raises(AnnotatorError, match="in a version 1 bundle"):
            bob.merge(tmp_path / "old.zip")


def test_a_relation_across_documents_in_a_source_is_refused(tmp_path: Path) -> None:
    alice, _, source, claim, _ = _base(tmp_path / "alice.db", "alice")
    second = alice.add_document(OTHER, "Bridge")
    elsewhere = alice.add_annotation(second, 2, 8, "source")
    alice.add_relation(claim, source, "attributed_to")
    alice.bundle(tmp_path / "alice.zip")
    alice.close()
    with zipfile.ZipFile(tmp_path / "alice.zip") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    relations = orjson.loads(entries["relations.json"])
    relations[0]["to"] = elsewhere
    entries["relations.json"] = orjson.dumps(relations)
    manifest = orjson.loads(entries["manifest.json"])
    manifest["files"]["relations.json"] = {
        "size": len(entries["relations.json"]),
        "sha256": hashlib.sha256(entries["relations.json"]).hexdigest()}
    entries["manifest.json"] = orjson.dumps(manifest)
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    with open_at(tmp_path / "bob.db", "bob") as bob:
        before = database_hash(tmp_path / "bob.db")
        with pytest.raises(AnnotatorError, match="different documents"):
            bob.merge(tmp_path / "bad.zip")
        assert database_hash(tmp_path / "bob.db") == before
