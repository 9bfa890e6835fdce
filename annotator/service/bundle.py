"""The bundle: a zip that carries a project's work to a colleague.

Layout: ``manifest.json`` (format name and version, counts, and the size and sha256 of
every other entry) and one JSON array per section: ``labels.json``, ``documents.json``,
``annotations.json``, ``statuses.json``, ``reviews.json``, ``history.json``, (from
version 2) ``relation_types.json`` and ``relations.json``, (from version 3)
``origins.json``, analysts' decisions on suggestions, and (from version 4)
``link_origins.json``, their decisions on suggested links; an older bundle, written
before a section existed, lacks it and is still read.

A bundle from elsewhere is untrusted. :func:`read_bundle` refuses entries with absolute
paths, ``..``, links, directories or unexpected names, bounds every entry's size, the
total and the compression ratio (zip bombs), and checks the manifest and each entry's
hash before anything is parsed; JSON is parsed within the bounds of
:mod:`annotator.untrusted` (depth, and memory: what all sections would take once parsed),
and the payload is then validated by :mod:`payload`.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from annotator.errors import AnnotatorError
from annotator.service.payload import SECTIONS, SINCE, format_time
from annotator.untrusted import (
    MEMORY_LIMIT,
    UntrustedInput,
    estimated_memory,
    human_size,
    load_json,
)

FORMAT = "annotator-bundle"
VERSION = 4
MANIFEST = "manifest.json"
ENTRIES = {f"{section}.json": section for section in SECTIONS}
# Entries older bundles lack, and the version from which each is required.
LATER_ENTRIES = {f"{section}.json": version for section, version in SINCE.items()}
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class BundleLimits:
    """Bounds on what a bundle may unpack to; the defaults fit projects of a million
    annotations, and keep a merge's memory under about 1 GB whatever the bundle holds."""

    max_entry: int = 512 << 20
    max_total: int = 768 << 20
    max_ratio: int = 100
    """Largest uncompressed/compressed ratio, checked for entries above ``ratio_floor``."""
    ratio_floor: int = 1 << 20
    max_entries: int = 16


def write_bundle(
    path: str | os.PathLike[str],
    payload: dict[str, list[dict[str, Any]]],
    users: list[str] | None,
    created: datetime,
) -> None:
    """Write ``payload`` as a bundle at ``path`` atomically (a temporary file, then rename)."""
    target = Path(path)
    if target.is_dir():
        raise AnnotatorError(f"{target} is a folder; give a file name ending in .zip")
    blobs = {f"{section}.json": orjson.dumps(payload[section]) for section in SECTIONS}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": format_time(created),
        "users": users,
        "counts": {section: len(payload[section]) for section in SECTIONS},
        "files": {
            name: {"size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
            for name, blob in blobs.items()
        },
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".bundle-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(
                raw, "w", zipfile.ZIP_DEFLATED, compresslevel=6
            ) as archive:
                archive.writestr(MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
                for name, blob in blobs.items():
                    archive.writestr(name, blob)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise AnnotatorError(f"cannot write the bundle {target}: {exc.strerror or exc}") from exc


def read_bundle(
    path: str | os.PathLike[str], limits: BundleLimits | None = None
) -> dict[str, Any]:
    """The sections of a bundle as plain values (not yet validated field by field)."""
    limits = limits or BundleLimits()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_entries(infos, limits)
            blobs = {info.filename: _read_entry(archive, info, limits) for info in infos}
    except zipfile.BadZipFile as exc:
        raise AnnotatorError(f"not a valid bundle (damaged zip): {exc}") from exc
    except OSError as exc:
        raise AnnotatorError(f"cannot read the bundle {path}: {exc.strerror or exc}") from exc
    manifest = _manifest(blobs)
    raw: dict[str, Any] = {}
    memory = 0
    for name, section in ENTRIES.items():
        if name not in blobs:
            continue  # a section of a later version, absent from an older bundle
        blob = blobs[name]
        expected = manifest["files"][name]
        if len(blob) != expected["size"] or hashlib.sha256(blob).hexdigest() != expected["sha256"]:
            raise AnnotatorError(f"invalid bundle: {name} does not match its manifest entry")
        # every section stays in memory until the merge: their parsed sizes add up
        memory += estimated_memory(blob)
        if memory > MEMORY_LIMIT:
            raise AnnotatorError(
                f"refused bundle: its JSON would take more than {human_size(MEMORY_LIMIT)} "
                "in memory (bundle fewer users' work at a time)"
            )
        try:
            raw[section] = load_json(blob)
        except UntrustedInput as exc:
            raise AnnotatorError(f"invalid bundle: {name} {exc}") from exc
        if not isinstance(raw[section], list):
            raise AnnotatorError(f"invalid bundle: {name} must hold a JSON array")
        if len(raw[section]) != manifest["counts"][section]:
            raise AnnotatorError(f"invalid bundle: {name} does not hold the manifest's count")
    return raw


def _unsafe_name(name: str) -> str | None:
    if "\x00" in name:
        return "a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return "'..'"
    return None


def _check_entries(infos: list[zipfile.ZipInfo], limits: BundleLimits) -> None:
    if len(infos) > limits.max_entries:
        raise AnnotatorError(f"invalid bundle: {len(infos)} entries (at most {limits.max_entries})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        problem = _unsafe_name(name)
        if problem is not None:
            raise AnnotatorError(f"refused bundle: entry {name!r} has {problem}")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise AnnotatorError(f"refused bundle: entry {name!r} is a link")
        if info.is_dir():
            raise AnnotatorError(f"refused bundle: entry {name!r} is a folder")
        if info.flag_bits & 0x1:
            raise AnnotatorError(f"refused bundle: entry {name!r} is encrypted")
        if name != MANIFEST and name not in ENTRIES:
            raise AnnotatorError(f"refused bundle: unexpected entry {name!r}")
        if name in seen:
            raise AnnotatorError(f"refused bundle: entry {name!r} appears twice")
        seen.add(name)
        if info.file_size > limits.max_entry:
            raise AnnotatorError(
                f"refused bundle: entry {name!r} unpacks to {info.file_size} bytes "
                f"(at most {limits.max_entry})"
            )
        if (
            info.file_size > limits.ratio_floor
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise AnnotatorError(
                f"refused bundle: entry {name!r} is compressed more than {limits.max_ratio} "
                "to 1 (a zip bomb?)"
            )
        total += info.file_size
        if total > limits.max_total:
            raise AnnotatorError(
                f"refused bundle: it unpacks to more than {limits.max_total} bytes"
            )
    missing = [name for name in (MANIFEST, *ENTRIES)
               if name not in seen and name not in LATER_ENTRIES]
    if missing:
        raise AnnotatorError(f"invalid bundle: {', '.join(missing)} missing")


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: BundleLimits) -> bytes:
    # The header's size is checked above; reading at most that much (plus one byte to
    # notice a lie) keeps a forged header from unpacking more.
    bound = min(info.file_size, limits.max_entry)
    with archive.open(info) as handle:
        data = handle.read(bound + 1)
    if len(data) > bound:
        raise AnnotatorError(f"refused bundle: entry {info.filename!r} is larger than declared")
    return data


def _manifest(blobs: dict[str, bytes]) -> dict[str, Any]:
    try:
        manifest = load_json(blobs[MANIFEST])
    except UntrustedInput as exc:
        raise AnnotatorError(f"invalid bundle: manifest.json {exc}") from exc
    if not isinstance(manifest, dict):
        raise AnnotatorError("invalid bundle: manifest.json must hold a JSON object")
    if manifest.get("format") != FORMAT:
        raise AnnotatorError(f"not an Annotator bundle (format {manifest.get('format')!r})")
    version = manifest.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise AnnotatorError("invalid bundle: the manifest's version must be a whole number")
    if version > VERSION:
        raise AnnotatorError(
            f"this bundle was written by a newer version of Annotator (format version "
            f"{version}, this one reads {VERSION}); update Annotator to merge it"
        )
    if version < 1:
        raise AnnotatorError(f"invalid bundle: unknown format version {version}")
    for key, kind in (("created", str), ("counts", dict), ("files", dict)):
        if not isinstance(manifest.get(key), kind):
            raise AnnotatorError(f"invalid bundle: the manifest lacks a valid {key!r}")
    users = manifest.get("users")
    if users is not None and (
        not isinstance(users, list) or not all(isinstance(u, str) for u in users)
    ):
        raise AnnotatorError("invalid bundle: the manifest's users must be a list of names")
    for name, section in ENTRIES.items():
        if name in LATER_ENTRIES and version < LATER_ENTRIES[name]:
            if name in blobs or name in manifest["files"]:
                raise AnnotatorError(f"invalid bundle: {name} in a version {version} bundle")
            continue
        if name not in blobs:
            raise AnnotatorError(f"invalid bundle: {name} missing")
        entry = manifest["files"].get(name)
        if (
            not isinstance(entry, dict)
            or not _whole(entry.get("size"))
            or not isinstance(entry.get("sha256"), str)
        ):
            raise AnnotatorError(f"invalid bundle: the manifest lacks a valid entry for {name}")
        if not _whole(manifest["counts"].get(section)):
            raise AnnotatorError(f"invalid bundle: the manifest lacks a count of {section}")
    if set(manifest["files"]) - set(ENTRIES):
        raise AnnotatorError("invalid bundle: the manifest lists unexpected files")
    return manifest


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
