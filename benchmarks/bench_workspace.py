"""Workspace speed on a ~1 MB document with 10,000 annotations in a real project database.

Figures (medians over repeated runs) and targets:

* open + first paint (annotations read from the DB included): < 150 ms, for the bare
  DocumentView and for the real MainWindow.open_document;
* label key press -> annotation committed to the DB and painted: median < 8 ms,
  p95 < 16 ms, driven through the real MainWindow with QTest.keyClick.

Each figure is also given as a ratio to a baseline measured in the same run: a bare
QPlainTextEdit loading and painting the same text.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_workspace.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

import annotator
from annotator import Project
from benchmarks import synthetic
from benchmarks.rows import emit, p95
from ui.workspace.document_view import DocumentView, ViewSpan

OPEN_TARGET_MS = 150.0
OPEN_RATIO_LIMIT: float | None = 3.0
KEY_MEDIAN_TARGET_MS = 8.0
KEY_P95_TARGET_MS: float | None = 16.0


def build_project(folder: Path, size: int, count: int, seed: int, *,
                  one_paragraph: bool = False) -> tuple[Project, str]:
    rng = random.Random(seed)
    text = synthetic.text_of(size, rng, one_paragraph=one_paragraph)
    rows = synthetic.spans_of(text, count, rng)
    seconds = synthetic.build(folder / "bench.db", [("Benchmark document", text, rows)])
    print(f"setup: {len(text):,} characters, {count:,} annotations written in {seconds:.1f} s",
          flush=True)
    project = annotator.open_project(folder / "bench.db", user="alice")
    return project, project.documents()[0].id


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def paint(widget: QPlainTextEdit) -> None:
    widget.viewport().repaint()
    QApplication.processEvents()


SHAPE = ""


def report(name: str, value: float, target: float, baseline: float, *,
           p95_value: float | None = None, p95_target: float | None = None,
           ratio_limit: float | None = None) -> bool:
    ok = value < target and (p95_value is None or p95_target is None or p95_value < p95_target)
    ratio = value / baseline
    if ratio_limit is not None:
        ok &= ratio <= ratio_limit
    extra = "" if p95_value is None else f" p95 {p95_value:.1f} ms"
    print(f"{name:<58} {value:8.1f} ms{extra}  target < {target:5.0f} ms  "
          f"x{ratio:5.2f} of baseline  {'PASS' if ok else 'FAIL'}")
    words = f"< {target:.0f} ms" + ("" if p95_target is None else f", p95 < {p95_target:.0f}")
    if ratio_limit is not None:
        words += f", <= {ratio_limit:.0f}x bare QPlainTextEdit"
    emit(f"workspace, {SHAPE}", name, value, words, ok, p95=p95_value, baseline=baseline)
    return ok


# What profiling the open path showed (cProfile over MainWindow.open_document, callgrind
# for the database read; 1 MB one paragraph, 10,000 annotations), printed with the figures.
OPEN_PROFILE_NOTES = """\
open-path profile (1 MB one paragraph, 10,000 annotations; cProfile, 3 opens):
  before: DB read 29% (sqlite3 fetch + SQLAlchemy rows + a record each, a documents join
  for a uuid already known), unsourced-claim marks rebuilt on each of the 2 overlay
  updates per open 21%, ViewSpans with `project.user` looked up per record 16%,
  review status/comments computed for all 10,000 rows 10%, table model keys/sort 7%,
  set_document + first paint 12% (Qt setPlainText of the display blocks most of it);
  cyclic GC ran ~44 collections per open (~13% of it, full-heap ones included).
  after: one select of the record's columns (no documents join), spans with the user
  looked up once (ViewSpan a named tuple), review rows only for reviewed annotations,
  marks once per refill, span index filled by map/attrgetter, GC paused for the load.
  Left: the DB read is ~1/3 of the open (sqlite3's row fetch ~20%; a frozen-dataclass
  AnnotationRecord per row ~18 ms CPU per 10^4), Qt's setPlainText ~16%, first paint ~7%.
  CPU time (process_time, robust to the shared machine's load; median of 7), before ->
  after: 1 MB paragraphs MainWindow open 406 -> 242-258 ms (bare QPlainTextEdit 29-37 ms,
  so x11 -> x8.5: the <= 3x target is missed); 1 MB one paragraph 384 -> 210-278 ms (bare
  690-730 ms); 5 MB one paragraph 2,222 -> 1,272 ms (target 400 ms missed: every step is
  still linear in the annotations, ~25 us CPU each)."""


def view_spans(project: Project, document_id: str) -> tuple[str, list[ViewSpan]]:
    colors = {label.name: label.color for label in project.labels()}
    text = project.document(document_id).text
    user = project.user
    spans = [ViewSpan(r.id, r.start, r.end, r.label, colors.get(r.label, "#888888"),
                      r.annotator, r.note, r.annotator == user)
             for r in project.annotations(document_id)]
    return text, spans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 KB and 1,000 annotations")
    parser.add_argument("--one-paragraph", action="store_true",
                        help="the whole text as one paragraph, as JSONL and CSV store it")
    parser.add_argument("--size", type=int, help="characters of text")
    parser.add_argument("--count", type=int, help="annotations")
    parser.add_argument("--large", action="store_true",
                        help="5 MB and 50,000 annotations (--quick: 1 MB, 10,000); "
                             "targets: open < 400 ms, key press < 16 ms median")
    args = parser.parse_args()
    global OPEN_TARGET_MS, KEY_MEDIAN_TARGET_MS, KEY_P95_TARGET_MS, OPEN_RATIO_LIMIT, SHAPE
    size, count, runs, presses = ((200_000, 1_000, 5, 20) if args.quick
                                  else (1_000_000, 10_000, 7, 50))
    if args.large:
        size, count = (1_000_000, 10_000) if args.quick else (5_000_000, 50_000)
        OPEN_TARGET_MS, KEY_MEDIAN_TARGET_MS, KEY_P95_TARGET_MS = 400.0, 16.0, None
        OPEN_RATIO_LIMIT = None
    size = args.size or size
    count = args.count or count
    SHAPE = (f"{size / 1e6:g} MB / {count:,} annotations, "
             f"{'one paragraph' if args.one_paragraph else 'paragraphs'}")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QApplication.setOrganizationName("AnnotatorBenchmark")
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        project, document_id = build_project(Path(folder), size, count, seed=11,
                                             one_paragraph=args.one_paragraph)
        text = project.document(document_id).text

        bare = QPlainTextEdit()
        bare.resize(1280, 820)
        bare.show()

        def bare_open() -> None:
            bare.setPlainText(text)
            paint(bare)

        bare_open()  # warm up fonts and glyph caches for every contender alike
        baseline = statistics.median(timed(bare_open, runs))
        print(f"{'baseline: bare QPlainTextEdit load + first paint':<58} {baseline:8.1f} ms")

        view = DocumentView()
        view.resize(1280, 820)
        view.show()

        def view_open() -> None:
            view.set_document(*view_spans(project, document_id))
            paint(view)

        view_open()
        opens = timed(view_open, runs)
        ok &= report("DocumentView: DB read + open + first paint", statistics.median(opens),
                     OPEN_TARGET_MS, baseline, p95_value=p95(opens),
                     ratio_limit=OPEN_RATIO_LIMIT)
        # Breakdown, not targets: the database read, then the view's own share.
        reads = timed(lambda: view_spans(project, document_id), runs)
        print(f"{'  of which DB read + ViewSpan records (median)':<58} "
              f"{statistics.median(reads):8.1f} ms")
        loaded = view_spans(project, document_id)

        def view_only() -> None:
            view.set_document(*loaded)
            paint(view)

        print(f"{'  of which DocumentView.set_document + first paint (median)':<58} "
              f"{statistics.median(timed(view_only, runs)):8.1f} ms")
        ok &= view_level_edits(view, presses, baseline)
        view.close()
        bare.close()
        ok &= window_figures(project, document_id, runs, presses, baseline, Path(folder))
        project.close()
    del app
    print(OPEN_PROFILE_NOTES)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def view_level_edits(view: DocumentView, presses: int, baseline: float) -> bool:
    """Upsert of one span and its repaint, without the database: the view's own share."""
    rng = random.Random(5)
    words = synthetic.word_bounds(view.core_text()[:5_000])
    times = []
    for i in range(presses):
        start, _ = words[rng.randrange(len(words) - 3)]
        end = words[words.index(next(w for w in words if w[0] == start)) + 2][1]
        span = ViewSpan(f"bench-{i}", start, end, "fact", "#5aae61", "alice", None)
        began = time.perf_counter()
        view.upsert_span(span)
        paint(view)
        times.append((time.perf_counter() - began) * 1000)
    return report("DocumentView: upsert one span + repaint", statistics.median(times),
                  KEY_MEDIAN_TARGET_MS, baseline, p95_value=p95(times),
                  p95_target=KEY_P95_TARGET_MS)


def window_figures(project: Project, document_id: str, runs: int, presses: int,
                   baseline: float, folder: Path) -> bool:
    try:
        from ui.main_window import MainWindow
        from ui.settings import Settings
    except ImportError as error:
        print(f"MainWindow figures skipped: {error}")
        return True
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    window.resize(1280, 820)
    window.show()
    window.activateWindow()
    QApplication.processEvents()
    view = window.view

    def window_open() -> None:
        window.open_document(document_id)
        paint(view)

    window_open()
    opens = timed(window_open, runs)
    ok = report("MainWindow.open_document: DB read + open + first paint",
                statistics.median(opens), OPEN_TARGET_MS, baseline, p95_value=p95(opens),
                ratio_limit=OPEN_RATIO_LIMIT)

    before = len(project.annotations(document_id))
    rng = random.Random(3)
    visible = view.core_text()[:4_000]
    words = synthetic.word_bounds(visible)
    # One annotator never holds two identical live annotations: every press and every core
    # add below takes a three-word range nobody has annotated yet.
    taken = {(r.start, r.end) for r in project.annotations(document_id)}
    free = [i for i in range(len(words) - 3) if (words[i][0], words[i + 2][1]) not in taken]
    rng.shuffle(free)
    keys = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3)
    times = []
    for i in range(presses):
        first = free.pop()
        view.set_selection_range(words[first][0], words[first + 2][1])
        QApplication.processEvents()
        began = time.perf_counter()
        QTest.keyClick(view, keys[i % 3])
        # The posted update paints just what changed, as the running event loop would.
        QApplication.processEvents()
        times.append((time.perf_counter() - began) * 1000)
    if not view.placed(view.spans()[-1].id):
        ok = False
    added = len(project.annotations(document_id)) - before
    if added != presses:
        print(f"FAIL: {presses} key presses committed {added} annotations")
        ok = False
    ok &= report("MainWindow: label key -> committed + painted", statistics.median(times),
                 KEY_MEDIAN_TARGET_MS, baseline, p95_value=p95(times),
                 p95_target=KEY_P95_TARGET_MS)
    # Breakdown, not a target: what the core's durable write alone costs per key press.
    core = []
    for _ in range(presses):
        first = free.pop()
        began = time.perf_counter()
        project.annotation(project.add_annotation(document_id, words[first][0],
                                                  words[first + 2][1], "claim"))
        core.append((time.perf_counter() - began) * 1000)
    print(f"{'  of which core add_annotation + annotation (median)':<58} "
          f"{statistics.median(core):8.1f} ms")
    window.close()
    return ok


if __name__ == "__main__":
    sys.exit(main())
