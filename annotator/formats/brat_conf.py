"""brat configuration files: type names, ``annotation.conf``, ``visual.conf``, kb shortcuts.

brat keeps only types matching ``^[A-Za-z0-9_-]+$`` (others are "unknown type" in its
verifier), so every label is written as a safe type name (:class:`TypeNames`): a label
that already is one keeps it; others are folded to ASCII (``opinião`` -> ``opiniao``), every
run of other characters becomes ``_`` and a clash gets ``-2``, ``-3``... ``visual.conf``
``[labels]`` gives each type the label's real name, which brat displays and reading takes
back (escaped where brat would misread it, see :mod:`annotator.formats.brat_escapes`),
``[drawing]`` its colour, and ``kb_shortcuts.conf`` its key. Relation types get safe type
names the same way (after every label), their real names in ``[labels]`` too, and each an
``annotation.conf`` ``[relations]`` line ``type<TAB>Arg1:claim, Arg2:source`` naming the
labels it connects (``<ENTITY>`` for any).

Reading follows brat: each document uses the nearest configuration file in its folder or
the folders above it, up to the imported folder. Type names become label names only from a
``visual.conf`` we wrote (it starts with :data:`MARKER`): another collection's display names
(``GPE | Geo-political entity``) are its own business, and its labels stay its type names.
A configuration file is read only if it is a regular file of at most :data:`MAX_CONF`
bytes: a pipe, a device or a link in its place refuses the import, unread.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.formats.brat_escapes import escape_label, unescape
from annotator.formats.model import LabelStyle
from annotator.records import LabelRecord, RelationTypeRecord
from annotator.untrusted import read_regular

MARKER = "# Annotator: in [labels], the name after each type is its label's name in the project."
_TYPE = re.compile(r"^[A-Za-z0-9_-]*[A-Za-z0-9_][A-Za-z0-9_-]*$")
_OTHER = re.compile(r"[^A-Za-z0-9_-]+")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_DRAWING = re.compile(r"^(\S+)\s+(.*)$")
# Names brat gives a meaning of its own in visual.conf (defaults) or its parser (separator).
_RESERVED = frozenset({"SPAN_DEFAULT", "ARC_DEFAULT", "ATTRIBUTE_DEFAULT", "SEPARATOR"})
MAX_CONF = 4 << 20
"""Largest configuration file read (brat's own are a few kilobytes)."""


def is_type_name(name: str) -> bool:
    """Whether brat keeps ``name`` as a type (a line of only hyphens is a separator to it)."""
    return bool(_TYPE.match(name)) and name not in _RESERVED


class TypeNames:
    """A safe brat type name for every label and relation type; the same names in the same
    order give the same type names. Labels that already are type names keep them before any
    other is made; relation types are named after every label (brat has one namespace)."""

    def __init__(self, labels: Iterable[str], relation_types: Iterable[str] = ()) -> None:
        self._types: dict[str, str] = {}
        self._relations: dict[str, str] = {}
        self._taken: set[str] = set()
        pending = []
        for label in labels:
            if label in self._types:
                continue
            if is_type_name(label) and label not in self._taken:
                self._types[label] = label
                self._taken.add(label)
            else:
                pending.append(label)
        for label in pending:
            self(label)
        for name in relation_types:
            self.relation(name)

    def __call__(self, label: str) -> str:
        known = self._types.get(label)
        if known is None:
            known = self._types[label] = self._fresh(label)
        return known

    def relation(self, name: str) -> str:
        """The type name of relation type ``name``."""
        known = self._relations.get(name)
        if known is None:
            known = self._relations[name] = self._fresh(name)
        return known

    def _fresh(self, name: str) -> str:
        base = name if is_type_name(name) else _fold(name)
        made, number = base, 1
        while made in self._taken:
            number += 1
            made = f"{base}-{number}"
        self._taken.add(made)
        return made

    def items(self) -> Iterator[tuple[str, str]]:
        """(label, type name) in the order labels were named."""
        return iter(self._types.items())

    def relation_items(self) -> Iterator[tuple[str, str]]:
        """(relation type, type name) in the order relation types were named."""
        return iter(self._relations.items())


def _fold(label: str) -> str:
    ascii_only = "".join(c for c in unicodedata.normalize("NFKD", label)
                         if not unicodedata.combining(c))
    name = _OTHER.sub("_", ascii_only)
    if name in _RESERVED:
        return f"{name}_"
    return name if is_type_name(name) else "label"


def write_conf(folder: Path, labels: Iterable[LabelRecord], names: TypeNames,
               relation_types: Iterable[RelationTypeRecord] = ()) -> None:
    """``annotation.conf``, ``visual.conf`` and ``kb_shortcuts.conf`` for the named labels
    and relation types (``relation_types`` gives the labels each connects)."""
    records = {label.name: label for label in labels}
    kinds = {kind.name: kind for kind in relation_types}
    named = list(names.items())
    linked = list(names.relation_items())
    conf = ["[entities]", *(t for _, t in named), "", "[relations]",
            *(_relation_line(t, kinds.get(name), names) for name, t in linked),
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
            "[attributes]", ""]
    visual = [MARKER, "[labels]",
              *(f"{t} | {escape_label(name)}" for name, t in [*named, *linked]),
              "", "[drawing]",
              *(f"{t}\tbgColor:{records[label].color}" for label, t in named if label in records),
              ""]
    keys = ["# Keyboard shortcuts: KEY<TAB>type", *(
        f"{records[label].key}\t{t}" for label, t in named
        if label in records and records[label].key), ""]
    for name, lines in (("annotation.conf", conf), ("visual.conf", visual),
                        ("kb_shortcuts.conf", keys)):
        (folder / name).write_bytes("\n".join(lines).encode("utf-8"))


def _relation_line(type_name: str, kind: RelationTypeRecord | None, names: TypeNames) -> str:
    """``type<TAB>Arg1:a|b, Arg2:c`` (brat's syntax; ``<ENTITY>``: any entity type)."""
    def argument(labels: tuple[str, ...]) -> str:
        return "|".join(names(label) for label in labels) or "<ENTITY>"

    sources, targets = (kind.from_labels, kind.to_labels) if kind else ((), ())
    return f"{type_name}\tArg1:{argument(sources)}, Arg2:{argument(targets)}"


@dataclass(slots=True)
class BratConf:
    """What a document's configuration says about its entity types."""

    entities: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def label(self, type_name: str) -> str:
        """The project label for a type: its name in our ``visual.conf``, else the type."""
        return self.names.get(type_name, type_name)

    def style(self, type_name: str) -> LabelStyle:
        return LabelStyle(self.colors.get(type_name), self.keys.get(type_name))


class ConfFinder:
    """The configuration of each folder under ``root``, found as brat finds it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_folder: dict[Path, BratConf] = {}

    def __call__(self, folder: Path) -> BratConf:
        found = self._by_folder.get(folder)
        if found is None:
            found = BratConf()
            annotation = self._nearest(folder, "annotation.conf")
            visual = self._nearest(folder, "visual.conf")
            shortcuts = self._nearest(folder, "kb_shortcuts.conf")
            if annotation is not None:
                found.entities = _entities(annotation)
            if visual is not None:
                _read_visual(visual, found)
            if shortcuts is not None:
                found.keys = _shortcuts(shortcuts)
            self._by_folder[folder] = found
        return found

    def _nearest(self, folder: Path, name: str) -> Path | None:
        for candidate in (folder, *folder.parents):
            # lexists: a pipe or a link found here is refused when read, not passed over
            if os.path.lexists(candidate / name):
                return candidate / name
            if candidate == self.root:
                break
        return None


def _read(path: Path) -> list[str]:
    return read_regular(path, MAX_CONF).decode("utf-8").splitlines()


def _lines(raws: list[str]) -> Iterator[tuple[str, str]]:
    """(section, line) for every line that is not blank or a comment."""
    section = ""
    for raw in raws:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        yield section, raw


def _entities(path: Path) -> list[str]:
    names: list[str] = []
    for section, raw in _lines(_read(path)):
        line = raw.strip()
        # "!Type" is an abstract grouping and "<NAME>=..." a macro: neither is a type.
        if section == "entities" and not line.startswith(("<", "!")) and not set(line) <= {"-"}:
            name = line.split()[0].split("|")[0]
            if name:
                names.append(name)
    return names


def _read_visual(path: Path, conf: BratConf) -> None:
    raws = _read(path)
    ours = any(raw.strip() == MARKER for raw in raws)
    for section, raw in _lines(raws):
        if section == "labels" and ours:
            terms = [t.strip() for t in raw.split("\t")[0].split("|") if t.strip()]
            if len(terms) > 1:
                conf.names[terms[0]] = unescape(terms[1])
        elif section == "drawing" and (match := _DRAWING.match(raw.strip())):
            for setting in match.group(2).split(","):
                key, _, value = setting.strip().partition(":")
                if key == "bgColor" and _COLOR.match(value.strip()):
                    conf.colors[match.group(1)] = value.strip().upper()


def _shortcuts(path: Path) -> dict[str, str]:
    keys: dict[str, str] = {}
    for _section, raw in _lines(_read(path)):
        fields = raw.split()
        if len(fields) == 2 and fields[1] not in keys:
            keys[fields[1]] = fields[0]
    return keys
