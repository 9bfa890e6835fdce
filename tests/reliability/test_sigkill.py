"""SIGKILL at random moments while annotating, importing and merging: nothing reported saved
is lost, a merge is all or nothing, and the project always passes ``check``.

Seeded, so CI kills at the same moments every run; 21 rounds (7 of each kind).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import annotator

ROUNDS_PER_KIND = 7

WRITER = textwrap.dedent(
    """
    import sys
    import annotator
    path, kind, round_number = sys.argv[1], sys.argv[2], int(sys.argv[3])
    project = annotator.open_project(path, user="writer")
    print("open", flush=True)
    if kind == "annotate":
        doc = project.documents()[0].id
        for i in range(10_000):
            start = (round_number * 300 + i) % 3000
            print(project.add_annotation(doc, start, start + 1 + round_number, "claim"), flush=True)
    elif kind == "import":
        for i in range(10_000):
            print(project.add_document(f"Article {round_number}-{i}. " * 50, f"A{i}"), flush=True)
    else:
        for bundle in sys.argv[4:]:
            project.merge(bundle)
            print(bundle, flush=True)
    """
)


def _bundles(tmp_path: Path, text: str) -> dict[str, set[str]]:
    """Bundles of several colleagues, each with the ids of the annotations it carries."""
    carried: dict[str, set[str]] = {}
    for n in range(3):
        source = tmp_path / f"colleague{n}.db"
        with annotator.open_project(source, user=f"colleague{n}") as colleague:
            document = colleague.add_document(text, "Shared")
            ids = {
                colleague.add_annotation(document, i, i + 2 + n, "fact") for i in range(0, 600, 2)
            }
            target = tmp_path / f"colleague{n}.zip"
            colleague.bundle(target)
        carried[str(target)] = ids
    return carried


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    chance = random.Random(20261201)
    path = tmp_path / "killed.db"
    text = "x" * 4000
    with annotator.open_project(path, user="writer") as project:
        project.add_document(text, "Target")
    bundles = _bundles(tmp_path, text)
    reported: set[str] = set()
    merged: set[str] = set()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    kinds = ["annotate", "import", "merge"] * ROUNDS_PER_KIND
    for round_number, kind in enumerate(kinds):
        extra = list(bundles) if kind == "merge" else []
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), kind, str(round_number), *extra],
            stdout=subprocess.PIPE, text=True, env=env,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "open"
        for _ in range(chance.randrange(0, 3 if kind == "merge" else 30)):
            line = process.stdout.readline().strip()
            if not line:
                break
            (merged if kind == "merge" else reported).add(line)
        with contextlib.suppress(subprocess.TimeoutExpired):
            # The kill lands at a random moment inside the next write.
            process.wait(timeout=chance.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        with annotator.open_project(path, user="reader") as project:
            assert project.check() == [], f"round {round_number} ({kind})"
    with annotator.open_project(path, user="reader") as project:
        stored = {a.id for a in project.annotations()}
        documents = {d.id for d in project.documents()}
    assert reported <= stored | documents
    for bundle, ids in bundles.items():
        present = ids & stored
        assert present in (set(), ids), f"{bundle} was merged in part"
        if bundle in merged:
            assert present == ids


IMPORTER = textwrap.dedent(
    """
    import sys
    import annotator
    from annotator.service import import_batch
    import_batch.BATCH_FILES = 7
    project = annotator.open_project(sys.argv[1], user="importer")
    project.subscribe(lambda changes: print(*changes.documents_added, sep="\\n", flush=True))
    print("open", flush=True)
    project.import_paths([sys.argv[2]])
    """
)


def test_sigkill_during_a_batched_import_loses_no_published_batch(tmp_path: Path) -> None:
    """A batch is acknowledged when its change is published: after a kill every published
    document is there, whole, and importing again adds the rest exactly once."""
    chance = random.Random(20261129)
    folder = tmp_path / "texts"
    folder.mkdir()
    texts = {f"t{n:03}": f"Text {n}: " + "words of a news story. " * (20 + n % 7)
             for n in range(150)}
    for title, text in texts.items():
        (folder / f"{title}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    published: set[str] = set()
    for round_number in range(4):
        process = subprocess.Popen([sys.executable, "-c", IMPORTER, str(path), str(folder)],
                                   stdout=subprocess.PIPE, text=True, env=env)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "open"
        for _ in range(chance.randrange(1, 20)):
            line = process.stdout.readline().strip()
            if not line:
                break
            published.add(line)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=chance.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        with annotator.open_project(path, user="reader") as project:
            assert project.check() == [], f"round {round_number}"
            stored = {d.id: d.title for d in project.documents()}
            assert published <= set(stored)
            assert all(project.document(d).text == texts[t] for d, t in stored.items())
    with annotator.open_project(path, user="reader") as project:
        project.import_paths([folder])
        assert sorted(d.title for d in project.documents()) == sorted(texts)
