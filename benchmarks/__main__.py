"""``python -m benchmarks [--quick] [--help]``: every benchmark, one at a time, into one table.

Each benchmark script builds its seeded synthetic data (``benchmarks/synthetic.py``), prints
its readable lines and one ``ROW`` line per figure (see ``benchmarks/rows.py``): median and
p95 over repeated runs, with the ratio to a baseline measured in the same run on the same
data. This runner adds the start-up figure (``annotator --help`` against ``python -c pass``),
prints the table and writes it, with the date, the machine, its load and every script's own
lines, to ``benchmarks/RESULTS.md``, followed by what the profiler showed for each script
(its module-level ``PROFILED`` text, read without importing the script).

Every script runs under a time limit (``LIMIT_S``, ``QUICK_LIMIT_S`` with ``--quick``), so one
that hangs costs its own figures, not the run: they show as missing and the run fails.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.rows import PREFIX, emit, p95  # noqa: E402

LIMIT_S = 300
QUICK_LIMIT_S = 90
"""Longest one script may run (the whole set must finish in 10 minutes, --quick in 2)."""

RUNS = (
    ("workspace, paragraphs", "bench_workspace.py", ()),
    ("workspace, paragraphs, no emoji", "bench_workspace.py", ("--no-astral",)),
    ("workspace, one paragraph", "bench_workspace.py", ("--one-paragraph",)),
    ("workspace, large one paragraph", "bench_workspace.py", ("--one-paragraph", "--large")),
    ("large project", "bench_project.py", ()),
    ("import", "bench_import.py", ()),
    ("export", "bench_export.py", ()),
    ("agreement", "bench_agreement.py", ()),
    ("merge", "bench_merge.py", ()),
    ("suggester", "bench_suggest.py", ()),
)


def _seconds(command: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - began)
    return out


def startup(runs: int) -> None:
    python = sys.executable
    bare = statistics.median(_seconds([python, "-c", "pass"], runs))
    times = _seconds([python, "-m", "annotator", "--help"], runs)
    help_ = statistics.median(times)
    print(f"annotator --help: {help_ * 1000:.0f} ms median of {runs}, python -c pass "
          f"{bare * 1000:.0f} ms: x{help_ / bare:.1f} (target <= 10)")
    emit("start-up", "annotator --help", help_ * 1000, "<= 10x python -c pass",
         help_ / bare <= 10, p95=p95(times) * 1000, baseline=bare * 1000)


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| benchmark | case | median | p95 | baseline (same run) | ratio | target | |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
        lines.append(
            f"| {row['benchmark']} | {row['case']} | {_number(row['median'], row['unit'])} | "
            f"{_number(row['p95'], row['unit'])} | {_number(row['baseline'], row['unit'])} | "
            f"{ratio} | {row['target']} | {'PASS' if row['passed'] else '**FAIL**'} |")
    return "\n".join(lines)


def profiled(script: str) -> str | None:
    """The script's ``PROFILED`` text: what the profiler showed when it was last studied."""
    tree = ast.parse((HERE / script).read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "PROFILED"
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value.strip()
    return None


def _run(title: str, args: list[str], env: dict[str, str], limit: float) -> str:
    # What the benchmark before wrote is on disk before the next one starts: the kernel's
    # writeback of a 1,000,000-annotation project took a core from the import's writer
    # thread (0.51x executemany in that run, 0.64-0.68x on its own).
    if hasattr(os, "sync"):
        os.sync()
    began = time.perf_counter()
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout or ""
        text = out.decode() if isinstance(out, bytes) else out
        return text + f"\n(stopped after {limit:.0f} s: over its time limit)"
    ending = f"\n(exit code {done.returncode})" if done.returncode not in (0, 1) else ""
    return (done.stdout + done.stderr + ending
            + f"\n({title}: {time.perf_counter() - began:.0f} s)")


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run every benchmark, one at a time, print one table of their figures "
                    "and write it with each script's output to benchmarks/RESULTS.md.")
    parser.add_argument(
        "--quick", action="store_true",
        help=f"a reduced set of each benchmark, in under 2 minutes in all (each script "
             f"stopped after {QUICK_LIMIT_S} s instead of {LIMIT_S} s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    quick = parse_arguments(argv).quick
    limit = QUICK_LIMIT_S if quick else LIMIT_S
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH")]))
    began = time.perf_counter()
    rows: list[dict[str, Any]] = []
    details: list[tuple[str, str]] = []
    # An installed app is byte-compiled; with PYTHONDONTWRITEBYTECODE set (as on the
    # benchmark machine) every fresh process would otherwise compile it again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "annotator"),
                    str(HERE.parent / "ui")], check=False, stdout=subprocess.DEVNULL)
    outputs = [("start-up", _run("start-up", [
        sys.executable, "-c",
        f"from benchmarks.__main__ import startup; startup({5 if quick else 15})"], env, limit))]
    for title, script, extra in RUNS:
        print(f"\n=== {title}", flush=True)
        args = [sys.executable, str(HERE / script), *extra, *(["--quick"] if quick else [])]
        outputs.append((title, _run(title, args, env, limit)))
        print(outputs[-1][1], flush=True)
    for title, output in outputs:
        lines = [line for line in output.splitlines() if "propagateSizeHints" not in line]
        rows += [json.loads(line[len(PREFIX):]) for line in lines if line.startswith(PREFIX)]
        details.append((title, "\n".join(line for line in lines
                                         if not line.startswith(PREFIX))[-4000:]))
    minutes = (time.perf_counter() - began) / 60
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    head = (f"# Benchmark results\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
            f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}); {minutes:.1f} minutes; load average "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the end"
            f"{'; quick set' if quick else ''}.\n\n")
    summary = table(rows)
    print("\n" + summary)
    body = "".join(f"\n### {title}\n\n```\n{text}\n```\n" for title, text in details)
    notes = "".join(f"\n### {script}\n\n{text}\n"
                    for script in dict.fromkeys(script for _, script, _ in RUNS)
                    if (text := profiled(script)))
    missing = [title for title, text in outputs if PREFIX not in text]
    (HERE / "RESULTS.md").write_text(
        head + summary + "\n"
        + "".join(f"\n**No figures from {title}** (see its output below).\n"
                  for title in missing)
        + "\n## What the profiler showed\n" + notes
        + "\n## Output of each benchmark\n" + body, encoding="utf-8")
    return 0 if rows and not missing and all(row["passed"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
