"""``python -m benchmarks [--quick]``: every benchmark, one at a time, into RESULTS.md.

Each benchmark script prints its figures with the ratio to a baseline it measures in the
same run on the same data; this runner adds the start-up figure (``annotator --help``
against ``python -c pass``), then writes everything, with the date, the machine and its load,
to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = (
    ("workspace, paragraphs", "bench_workspace.py", ()),
    ("workspace, one paragraph", "bench_workspace.py", ("--one-paragraph",)),
    ("export", "bench_export.py", ()),
    ("agreement", "bench_agreement.py", ()),
    ("merge", "bench_merge.py", ()),
)


def _seconds(command: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - began)
    return out


def startup(runs: int) -> str:
    python = sys.executable
    bare = statistics.median(_seconds([python, "-c", "pass"], runs))
    help_ = statistics.median(_seconds([python, "-m", "annotator", "--help"], runs))
    ratio = help_ / bare
    verdict = "PASS" if ratio <= 10 else "FAIL"
    return (f"annotator --help: {help_ * 1000:.0f} ms median of {runs}, python -c pass "
            f"{bare * 1000:.0f} ms: x{ratio:.1f} (target <= 10)  {verdict}")


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH")]))
    sections = [("start-up", startup(5 if quick else 15))]
    print(sections[0][1], flush=True)
    for title, script, extra in RUNS:
        print(f"\n=== {title}", flush=True)
        args = [sys.executable, str(HERE / script), *extra, *(["--quick"] if quick else [])]
        done = subprocess.run(args, env=env, capture_output=True, text=True)
        lines = [line for line in (done.stdout + done.stderr).splitlines()
                 if "propagateSizeHints" not in line]
        print("\n".join(lines), flush=True)
        sections.append((title, "\n".join(lines[-40:])))
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    head = (f"# Benchmark results\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
            f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}), load average {load[0]:.1f} at the end"
            f"{' (quick set)' if quick else ''}.\n")
    body = "".join(f"\n## {title}\n\n```\n{text}\n```\n" for title, text in sections)
    (HERE / "RESULTS.md").write_text(head + body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
