"""Export throughput and memory: 1,000,000 annotations over 10,000 documents.

``--quick`` uses a tenth of that.

Prints, for ``jsonl`` and ``csv``, annotations per second and the ratio to a bare ``orjson``
dump of the same rows (the same two queries, every row dumped as it comes) measured in the
same run; the target is a ratio of at least 0.5. The three alternate (``--runs``, medians);
processor seconds are printed beside them, as on a loaded machine they say what waiting
for a processor hides. Each measurement runs in a fresh process
and reports its peak resident memory; the export of a tenth of the documents is measured too,
so a flat memory profile shows as (nearly) the same peak for both.

The project database is built once with bulk inserts and cached in the temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import annotator
from annotator.formats import get_format
from annotator.formats.atomic import Staging
from annotator.formats.model import ExportContext, ExportNotes
from annotator.formats.output import Output
from annotator.formats.selection import (
    ExportFilters,
    _annotation_stream,
    _document_stream,
    select_documents,
    stream_documents,
)
from benchmarks.rows import emit, p95

WORDS = ["the", "dam", "is", "safe", "officials", "said", "critics", "disagree", "😀", "東京",
         "water", "level", "rose", "report", "claims", "sources", "confirm"]


def build(path: Path, documents: int, per_document: int) -> None:
    started = time.perf_counter()
    project = annotator.open_project(path, user="bench")
    project.close()
    rng = random.Random(1)
    engine = annotator.open_project(path, user="bench").engine
    stamp = "2024-05-01 12:00:00.000000"
    with engine.begin() as connection:
        names = ["alice", "bob", "carol", "dave", "gold"]
        connection.exec_driver_sql(
            "INSERT INTO annotators (name) VALUES (?)", [(n,) for n in names]
        )
        annotator_ids = [r[0] for r in connection.exec_driver_sql("SELECT id FROM annotators")]
        label_ids = [r[0] for r in connection.exec_driver_sql("SELECT id FROM labels")]
        for first in range(0, documents, 500):
            docs, anns = [], []
            for number in range(first, min(first + 500, documents)):
                text = " ".join(rng.choice(WORDS) for _ in range(per_document * 6)) + "."
                docs.append((number + 1, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                             f"Document {number}", text, len(text),
                             hashlib.sha256(text.encode()).hexdigest(), None, "txt", "{}",
                             stamp))
                for _ in range(per_document):
                    start = rng.randrange(0, len(text) - 40)
                    end = start + rng.randrange(1, 40)
                    note = "check this" if rng.random() < 0.1 else None
                    anns.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                 number + 1, start, end, rng.choice(label_ids),
                                 rng.choice(annotator_ids), note, stamp, stamp, 0))
            connection.exec_driver_sql(
                "INSERT INTO documents (id, uuid, title, text, chars, sha256, file_name, "
                "format, meta, created) VALUES (?,?,?,?,?,?,?,?,?,?)", docs)
            connection.exec_driver_sql(
                'INSERT INTO annotations (id, document_id, start, "end", label_id, '
                "annotator_id, note, created, updated, deleted) VALUES (?,?,?,?,?,?,?,?,?,?)",
                anns)
    engine.dispose()
    print(f"built {path} in {time.perf_counter() - started:.1f} s")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline(db: str, out: str) -> tuple[float, int, float, float]:
    project = annotator.open_project(db, user="bench")
    filters = ExportFilters()
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    with project._reading() as session, open(out, "wb") as handle:
        for row in _document_stream(session, None):
            handle.write(orjson.dumps(tuple(row)) + b"\n")
        for row in _annotation_stream(session, filters, None):
            handle.write(orjson.dumps(tuple(row)) + b"\n")
            rows += 1
    return time.perf_counter() - started, rows, _peak_mb(), time.process_time() - cpu


def _export(db: str, fmt: str, out: str, fraction: float) -> tuple[float, int, float, float]:
    project = annotator.open_project(db, user="bench")
    started, cpu = time.perf_counter(), time.process_time()
    if fraction >= 1:
        result = project_export(project, fmt, out)
        return (time.perf_counter() - started, result, _peak_mb(),
                time.process_time() - cpu)
    filters = ExportFilters()
    with project._reading() as session:
        selected = select_documents(session, filters)
        subset = selected[: max(1, int(len(selected) * fraction))]
        notes = ExportNotes()
        staging = Staging()
        target = Path(out)
        get_format(fmt).write(
            Output(staging.file(target), target, staging),
            stream_documents(session, filters, subset),
            ExportContext(tuple(project.labels()), "bench"), notes,
        )
        staging.commit()
    return (time.perf_counter() - started, notes.annotations, _peak_mb(),
            time.process_time() - cpu)


def project_export(project: Any, fmt: str, out: str) -> int:
    from annotator.service.exchange import export_dataset

    return export_dataset(project, fmt, out).annotations


def _in_child(function: Any, *args: Any) -> Any:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 annotations")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--runs", type=int, default=3, help="alternated runs of each")
    args = parser.parse_args()
    documents = 1_000 if args.quick else 10_000
    per_document = 100
    folder = Path(tempfile.gettempdir()) / "annotator-bench-export"
    folder.mkdir(exist_ok=True)
    db = folder / f"project-{documents}x{per_document}.db"
    if args.rebuild or not db.exists():
        for stale in folder.glob(f"{db.name}*"):
            stale.unlink()
        build(db, documents, per_document)
    total = documents * per_document
    print(f"{total:,} annotations over {documents:,} documents")
    # Alternated runs, each in a fresh process: (seconds, count, peak MB, processor seconds)
    runs: dict[str, list[tuple[float, int, float, float]]] = {"baseline": [], "jsonl": [],
                                                                "csv": []}
    for _ in range(args.runs):
        runs["baseline"].append(_in_child(_baseline, str(db), str(folder / "baseline.jsonl")))
        for fmt in ("jsonl", "csv"):
            runs[fmt].append(_in_child(_export, str(db), fmt, str(folder / f"out.{fmt}"), 1.0))
    assert all(run[1] == total for measured in runs.values() for run in measured)
    seconds = statistics.median(run[0] for run in runs["baseline"])
    base_cpu = statistics.median(run[3] for run in runs["baseline"])
    peak = max(run[2] for run in runs["baseline"])
    print(f"baseline orjson dump: {seconds:6.2f} s  {total / seconds:>11,.0f} rows/s  "
          f"peak {peak:6.0f} MB  (processor {base_cpu:.2f} s; median of {args.runs})")
    for fmt in ("jsonl", "csv"):
        spent = statistics.median(run[0] for run in runs[fmt])
        cpu = statistics.median(run[3] for run in runs[fmt])
        peak = max(run[2] for run in runs[fmt])
        _tenth_spent, tenth_count, tenth_peak, _cpu = _in_child(
            _export, str(db), fmt, str(folder / f"tenth-out.{fmt}"), 0.1
        )
        ratio = seconds / spent
        verdict = "ok" if ratio >= 0.5 else "BELOW TARGET 0.5"
        emit("export", f"{total:,} annotations to {fmt} (peak {peak:.0f} MB; a tenth: "
             f"{tenth_peak:.0f} MB)", spent * 1000, ">= 0.5x orjson dump speed",
             ratio >= 0.5, p95=p95([run[0] for run in runs[fmt]]) * 1000,
             baseline=seconds * 1000, ratio=ratio)
        print(f"{fmt:>5} export:        {spent:6.2f} s  {total / spent:>11,.0f} ann/s  "
              f"ratio {ratio:.2f} ({verdict})  peak {peak:6.0f} MB "
              f"(a tenth of the documents: {tenth_count:,} ann, peak {tenth_peak:.0f} MB); "
              f"processor {cpu:.2f} s, ratio {base_cpu / cpu:.2f}")


if __name__ == "__main__":
    main()
