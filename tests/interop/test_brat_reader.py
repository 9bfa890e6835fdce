"""brat: the export read as brat v1.3 reads it, with bioc's brat parser.

brat v1.3 (``server/src/annotation.py``) opens ``.txt`` and ``.ann`` with
``open_textfile``: UTF-8 in universal-newline mode, so CRLF and lone CR are one ``\\n``
and offsets count code points of that text. A text-bound line's text must equal its
fragments' texts joined by one space (``DISCONT_SEP``), fragments must not touch or
overlap, and a type name is used as written only when it matches
``^[a-zA-Z0-9_-]*$`` (``normalize_to_storage_form``; anything else is rewritten, so
annotations would no longer match their type).
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from annotator.records import AnnotationRecord
from tests.interop.conftest import Awkward, match_by_span, universal_newlines

STORAGE_FORM = re.compile(r"^[a-zA-Z0-9_-]*$")
# brat's fragments stop at line breaks; in the universal-newline text these remain.
LINE_BREAKS = frozenset("\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# The escapes the brat writer documents for notes (one line each in the .ann file).
NOTE_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrt\\])")


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        return {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[code]

    return NOTE_ESCAPE.sub(one, value)


def read_as_brat(folder: Path) -> dict[str, Any]:
    brat = pytest.importorskip("bioc.brat", reason="bioc (the interop extra) is not installed")
    documents = {}
    for txt in sorted(folder.glob("*.txt")):
        # Exactly brat v1.3's open_textfile: UTF-8, universal newlines.
        with open(txt, encoding="utf-8") as text, \
                open(txt.with_suffix(".ann"), encoding="utf-8") as ann:
            documents[txt.stem] = brat.load(text, ann, docid=txt.stem)
    return documents


def brat_span(awkward: Awkward, record: AnnotationRecord) -> tuple[str, int, int]:
    """Where a project annotation is in the text brat reads."""
    text = awkward.texts[record.document_id]
    start = len(universal_newlines(text[: record.start]))
    return record.document_id, start, start + len(universal_newlines(awkward.passage(record)))


def test_brat_sees_every_passage_at_its_offsets(awkward: Awkward) -> None:
    out, result = awkward.export("brat")
    documents = read_as_brat(out)
    assert sorted(documents) == sorted(awkward.texts)
    assert result.annotations == len(awkward.annotations)
    found = []
    for document_id, document in documents.items():
        text = universal_newlines(awkward.texts[document_id])
        assert document.text == text
        for entity in document.entities:
            runs = sorted((i.begin, i.end) for i in entity.locations)
            assert all(0 <= s < e <= len(text) for s, e in runs), (entity.id, runs)
            assert all(a[1] < b[0] for a, b in pairwise(runs)), (entity.id, runs)
            assert entity.text == " ".join(text[s:e] for s, e in runs), (entity.id, runs)
            for before, after in pairwise(runs):
                assert set(text[before[1] : after[0]]) <= LINE_BREAKS, (entity.id, runs)
            found.append(((document_id, runs[0][0], runs[-1][1]), entity.type))
    mapping = match_by_span(
        ((brat_span(awkward, r), r.label) for r in awkward.annotations), found)
    assert len(mapping) == len({r.label for r in awkward.annotations})


def test_brat_type_names_are_used_as_written(awkward: Awkward) -> None:
    out, _ = awkward.export("brat")
    names = []
    section = ""
    for line in (out / "annotation.conf").read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "entities" and line.strip():
            names.append(line.split()[0])
    assert len(names) == len(set(names)) == len(awkward.labels)
    types = {e.type for d in read_as_brat(out).values() for e in d.entities}
    assert types <= set(names)
    assert [n for n in names if not STORAGE_FORM.match(n)] == []
    # brat finds a type's colour by the same name in visual.conf's [drawing] section.
    section, drawn = "", []
    for line in (out / "visual.conf").read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "drawing" and line.strip():
            drawn.append(line.split()[0])
    assert sorted(drawn) == sorted(names)


def test_brat_notes_are_on_their_annotations(awkward: Awkward) -> None:
    out, _ = awkward.export("brat")
    expected = sorted((brat_span(awkward, r), r.note) for r in awkward.annotations if r.note)
    found = []
    for document_id, document in read_as_brat(out).items():
        for note in document.notes:
            assert note.type == "AnnotatorNotes"
            start, end = document.get_annotation(note.refid).total_span
            found.append(((document_id, start, end), _unescape(note.text)))
    assert sorted(found) == expected


def test_brat_sees_every_relation_between_its_annotations(awkward: Awkward) -> None:
    out, _ = awkward.export("brat")
    names = {}
    section = ""
    for line in (out / "visual.conf").read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section == "labels" and "|" in line:
            type_name, real = (part.strip() for part in line.split("|", 1))
            names[type_name] = _unescape(real)
    found = []
    for document_id, document in read_as_brat(out).items():
        for relation in document.relations:
            assert sorted(relation.arguments) == ["Arg1", "Arg2"]
            assert STORAGE_FORM.match(relation.type), relation.type
            ends = [document.get_annotation(relation.arguments[arg]) for arg in ("Arg1", "Arg2")]
            found.append((names[relation.type],
                          *((document_id, *end.total_span, names[end.type]) for end in ends)))
    spans = {r.id: r for r in awkward.annotations}
    expected = [
        (r.type, *((*brat_span(awkward, spans[end]), spans[end].label)
                   for end in (r.from_id, r.to_id)))
        for r in awkward.relations
    ]
    assert len(expected) == 6
    assert sorted(found) == sorted(expected)
