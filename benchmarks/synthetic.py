"""Seeded synthetic projects, written with bulk inserts (a million annotations in seconds).

Every benchmark builds its data here, so each figure is measured on the same shapes:
documents of news-like words (with accents, CJK and emoji), annotations on word bounds.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import annotator

_WORD_LINE = ("the ministry said that growth was strong according to official figures released "
         "on Tuesday while economists cautioned über naïve café “quoted” report — data "
         "2024 percent households survey 東京 unemployment inflation 😀 wages rose")
WORDS = tuple(_WORD_LINE.split(" "))
# The same words but those beyond U+FFFF (the emoji): most news text has none, and Qt and
# PySide take other, cheaper paths for a text without them.
BMP_WORDS = tuple(w for w in WORDS if max(w) <= "\uffff")
LABELS = ("claim", "source", "fact")
USERS = ("alice", "bob", "carol", "dave")
STAMP = "2024-05-01 12:00:00.000000"

# (start, end, label, annotator, note) of one annotation
Row = tuple[int, int, str, str, str | None]


def text_of(size: int, rng: random.Random, *, one_paragraph: bool = False,
            astral: bool = True) -> str:
    """About `size` characters of paragraphs of 25-160 words (or one paragraph of them);
    without `astral`, no emoji (no character beyond U+FFFF)."""
    vocabulary = WORDS if astral else BMP_WORDS
    paragraphs = []
    total = 0
    while total < size:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(25, 160))]
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    # A JSONL or CSV dataset stores a text as one long paragraph.
    return (" " if one_paragraph else "\n\n").join(paragraphs)


def word_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = None
    for i, ch in enumerate(text):
        if ch.isspace():
            if start is not None:
                bounds.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        bounds.append((start, len(text)))
    return bounds


def spans_of(text: str, count: int, rng: random.Random, users: tuple[str, ...] = USERS[:2],
             ) -> list[Row]:
    """`count` distinct annotations of 1-26 words; every fifth one by a colleague."""
    words = word_bounds(text)
    seen: set[tuple[int, int, str, str]] = set()
    rows: list[Row] = []
    while len(rows) < count:
        first = rng.randrange(len(words) - 30)
        last = first + rng.randint(0, 25)
        user = users[len(rows) % len(users)] if len(users) > 2 else (
            users[1] if len(rows) % 5 == 4 else users[0])
        key = (words[first][0], words[last][1], rng.choice(LABELS), user)
        if key in seen:
            continue
        seen.add(key)
        rows.append((*key, "checked against the source" if len(rows) % 7 == 0 else None))
    return rows


def build(path: Path, documents: Iterable[tuple[str, str, list[Row]]], *, seed: int = 1,
          users: tuple[str, ...] = USERS) -> float:
    """Write a project at `path` holding `documents` (title, text, annotations); seconds."""
    started = time.perf_counter()
    annotator.open_project(path, user=users[0]).close()
    rng = random.Random(seed)
    project = annotator.open_project(path, user=users[0])
    with project.engine.begin() as connection:
        have = {r[0] for r in connection.exec_driver_sql("SELECT name FROM annotators")}
        connection.exec_driver_sql("INSERT INTO annotators (name) VALUES (?)",
                                   [(n,) for n in users if n not in have])
        user_id: dict[str, int] = dict(
            connection.exec_driver_sql("SELECT name, id FROM annotators").all())
        label_id: dict[str, int] = dict(
            connection.exec_driver_sql("SELECT name, id FROM labels").all())
        number = 0
        for batch in _batches(documents, 500):
            docs: list[tuple[object, ...]] = []
            anns: list[tuple[object, ...]] = []
            for title, text, rows in batch:
                number += 1
                docs.append((number, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                             title, text, len(text), hashlib.sha256(text.encode()).hexdigest(),
                             None, "txt", "{}", STAMP))
                anns.extend((str(uuid.UUID(int=rng.getrandbits(128), version=4)), number, s, e,
                             label_id[label], user_id[user], note, STAMP, STAMP, 0)
                            for s, e, label, user, note in rows)
            connection.exec_driver_sql(
                "INSERT INTO documents (id, uuid, title, text, chars, sha256, file_name, "
                "format, meta, created) VALUES (?,?,?,?,?,?,?,?,?,?)", docs)
            connection.exec_driver_sql(
                'INSERT INTO annotations (id, document_id, start, "end", label_id, '
                "annotator_id, note, created, updated, deleted) VALUES (?,?,?,?,?,?,?,?,?,?)",
                anns)
    project.close()
    return time.perf_counter() - started


def _batches(items: Iterable[tuple[str, str, list[Row]]], size: int
             ) -> Iterator[list[tuple[str, str, list[Row]]]]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def many_documents(documents: int, per_document: int, *, seed: int = 1, words: int = 600
                   ) -> Iterator[tuple[str, str, list[Row]]]:
    """`documents` short articles with `per_document` annotations each, by four users."""
    rng = random.Random(seed)
    for n in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(words)) + "."
        rows: list[Row] = []
        for _ in range(per_document):
            start = rng.randrange(0, len(text) - 40)
            rows.append((start, start + rng.randrange(1, 40), rng.choice(LABELS),
                         rng.choice(USERS), "check this" if rng.random() < 0.1 else None))
        yield f"Document {n}", text, rows


def cached(name: str, make: Iterable[tuple[str, str, list[Row]]] | None = None,
           **kwargs: object) -> Path:
    """A project built once per machine in the temp folder (keyed by `name`)."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "annotator-benchmarks"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    done = folder / f"{name}.built"
    if not done.exists():
        for stale in folder.glob(f"{name}.db*"):
            stale.unlink()
        assert make is not None
        seconds = build(path, make, **kwargs)  # type: ignore[arg-type]
        done.touch()
        print(f"built {path.name} in {seconds:.1f} s", flush=True)
    return path
