"""One line per figure for ``python -m benchmarks`` to gather into its table.

A benchmark script prints its own readable lines, and for each figure with a target one
``ROW {json}`` line: benchmark, case, median, p95 (or None), unit, baseline (the same
measurement of a bare tool in the same run, or None), ratio, target (words) and passed.
"""

from __future__ import annotations

import json
import statistics

PREFIX = "ROW "


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def emit(benchmark: str, case: str, median: float, target: str, passed: bool, *,
         p95: float | None = None, unit: str = "ms", baseline: float | None = None,
         ratio: float | None = None) -> None:
    if ratio is None and baseline:
        ratio = median / baseline
    print(PREFIX + json.dumps({
        "benchmark": benchmark, "case": case, "median": median, "p95": p95, "unit": unit,
        "baseline": baseline, "ratio": ratio, "target": target, "passed": bool(passed),
    }), flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)
