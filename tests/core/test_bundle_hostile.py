"""A bundle is untrusted: every hostile or broken one is refused and changes nothing."""

from __future__ import annotations

import contextlib
import hashlib
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator import AnnotatorError, Project
from annotator.service.bundle import BundleLimits
from annotator.suggest import Suggestion
from tests.core.review_support import TEXT, database_hash, open_at

Entries = dict[str, bytes]


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    with open_at(tmp_path / "bob.db", "bob") as bob:
        doc = bob.add_document(TEXT, "Growth")
        first = bob.add_annotation(doc, 4, 12, "claim")
        fact = bob.add_annotation(doc, 13, 17, "fact")
        bob.add_relation(fact, first, "supports", rule="figure_supports", confidence=0.7)
        bob.add_annotation(doc, 0, 3, "source", rule="speaker_then_quote", confidence=0.9)
        bob.reject_suggestion(doc, Suggestion("fact", 18, 22, TEXT[18:22], 0.5, "figure"))
        bob.accept(first)
        bob.set_status(doc, "done")
        bob.bundle(tmp_path / "bob.zip")
    return tmp_path / "bob.zip"


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Project]:
    with open_at(tmp_path / "alice.db", "alice") as alice:
        doc = alice.add_document(TEXT, "Growth")
        alice.add_annotation(doc, 0, 3, "source")
        yield alice


def _entries(path: Path) -> Entries:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, entries: Entries, *, fix_manifest: bool = True) -> Path:
    if fix_manifest and "manifest.json" in entries:
        manifest = orjson.loads(entries["manifest.json"])
        for name, blob in entries.items():
            if name in manifest["files"]:
                manifest["files"][name] = {"size": len(blob),
                                           "sha256": hashlib.sha256(blob).hexdigest()}
                section = name.removesuffix(".json")
                with contextlib.suppress(orjson.JSONDecodeError, TypeError):
                    manifest["counts"][section] = len(orjson.loads(blob))
        entries = {**entries, "manifest.json": orjson.dumps(manifest)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    return path


def _edit_section(section: str, change: Callable[[list[Any]], None]) -> Callable[[Entries], None]:
    def mutate(entries: Entries) -> None:
        items = orjson.loads(entries[f"{section}.json"])
        change(items)
        entries[f"{section}.json"] = orjson.dumps(items)
    return mutate


def _refused(
    project: Project, bundle: Path, match: str, limits: BundleLimits | None = None
) -> None:
    path = Path(project.location)
    before = database_hash(path)
    with pytest.raises(AnnotatorError, match=match):
        project.merge(bundle, limits=limits)
    assert database_hash(path) == before


def test_valid_bundle_merges(target: Project, valid: Path) -> None:
    report = target.merge(valid)
    assert report.annotations_added == 3 and report.reviews_added == 1
    assert report.origins_added == 2


@pytest.mark.parametrize("name, match", [
    ("/etc/annotations.json", "absolute path"),
    ("C:/evil/annotations.json", "absolute path"),
    ("../annotations.json", "'..'"),
    ("data/../../x.json", "'..'"),
    ("notes.txt", "unexpected entry"),
])
def test_bad_entry_names(
    tmp_path: Path, target: Project, valid: Path, name: str, match: str
) -> None:
    entries = _entries(valid)
    entries[name] = b"[]"
    _refused(target, _write(tmp_path / "bad.zip", entries, fix_manifest=False), match)


def test_symlink_entry_is_refused(
    tmp_path: Path, target: Project, valid: Path
) -> None:
    entries = _entries(valid)
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, blob in entries.items():
            if name != "history.json":
                archive.writestr(name, blob)
        link = zipfile.ZipInfo("history.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    _refused(target, path, "is a link")


def test_zip_bomb_ratio_is_refused(
    tmp_path: Path, target: Project, valid: Path
) -> None:
    entries = _entries(valid)
    entries["history.json"] = b"[" + b" " * (8 << 20) + b"]"
    _refused(target, _write(tmp_path / "bomb.zip", entries), "zip bomb")


def test_oversized_entry_and_total_are_refused(target: Project, valid: Path) -> None:
    _refused(target, valid, "unpacks to", BundleLimits(max_entry=200))
    _refused(target, valid, "more than", BundleLimits(max_total=500))
    _refused(target, valid, "entries", BundleLimits(max_entries=3))


def test_duplicate_entry_is_refused(
    tmp_path: Path, target: Project, valid: Path
) -> None:
    path = tmp_path / "dup.zip"
    entries = _entries(valid)
    with zipfile.ZipFile(path, "w") as archive, pytest.warns(UserWarning):
        for name, blob in entries.items():
            archive.writestr(name, blob)
        archive.writestr("labels.json", b"[]")
    _refused(target, path, "twice")


@pytest.mark.parametrize("manifest, match", [
    (b"{not json", "invalid JSON"),
    (b"[1, 2]", "JSON object"),
    (orjson.dumps({"format": "something-else", "version": 1}), "not an Annotator bundle"),
    (orjson.dumps({"format": "annotator-bundle", "version": 5}), "newer version"),
    (orjson.dumps({"format": "annotator-bundle", "version": "1"}), "whole number"),
    (orjson.dumps({"format": "annotator-bundle", "version": 1, "created": "x"}), "counts"),
])
def test_bad_manifest_is_refused(
    tmp_path: Path, target: Project, valid: Path, manifest: bytes, match: str
) -> None:
    entries = _entries(valid)
    entries["manifest.json"] = manifest
    _refused(target, _write(tmp_path / "bad.zip", entries, fix_manifest=False), match)


def test_missing_entry_and_wrong_hash_are_refused(
    tmp_path: Path, target: Project, valid: Path
) -> None:
    entries = _entries(valid)
    del entries["reviews.json"]
    _refused(target, _write(tmp_path / "missing.zip", entries, fix_manifest=False), "missing")
    entries = _entries(valid)
    entries["annotations.json"] = entries["annotations.json"].replace(b'"claim"', b'"fact"')
    _refused(target, _write(tmp_path / "tampered.zip", entries, fix_manifest=False),
             "does not match its manifest")


def _set(field: str, value: Any, section: str = "annotations") -> Callable[[Entries], None]:
    def change(items: list[Any]) -> None:
        items[0][field] = value
    return _edit_section(section, change)


@pytest.mark.parametrize("mutate, match", [
    (_set("end", len(TEXT) + 5), "outside its document"),
    (_set("start", -1), "outside its document"),
    (_set("start", 12), "outside its document"),  # start == end
    (_set("start", "4"), "whole number"),
    (_set("start", True), "whole number"),
    (_set("id", "not-a-uuid"), "uuid"),
    (_set("label", "unlisted"), "unlisted label"),
    (_set("annotator", ""), "annotator"),
    (_set("updated", "yesterday"), "ISO date"),
    (_set("document", "00000000-0000-0000-0000-000000000000"), "unknown document"),
    (_set("text", "changed text", "documents"), "sha256"),
    (_set("status", "finished", "statuses"), "status must be"),
    (_set("verdict", "maybe", "reviews"), "verdict"),
    (_set("annotation", "00000000-0000-0000-0000-000000000000", "reviews"), "unknown annotation"),
    (_set("color", "red", "labels"), "color"),
    (_set("from", "00000000-0000-0000-0000-000000000000", "relations"), "unknown annotation"),
    (_set("type", "unlisted", "relations"), "unlisted type"),
    (_set("type", "said by", "relations"), "without spaces"),
    (_set("deleted", "no", "relations"), "true or false"),
    (_set("from_labels", "fact", "relation_types"), "list of at most"),
    (_set("to_labels", [""], "relation_types"), "label names"),
    (_edit_section("relations", lambda items: items[0].update(to=items[0]["from"])),
     "to itself"),
    (_edit_section("relations", lambda items: items.append(items[0])), "appears twice"),
    (_set("outcome", "maybe", "origins"), "outcome must be"),
    (_set("annotation", "00000000-0000-0000-0000-000000000000", "origins"),
     "unknown annotation"),
    (_set("annotation", None, "origins"), "names its annotation"),
    (_set("confidence", "high", "origins"), "confidence"),
    (_set("end", 10_000, "origins"), "outside its document"),
    (_edit_section("origins", lambda items: items.append(items[0])), "appears twice"),
    (_set("outcome", "maybe", "link_origins"), "outcome must be"),
    (_set("relation", "00000000-0000-0000-0000-000000000000", "link_origins"),
     "unknown relation"),
    (_set("relation", None, "link_origins"), "names its relation"),
    (_set("to_end", 10_000, "link_origins"), "outside its document"),
    (_set("from_start", "4", "link_origins"), "whole number"),
    (_set("type", "said by", "link_origins"), "without spaces"),
    (_set("from_label", "", "link_origins"), "one line"),
    (_edit_section("link_origins", lambda items: items.append(items[0])), "appears twice"),
    (_edit_section("relation_types", lambda items: items.append(items[0])), "appears twice"),
    (_edit_section("annotations", lambda items: items.append(items[0])), "appears twice"),
    (_edit_section("annotations", lambda items: items.append(7)), "not an object"),
    (_edit_section("annotations", lambda items: items[0].pop("end")), "lacks 'end'"),
])
def test_bad_content_is_refused(
    tmp_path: Path, target: Project, valid: Path, mutate: Callable[[Entries], None], match: str
) -> None:
    entries = _entries(valid)
    mutate(entries)
    _refused(target, _write(tmp_path / "bad.zip", entries), match)


def test_section_that_is_not_a_list_is_refused(
    tmp_path: Path, target: Project, valid: Path
) -> None:
    entries = _entries(valid)
    entries["statuses.json"] = b'{"a": 1}'
    _refused(target, _write(tmp_path / "bad.zip", entries), "JSON array")


def test_damaged_zip_is_refused(
    tmp_path: Path, target: Project, valid: Path
) -> None:
    data = bytearray(valid.read_bytes())
    data[40:80] = b"\x00" * 40
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    _refused(target, damaged, "bundle")
