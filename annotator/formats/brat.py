"""``brat``: a folder of ``NAME.txt`` + ``NAME.ann`` pairs and its configuration files.

Writing: ``NAME`` is the document id. ``NAME.txt`` holds the text in UTF-8 with every CRLF
and lone CR written as LF, and offsets are code points of that text: brat v1.3 and the
Python readers (pybrat, bioc) open it with universal newlines, brat's current master reads
it as it is, and on an LF text they all agree (the export reports each document whose line
breaks were rewritten; importing maps it back onto the project's text).
Text-bound lines are ``T1<TAB>type START END<TAB>passage``; brat fragments may not cross a
line break, so an annotation containing one is written as fragments ``S E;S E`` split at
the breaks (every character ``str.splitlines`` breaks at), and the passage is the fragments'
texts joined by one space, as brat writes it. Line breaks at an annotation's very start or
end cannot be written and are left out (reported). Labels and relation types are written as
safe brat type names, their real names kept in ``visual.conf`` (see
:mod:`annotator.formats.brat_conf`). Relations are ``R1<TAB>type Arg1:T1 Arg2:T2`` (Arg1
the origin); brat holds no annotators, so the same link made by several annotators is
written once (reported).
Notes are ``#1<TAB>AnnotatorNotes T1<TAB>note``, escaped as
:mod:`annotator.formats.brat_escapes` describes. Lines are sorted by start, end, type and
note, so the same annotations always give the same file.

Reading: the folder and its sub-folders, as brat serves them; a folder without a single
document is refused. Every ``T`` line becomes an annotation (a discontinuous one spans its
first to its last fragment, reported); offsets are taken as code points of the ``.txt`` as
it is, or, when only that fits the recorded passages, of its universal-newline form (what
brat v1.3 writes for a CRLF file). Ids are made from the document and the ``T`` id; notes
on ``T`` lines are kept. ``R`` lines become relations between their two ``T`` lines (their
type named as ``visual.conf`` names it); they carry no id, so importing matches them to
live relations with the same ends and type, and importing again changes nothing. Events,
attributes, normalizations and equivalences have no place in the project and are counted
as not imported. Annotators are not carried: new annotations and relations are credited to
the importing user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from annotator.errors import AnnotatorError
from annotator.formats.brat_conf import BratConf, ConfFinder, TypeNames, write_conf
from annotator.formats.brat_escapes import BREAKS, escape_note, unescape
from annotator.formats.fields import stable_id, uuid_or_none
from annotator.formats.links import add_relation
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    IncomingAnnotation,
    IncomingDocument,
    ParsedFile,
    Problem,
)
from annotator.formats.newlines import NewlineMap
from annotator.formats.output import Output
from annotator.untrusted import MAX_FILE, not_regular, read_regular

NAME = "brat"
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")
_SKIPPED = {
    "E": "events",
    "A": "attributes",
    "M": "attributes",
    "N": "normalizations",
    "*": "equivalences",
}
REWRITTEN = "document(s) with CRLF or CR line breaks: .txt written with LF, offsets counted in it"
CRLF_AS_ONE = ("document(s) whose offsets count each CRLF as one character (as brat v1.3 "
               "writes them): mapped onto the .txt (not skipped)")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of ``text[start:end]`` between line breaks."""
    segment = text[start:end]
    if not any(char in segment for char in BREAKS):
        return [(start, end)]
    runs: list[tuple[int, int]] = []
    begin = None
    for at in range(start, end):
        if text[at] in BREAKS:
            if begin is not None:
                runs.append((begin, at))
                begin = None
        elif begin is None:
            begin = at
    if begin is not None:
        runs.append((begin, end))
    return runs


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    folder = output.main
    folder.mkdir(exist_ok=True)
    names = TypeNames((label.name for label in context.labels),
                      (kind.name for kind in context.relation_types))
    for document in documents:
        lines = NewlineMap(document.text)
        if lines.changed:
            notes.lose(REWRITTEN)
        (folder / f"{document.id}.txt").write_bytes(lines.lf_text.encode("utf-8"))
        ann = _ann_lines(document, lines, names, notes)
        (folder / f"{document.id}.ann").write_bytes("".join(ann).encode("utf-8"))
        notes.documents += 1
    write_conf(folder, context.labels, names, context.relation_types)
    for label, type_name in names.items():
        if label != type_name:
            notes.lose(f"label {label!r} written as brat type {type_name!r} "
                       "(visual.conf keeps its name)")
    for kind, type_name in names.relation_items():
        if kind != type_name:
            notes.lose(f"relation type {kind!r} written as brat type {type_name!r} "
                       "(visual.conf keeps its name)")


def _ann_lines(
    document: ExportDocument, lines: NewlineMap, names: TypeNames, notes: ExportNotes
) -> list[str]:
    text, lf_text = document.text, lines.lf_text
    out: list[str] = []
    written = []
    for span in document.spans:
        runs = fragments(text, span.start, span.end)
        if not runs:
            notes.lose("annotation(s) of line breaks only (brat cannot hold them): not written")
            continue
        if runs[0][0] != span.start or runs[-1][1] != span.end:
            notes.lose("annotation(s) starting or ending with a line break: written without it")
        # Fragments hold no line break, so each is the same text at its LF offsets.
        lf_runs = [(lines.to_lf(s), lines.to_lf(e)) for s, e in runs]
        written.append((lf_runs[0][0], lf_runs[-1][1], names(span.label), span.note or "",
                        span.created, span.id, lf_runs))
    # Sorted by what is written, so the same file comes out of the annotations it reads as;
    # lines alike in that stay oldest first, the order in which importing into this project
    # pairs them with its annotations (so their relations find the same ends).
    written.sort(key=lambda item: item[:6])
    note_number = 0
    tids: dict[str, int] = {}
    for number, (_start, _end, type_name, note, _created, span_id, runs) in enumerate(
            written, start=1):
        tids[span_id] = number
        offsets = ";".join(f"{s} {e}" for s, e in runs)
        passage = " ".join(lf_text[s:e] for s, e in runs)
        out.append(f"T{number}\t{type_name} {offsets}\t{passage}\n")
        notes.annotations += 1
        if note:
            note_number += 1
            escaped = escape_note(note)
            if escaped != note:
                notes.lose("note(s) with line breaks, tabs or \\: written with \\ escapes")
            out.append(f"#{note_number}\tAnnotatorNotes T{number}\t{escaped}\n")
    out.extend(_relation_lines(document, tids, names, notes))
    return out


def _relation_lines(document: ExportDocument, tids: dict[str, int], names: TypeNames,
                    notes: ExportNotes) -> list[str]:
    """``R1<TAB>type Arg1:T1 Arg2:T2`` lines, sorted by their ends and type."""
    links: set[tuple[int, int, str]] = set()
    for relation in document.relations:
        ends = tids.get(relation.from_id), tids.get(relation.to_id)
        if ends[0] is None or ends[1] is None:
            notes.lose("relation(s) with an end brat cannot hold (line breaks only): "
                       "not written")
            continue
        link = (ends[0], ends[1], names.relation(relation.type))
        if link in links:
            notes.lose("relation(s) of several annotators between the same annotations: "
                       "written once (brat holds no annotators)")
        links.add(link)
    return [f"R{number}\t{type_name} Arg1:T{source} Arg2:T{target}\n"
            for number, (source, target, type_name) in enumerate(sorted(links), start=1)]


def read(folder: Path) -> ParsedFile:
    parsed = ParsedFile()
    confs = ConfFinder(folder)
    used: list[BratConf] = []
    for txt in sorted(folder.rglob("*.txt")):
        if any(part.startswith(".") for part in txt.relative_to(folder).parts):
            continue
        ann = txt.with_suffix(".ann")
        if not ann.is_file():
            # brat pairs every document with an .ann; a lone .txt is a readme or licence.
            parsed.skipped[".txt file(s) without an .ann beside them"] += 1
            continue
        unread = next(filter(None, (not_regular(f.lstat().st_mode) for f in (txt, ann))), None)
        if unread is not None:
            # links, pipes and devices are never followed or read
            parsed.skipped[f"document(s) whose .txt or .ann {unread}"] += 1
            continue
        conf = confs(txt.parent)
        if conf not in used:
            used.append(conf)
        document = IncomingDocument(
            line=1, id=uuid_or_none(txt.stem), title=txt.stem,
            text=read_regular(txt, MAX_FILE).decode("utf-8"), source=str(ann),
            match_universal_newlines=True,
        )
        _read_ann(read_regular(ann, MAX_FILE).decode("utf-8"), document, conf, parsed)
        parsed.documents.append(document)
    if not parsed.documents:
        passed = "; ".join(f"{n} {what}" for what, n in parsed.skipped.items())
        raise AnnotatorError(
            f"no brat documents (NAME.txt with NAME.ann) in {folder} or its sub-folders"
            + (f" (passed over: {passed})" if passed else "") + "; nothing imported")
    for conf in used:
        for type_name in conf.entities:
            parsed.labels.append(conf.label(type_name))
        for type_name in [*conf.entities, *conf.colors, *conf.keys]:
            parsed.label_styles.setdefault(conf.label(type_name), conf.style(type_name))
    parsed.labels = list(dict.fromkeys(parsed.labels))
    return parsed


class _TextBound(NamedTuple):
    tid: str
    type_name: str
    runs: list[tuple[int, int]]
    passage: str
    line: int


class _Link(NamedTuple):
    type_name: str
    source: str
    target: str


def _read_ann(raw: str, document: IncomingDocument, conf: BratConf, parsed: ParsedFile) -> None:
    text_bound: list[_TextBound] = []
    notes: list[tuple[str, str]] = []
    links: list[_Link] = []
    for number, line in enumerate(raw.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            found = _text_bound(line, number, document.source, parsed)
            if found is not None:
                text_bound.append(found)
        elif kind == "R":
            found_link = _relation(line, number, document.source, parsed)
            if found_link is not None:
                links.append(found_link)
        elif kind == "#":
            fields = line.split("\t", 2)
            target = fields[1].split(" ") if len(fields) > 1 else []
            if len(fields) == 3 and len(target) == 2 and target[0] == "AnnotatorNotes":
                notes.append((target[1], fields[2]))
            else:
                parsed.skipped["comment line(s) that are not AnnotatorNotes"] += 1
        elif kind in _SKIPPED:
            parsed.skipped[f"brat {_SKIPPED[kind]} (not part of the project)"] += 1
        else:
            parsed.problems.append(Problem(document.source, number, f"unknown line {line!r}"))
    by_tid = _place(text_bound, document, conf, parsed)
    for target_id, value in notes:
        annotation = by_tid.get(target_id)
        if annotation is None:
            parsed.skipped["note(s) on relations, events or other non-text-bound lines"] += 1
            continue
        note = unescape(value)
        annotation.note = note if annotation.note is None else f"{annotation.note}\n{note}"
    for link in links:
        add_relation(document, by_tid, given_id=None, type=conf.label(link.type_name),
                     source=link.source, target=link.target, skipped=parsed.skipped)


def _relation(line: str, number: int, source: str, parsed: ParsedFile) -> _Link | None:
    """An ``R`` line, read as brat reads it: a type and two ``ROLE:ID`` arguments, the
    first the relation's origin."""
    fields = line.split("\t")
    spec = fields[1].split() if len(fields) > 1 else []
    arguments = [part.split(":") for part in spec[1:]]
    if len(spec) != 3 or any(len(a) != 2 or not all(a) for a in arguments):
        parsed.problems.append(Problem(source, number,
                                       "an R line needs ID, TYPE Arg1:ID Arg2:ID"))
        return None
    return _Link(spec[0], arguments[0][1], arguments[1][1])


def _text_bound(line: str, number: int, source: str, parsed: ParsedFile) -> _TextBound | None:
    fields = line.split("\t", 2)
    if len(fields) != 3 or " " not in fields[1]:
        parsed.problems.append(Problem(source, number, "a T line needs ID, TYPE OFFSETS, TEXT"))
        return None
    tid, spec, passage = fields
    type_name, _, offsets = spec.partition(" ")
    if not _OFFSETS.match(offsets):
        parsed.problems.append(Problem(source, number, f"bad offsets {offsets!r}"))
        return None
    runs = [(int(b), int(e)) for b, e in (part.split(" ") for part in offsets.split(";"))]
    return _TextBound(tid, type_name, runs, passage, number)


def _mismatches(text_bound: list[_TextBound], text: str, source: str) -> list[Problem]:
    """Why each T line does not fit ``text``: offsets outside it, or another passage."""
    problems = []
    for t in text_bound:
        outside = [(b, e) for b, e in t.runs if not 0 <= b < e <= len(text)]
        if outside:
            begin, end = outside[0]
            problems.append(Problem(source, t.line, f"offsets {begin}-{end} fall outside the "
                                                    f"text (0-{len(text)} characters)"))
            continue
        found = " ".join(text[b:e] for b, e in t.runs)
        if found != t.passage:
            problems.append(Problem(source, t.line, f"recorded passage {t.passage!r} differs "
                                                    f"from the text ({found!r})"))
    return problems


def _place(
    text_bound: list[_TextBound], document: IncomingDocument, conf: BratConf, parsed: ParsedFile
) -> dict[object, IncomingAnnotation]:
    """Annotations of the T lines at offsets into the .txt as it is, by T id."""
    text = document.text or ""
    lines = NewlineMap(text)
    problems = _mismatches(text_bound, text, document.source)
    counted_in_lf = bool(problems) and lines.changed and not _mismatches(
        text_bound, lines.lf_text, document.source)
    if problems and not counted_in_lf:
        parsed.problems.extend(problems)
        return {}
    if counted_in_lf:
        parsed.skipped[CRLF_AS_ONE] += 1
    key = document.id or text
    by_tid: dict[object, IncomingAnnotation] = {}
    for t in text_bound:
        runs = [(lines.from_lf(b), lines.from_lf(e)) for b, e in t.runs] if counted_in_lf \
            else t.runs
        if len(runs) > 1 and any(c not in BREAKS for c in _gaps(text, runs)):
            parsed.skipped["discontinuous annotation(s) imported as one span, first to last "
                           "fragment (not skipped)"] += 1
        annotation = IncomingAnnotation(
            id=stable_id(key, "brat", t.tid), start=min(r[0] for r in runs),
            end=max(r[1] for r in runs), label=conf.label(t.type_name), line=t.line,
            has_note=True, synthetic_id=True,
        )
        by_tid[t.tid] = annotation
        document.annotations.append(annotation)
    return by_tid


def _gaps(text: str, runs: list[tuple[int, int]]) -> str:
    ordered = sorted(runs)
    return "".join(text[a[1] : b[0]] for a, b in pairwise(ordered))
