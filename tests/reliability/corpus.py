"""The hostile corpus: inputs that once broke an importer or the merge, made in a folder.

Each entry names the command that reads it, builds its input under a folder and says what
the one-line answer must contain. Inputs are generated, never stored: a zip bomb in the
repository would be a zip bomb in every checkout.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

Build = Callable[[Path], list[str]]
"""``build(folder)``: write the input under ``folder``; return the command's arguments."""


@dataclass(frozen=True)
class Hostile:
    name: str
    reader: str
    build: Build
    expect: str
    outcome: str = "failed"
    """A per-file import line; "refused" for a one-line failure; "skipped" for files
    passed over unread; "imported" for a file that is fine, only costly to read."""


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def _docx(body: bytes) -> bytes:
    import docx

    base = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Hello")
    document.save(base)
    source = zipfile.ZipFile(base)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                head = data.partition(b"<w:body>")[0]
                data = head + b"<w:body>" + body + b"</w:body></w:document>"
            package.writestr(info.filename, data)
    return out.getvalue()


def _paragraphs(count: int) -> bytes:
    rng = random.Random(1)
    return b"".join(
        b"<w:p><w:r><w:t>%s %f</w:t></w:r></w:p>" % (b"word " * 40, rng.random())
        for _ in range(count)
    )


def _tiny_paragraphs(count: int) -> bytes:
    rng = random.Random(4)  # a little entropy keeps it under the compression-ratio bound
    return b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % rng.randrange(1000)
                    for _ in range(count))


def bundle(folder: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A valid empty-project bundle with ``change`` applied to its entries, manifest fixed."""
    entries = {f"{s}.json": b"[]" for s in
               ("labels", "documents", "annotations", "statuses", "reviews", "history")}
    change(entries)
    manifest = {
        "format": "annotator-bundle", "version": 1, "created": "2024-01-01T00:00:00Z",
        "users": None,
        "counts": {name[:-5]: _count(blob) for name, blob in entries.items()},
        "files": {name: {"size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
                  for name, blob in entries.items()},
    }
    path = folder / "colleague.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", orjson.dumps(manifest))
        for name, blob in entries.items():
            archive.writestr(name, blob)
    return path


def _count(blob: bytes) -> int:
    try:
        value = orjson.loads(blob)
    except orjson.JSONDecodeError:
        return 0
    return len(value) if isinstance(value, list) else 0


TEXT = "Officials said the dam is safe."
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
DOC = "0b6f2a55-1c44-4d2e-9a51-7d7c1c2f0a11"


def _document(meta: object) -> bytes:
    return orjson.dumps([{"id": DOC, "title": "Dam", "text": TEXT, "sha256": SHA,
                          "file_name": None, "format": "txt", "meta": meta,
                          "created": "2024-01-01T00:00:00Z"}])


def _bundle_tiny_values(entries: dict[str, bytes]) -> None:
    rng = random.Random(2)  # a little entropy keeps it under the compression-ratio bound
    entries["history.json"] = b"[" + b",".join(
        b"[]" + b" " * rng.randrange(4) for _ in range(3_000_000)) + b"]"


def _bundle_deep(entries: dict[str, bytes]) -> None:
    entries["annotations.json"] = b"[" * 100_000 + b"]" * 100_000


def _bundle_deep_meta(entries: dict[str, bytes]) -> None:
    entries["documents.json"] = _document(orjson.loads(_nested(200)))


def _bundle_big_meta(entries: dict[str, bytes]) -> None:
    rng = random.Random(3)  # random letters: under the compression-ratio bound
    entries["documents.json"] = _document(
        {"x": "".join(rng.choice("abcdefghij") for _ in range(1100 << 10))})


def _bundle_pipe_name(entries: dict[str, bytes]) -> None:
    entries["documents.json"] = _document({})
    entries["labels.json"] = orjson.dumps([{"name": "claim", "color": "#E69F00", "key": "1",
                                            "description": "", "order": 0, "removed": False}])
    entries["annotations.json"] = orjson.dumps([{
        "id": "7a0c1f5e-2b3d-4c5e-8f90-123456789abc", "document": DOC, "start": 0, "end": 9,
        "label": "claim", "annotator": "alice|bob", "note": None,
        "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z",
        "deleted": False}])


def _recursive_view(folder: Path) -> list[str]:
    from annotator import open_project

    path = folder / "colleague.annotator.db"
    open_project(path, user="bob").close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("ALTER TABLE labels RENAME TO labels_old")
    connection.execute(
        "CREATE VIEW labels AS WITH RECURSIVE r(name, color, key, description, sort_order, "
        "removed, id) AS (SELECT 'a', '#000000', NULL, '', 0, 0, 0 UNION ALL SELECT name, "
        "color, key, description, sort_order + 1, removed, id + 1 FROM r) SELECT * FROM r")
    connection.commit()
    connection.close()
    return ["merge", str(path)]


def _links(folder: Path) -> list[str]:
    articles = folder / "articles"
    articles.mkdir()
    (articles / "passwd.txt").symlink_to("/etc/passwd")
    (articles / "zero.txt").symlink_to("/dev/zero")
    (articles / "etc").symlink_to("/etc")
    os.mkfifo(articles / "pipe.txt")
    return ["import", str(articles)]


def _named_fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "pipe.txt")
    return ["import", str(folder / "pipe.txt")]


def _brat_fifo(folder: Path) -> list[str]:
    brat = folder / "brat"
    brat.mkdir()
    os.mkfifo(brat / "a.txt")
    _write(brat / "a.ann", "T1\tclaim 0 3\tOff\n")
    return ["import-annotations", str(brat), "--format", "brat"]


def _import(name: str, data: bytes | str, *extra: str) -> Build:
    def build(folder: Path) -> list[str]:
        return ["import", str(_write(folder / name, data)), *extra]
    return build


def _annotations(name: str, data: bytes | str, format: str) -> Build:
    def build(folder: Path) -> list[str]:
        return ["import-annotations", str(_write(folder / name, data)), "--format", format]
    return build


def _merge(change: Callable[[dict[str, bytes]], None]) -> Build:
    def build(folder: Path) -> list[str]:
        return ["merge", str(bundle(folder, change))]
    return build


CORPUS: tuple[Hostile, ...] = (
    Hostile("jsonl meta nested 300 levels", "records",
            _import("deep-meta.jsonl", '{"text": "x", "meta": ' + _nested(300) + "}\n"),
            "nests JSON deeper than 64 levels"),
    Hostile("json nested 100,000 levels", "records",
            _import("deep.json", "[" * 100_000 + "]" * 100_000), "nests JSON deeper"),
    Hostile("json of a million empty arrays", "records",
            _import("tiny.json", "[" + "[]," * 1_000_000 + "[]]"), "too many JSON values"),
    Hostile("jsonl NaN", "records", _import("nan.jsonl", '{"text": "x", "n": NaN}\n'),
            "invalid JSON"),
    Hostile("jsonl number of 5,000 digits", "records",
            _import("big.jsonl", '{"text": "x", "id": ' + "9" * 5000 + "}\n"),
            "number is infinity"),
    Hostile("jsonl number past a double", "records",
            _import("inf.jsonl", '{"text": "x", "meta": {"n": 1e999}}\n'), "infinity"),
    Hostile("csv metadata of 2 MB", "records",
            _import("wide.csv", "text,extra\nx," + "y" * (2 << 20) + "\n"), "over the limit"),
    Hostile("docx zip bomb", "docx",
            _import("bomb.docx", _docx(b"<w:p><w:r><w:t>" + b"A" * (300 << 20)
                                       + b"</w:t></w:r></w:p>")), "zip bomb"),
    Hostile("docx text past the import limit", "docx",
            _import("long.docx", _docx(_paragraphs(8000)), "--max-size", "1"),
            "characters of text, over the import limit"),
    Hostile("docx of 150,000 tiny paragraphs (5 MB of XML in 0.37 MB; peak was 112 MB)", "docx",
            _import("tiny.docx", _docx(_tiny_paragraphs(150_000))),
            "1 file(s) imported", outcome="imported"),
    Hostile("html nested 200,000 levels", "html",
            _import("deep.html", "<div>" * 200_000 + "x" + "</div>" * 200_000),
            "nests HTML elements deeper"),
    Hostile("html of 1.1 million elements", "html",
            _import("flat.html", "<p>x" + "<i></i>" * 1_100_000), "more than 1,000,000"),
    Hostile("folder: links to /etc/passwd, /dev/zero, /etc and a FIFO", "files", _links,
            "is a symbolic link", outcome="skipped"),
    Hostile("FIFO named explicitly", "files", _named_fifo, "named pipe (FIFO)"),
    Hostile("brat folder with a FIFO .txt", "brat", _brat_fifo, "named pipe",
            outcome="refused"),
    Hostile("label studio JSON nested 100,000 levels", "labelstudio",
            _annotations("tasks.json", "[" * 100_000 + "]" * 100_000, "labelstudio"),
            "nests JSON deeper", outcome="refused"),
    Hostile("web annotation of a million empty objects", "webannotation",
            _annotations("w.jsonld", "[" + "{}," * 1_000_000 + "{}]", "webannotation"),
            "too many JSON values", outcome="refused"),
    Hostile("jsonl annotations nested 100,000 levels", "jsonl",
            _annotations("a.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", "jsonl"),
            "nests JSON deeper", outcome="refused"),
    Hostile("bundle of 3 million empty arrays (2 MB zipped)", "bundle",
            _merge(_bundle_tiny_values), "too many JSON values", outcome="refused"),
    Hostile("bundle nested 100,000 levels", "bundle", _merge(_bundle_deep),
            "nests JSON deeper", outcome="refused"),
    Hostile("bundle with metadata nested 200 levels", "bundle", _merge(_bundle_deep_meta),
            "nests JSON deeper", outcome="refused"),
    Hostile("bundle with 1.1 MB of metadata", "bundle", _merge(_bundle_big_meta),
            "meta is 1.1 MB as JSON, over the limit", outcome="refused"),
    Hostile("bundle with annotator 'alice|bob'", "bundle", _merge(_bundle_pipe_name),
            "invalid annotator name", outcome="refused"),
    Hostile("project file whose labels is a recursive view", "project file",
            _recursive_view, "not a plain table", outcome="refused"),
)
