"""``brat``: a folder of ``NAME.txt`` + ``NAME.ann`` pairs and an ``annotation.conf``.

Writing: ``NAME`` is the document id; ``NAME.txt`` holds the exact text (UTF-8, no newline
translation) so brat's offsets, code points of the text as Python reads it, are ours.
Text-bound lines are ``T1<TAB>label START END<TAB>passage``; brat fragments may not cross a
line break, so an annotation containing one is written as fragments ``S E;S E`` split at
the breaks (every character ``str.splitlines`` breaks at), and the passage is the fragments'
texts joined by one space, as brat writes it. Line breaks at an annotation's very start or
end cannot be written and are left out (reported). Labels become brat types, with spaces
as ``_`` (reported). Notes are ``#1<TAB>AnnotatorNotes T1<TAB>note`` with ``\\``, line breaks
and tabs escaped as ``\\\\``, ``\\n``, ``\\r``, ``\\t`` (``\\u`` and four hex digits for
other line breaks);
reading reverses that. ``annotation.conf`` declares every label, allows any overlap, and
``visual.conf`` gives the labels their colours. Lines are sorted by start, end, label and
note, so the same annotations always give the same file.

Reading: every ``T`` line becomes an annotation (a discontinuous one spans its first to its
last fragment, reported); ids are made from the document and the ``T`` id; notes on ``T``
lines are kept. Relations, events, attributes, normalizations and equivalences have no
place in the project and are counted as not imported. Annotators are not carried: new
annotations are credited to the importing user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from annotator.formats.fields import stable_id, uuid_or_none
from annotator.formats.model import (
    ExportContext,
    ExportDocument,
    ExportNotes,
    IncomingAnnotation,
    IncomingDocument,
    ParsedFile,
    Problem,
)
from annotator.formats.output import Output
from annotator.untrusted import MAX_FILE, not_regular, read_regular

NAME = "brat"
BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")
_SKIPPED = {
    "R": "relations",
    "E": "events",
    "A": "attributes",
    "M": "attributes",
    "N": "normalizations",
    "*": "equivalences",
}


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


def escape_note(note: str) -> str:
    out = []
    for char in note:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in BREAKS:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def unescape_note(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u") and len(code) == 5:
            return chr(int(code[1:], 16))
        return {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(code, match.group(0))

    return _UNESCAPE.sub(replace, value)


def type_name(label: str) -> str:
    return "_".join(label.split())


def write(
    output: Output, documents: Iterable[ExportDocument], context: ExportContext, notes: ExportNotes
) -> None:
    folder = output.main
    folder.mkdir(exist_ok=True)
    for document in documents:
        (folder / f"{document.id}.txt").write_bytes(document.text.encode("utf-8"))
        lines = _ann_lines(document, notes)
        (folder / f"{document.id}.ann").write_bytes("".join(lines).encode("utf-8"))
        notes.documents += 1
    _write_conf(folder, context)


def _ann_lines(document: ExportDocument, notes: ExportNotes) -> list[str]:
    text = document.text
    lines: list[str] = []
    note_number = 0
    written = []
    for span in document.spans:
        runs = fragments(text, span.start, span.end)
        if not runs:
            notes.lose("annotation(s) of line breaks only (brat cannot hold them): not written")
            continue
        if runs[0][0] != span.start or runs[-1][1] != span.end:
            notes.lose("annotation(s) starting or ending with a line break: written without it")
        label = type_name(span.label)
        written.append((runs[0][0], runs[-1][1], label, span.note or "", runs, span))
    # Sorted by what is written, so the same file comes out of the annotations it reads as.
    written.sort(key=lambda item: item[:4])
    for number, (_start, _end, label, _note, runs, span) in enumerate(written, start=1):
        if label != span.label:
            notes.lose("annotation(s) whose label has spaces: written with _ for brat")
        offsets = ";".join(f"{s} {e}" for s, e in runs)
        passage = " ".join(text[s:e] for s, e in runs)
        lines.append(f"T{number}\t{label} {offsets}\t{passage}\n")
        notes.annotations += 1
        if span.note:
            note_number += 1
            escaped = escape_note(span.note)
            if escaped != span.note:
                notes.lose("note(s) with line breaks, tabs or \\: written with \\ escapes")
            lines.append(f"#{note_number}\tAnnotatorNotes T{number}\t{escaped}\n")
    return lines


def _write_conf(folder: Path, context: ExportContext) -> None:
    names = [type_name(label.name) for label in context.labels]
    conf = ["[entities]", *names, "", "[relations]",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
            "[attributes]", ""]
    (folder / "annotation.conf").write_bytes("\n".join(conf).encode("utf-8"))
    visual = ["[labels]", *names, "", "[drawing]",
              *(f"{type_name(label.name)}\tbgColor:{label.color}" for label in context.labels), ""]
    (folder / "visual.conf").write_bytes("\n".join(visual).encode("utf-8"))


def _conf_entities(path: Path) -> list[str]:
    if not path.is_file():
        return []
    names: list[str] = []
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == "entities" and not line.startswith("<"):
            name = line.split()[0].lstrip("!")
            if name and not raw.lstrip().startswith("!"):
                names.append(name)
    return names


def read(folder: Path) -> ParsedFile:
    parsed = ParsedFile(labels=_conf_entities(folder / "annotation.conf"))
    for txt in sorted(folder.glob("*.txt")):
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
        text = read_regular(txt, MAX_FILE).decode("utf-8")
        document_id = uuid_or_none(txt.stem)
        document = IncomingDocument(
            line=1, id=document_id, title=txt.stem, text=text, source=str(ann)
        )
        raw = read_regular(ann, MAX_FILE).decode("utf-8")
        _read_ann(raw, text, document, parsed)
        parsed.documents.append(document)
    return parsed


def _read_ann(raw: str, text: str, document: IncomingDocument, parsed: ParsedFile) -> None:
    by_tid: dict[str, IncomingAnnotation] = {}
    notes: list[tuple[int, str, str]] = []
    key = document.id or text
    for number, line in enumerate(raw.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            annotation = _text_bound(line, number, text, key, document.source, parsed)
            if annotation is not None:
                by_tid[line.split("\t", 1)[0]] = annotation
                document.annotations.append(annotation)
        elif kind == "#":
            fields = line.split("\t", 2)
            target = fields[1].split(" ") if len(fields) > 1 else []
            if len(fields) == 3 and len(target) == 2 and target[0] == "AnnotatorNotes":
                notes.append((number, target[1], fields[2]))
            else:
                parsed.skipped["comment line(s) that are not AnnotatorNotes"] += 1
        elif kind in _SKIPPED:
            parsed.skipped[f"brat {_SKIPPED[kind]} (not part of the project)"] += 1
        else:
            parsed.problems.append(Problem(document.source, number, f"unknown line {line!r}"))
    for _number, target_id, value in notes:
        annotation = by_tid.get(target_id)
        if annotation is None:
            parsed.skipped["note(s) on relations, events or other non-text-bound lines"] += 1
            continue
        note = unescape_note(value)
        annotation.note = note if annotation.note is None else f"{annotation.note}\n{note}"


def _text_bound(
    line: str, number: int, text: str, key: str, source: str, parsed: ParsedFile
) -> IncomingAnnotation | None:
    fields = line.split("\t", 2)
    if len(fields) != 3 or " " not in fields[1]:
        parsed.problems.append(Problem(source, number, "a T line needs ID, TYPE OFFSETS, TEXT"))
        return None
    tid, spec, passage = fields
    label, _, offsets = spec.partition(" ")
    if not _OFFSETS.match(offsets):
        parsed.problems.append(Problem(source, number, f"bad offsets {offsets!r}"))
        return None
    runs = [tuple(int(v) for v in part.split(" ")) for part in offsets.split(";")]
    for begin, end in runs:
        if not 0 <= begin < end <= len(text):
            parsed.problems.append(Problem(
                source, number,
                f"offsets {begin}-{end} fall outside the text (0-{len(text)} characters)"))
            return None
    found = " ".join(text[b:e] for b, e in runs)
    if found != passage:
        parsed.problems.append(Problem(
            source, number, f"recorded passage {passage!r} differs from the text ({found!r})"))
        return None
    start, end = min(r[0] for r in runs), max(r[1] for r in runs)
    if len(runs) > 1 and any(c not in BREAKS for c in _gaps(text, runs)):
        parsed.skipped["discontinuous annotation(s) imported as one span, first to last "
                       "fragment (not skipped)"] += 1
    return IncomingAnnotation(
        id=stable_id(key, "brat", tid), start=start, end=end, label=label, line=number,
        has_note=True, synthetic_id=True,
    )


def _gaps(text: str, runs: list[tuple[int, ...]]) -> str:
    ordered = sorted(runs)
    return "".join(text[a[1] : b[0]] for a, b in pairwise(ordered))

