"""Suggester throughput: characters per second on one core, English and Portuguese news text.

``python benchmarks/bench_suggest.py [--quick]``. The text is ~1 MB (200 KB with --quick) of
synthetic news paragraphs (quotations, reporting verbs, dates, figures), made deterministically;
with ../shared/corpora present, the seed articles and the ClaimPT sample are measured too. The
baseline is one ``re.finditer(r"\\w+")`` pass over the same text, timed in the same run. Target
(issue P8): at least 200,000 characters per second. The quality rows (link precision and
recall per reference, ClaimPT in its tuning and held-out halves, and ClaimPT's 2-fold swap:
a threshold tuned on each half, tested on the other) come from
``benchmarks/suggest_quality.py``, which prints them per rule and by threshold.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path
from typing import Any

from annotator.suggest import suggest_text
from annotator.suggest.curve import two_fold
from annotator.suggest.evaluation import report
from annotator.suggest.grammar import grammar
from benchmarks.rows import emit
from benchmarks.suggest_quality import PRECISION, RECALL, corpora, scores

TARGET = 200_000
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

_EN = [
    "“{a} {b} the {c} in {m} {d},” said {n}.",
    "According to a source close to the {c}, the {c} had {b} {f} percent of its budget.",
    "{n} told reporters that the {c} would {b} before {m} {d}, {y}.",
    "The {c} {b} the plan on Tuesday. “We will not {b} the {c},” she said.",
    "Officials for the {c} said the talks continued late into the night.",
    "Prices rose by {f}% in {y}, the ministry said, while exports fell.",
]
_PT = [
    "“{a} {b} o {c} em {d} de {mp}”, disse {n}.",
    "Segundo o ministro da {C}, o {c} cresceu {f}% em {y}.",
    "{n} afirmou hoje que o {c} vai {b} até {d} de {mp} de {y}.",
    "“O {c} não pode {b} a região”, sublinhou o presidente da {C}.",
    "A reunião decorreu em Lisboa e terminou ao fim da tarde, com {f} mil pessoas.",
]
_NAMES = ["Anna Berg", "John Smith", "Maria Lopes", "Kim Jong Un", "Rui Costa", "Ana Lopes"]
_WORDS = ["economy", "council", "ministry", "budget", "border", "project", "harbour", "region"]
_VERBS = ["approved", "rejected", "delayed", "closed", "opened", "expanded", "reduced"]
_MONTHS = ["January", "March", "May", "October", "December"]
_MESES = ["janeiro", "março", "maio", "outubro", "dezembro"]


def synthetic(language: str, chars: int, seed: int = 8) -> str:
    rng = random.Random(seed)
    templates = _EN if language == "en" else _PT
    parts: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(
            rng.choice(templates).format(
                a="The", b=rng.choice(_VERBS), c=rng.choice(_WORDS), C="Saúde",
                n=rng.choice(_NAMES), m=rng.choice(_MONTHS), mp=rng.choice(_MESES),
                d=rng.randint(1, 28), y=rng.randint(1990, 2025), f=rng.randint(2, 90),
            )
            for _ in range(rng.randint(2, 5))
        )
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)


def _best(run: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def measure(name: str, text: str, language: str, repeat: int) -> dict[str, Any]:
    """One row: the suggester's speed on ``text`` and the bare-regex baseline's."""
    seconds = _best(lambda: suggest_text(text, language), repeat)
    baseline = _best(lambda: sum(1 for _ in re.finditer(r"\w+", text)), repeat)
    speed = len(text) / seconds
    return {
        "benchmark": "suggest", "case": name, "chars": len(text), "seconds": seconds,
        "chars_per_second": speed, "baseline_chars_per_second": len(text) / baseline,
        "ratio_to_baseline": baseline / seconds, "target": TARGET, "passed": speed >= TARGET,
    }


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Every case's row (see :func:`measure`); compiling the rules is timed apart, once."""
    started = time.perf_counter()
    for language in ("en", "pt"):
        grammar(language)
    compile_seconds = time.perf_counter() - started
    chars, repeat = (200_000, 2) if quick else (1_000_000, 3)
    rows = [measure(f"synthetic {lang}", synthetic(lang, chars), lang, repeat)
            for lang in ("en", "pt")]
    for name, pattern, language in (("seed articles", "seeds/*.txt", "en"),
                                    ("ClaimPT sample", "claimpt-sample/news_articles/*.txt",
                                     "pt")):
        files = sorted(CORPORA.glob(pattern))
        if files:
            text = "\n".join(f.read_text(encoding="utf-8") for f in files)
            text = "\n".join([text] * max(1, chars // len(text)))
            rows.append(measure(f"{name} (repeated)", text, language, repeat))
    for row in rows:
        row["compile_seconds"] = compile_seconds
    return rows


def quality() -> None:
    """Link precision and recall per reference (per rule in the readable lines), as rows."""
    for name, strict, counted in scores():
        print("\n".join(report(name, strict)))
        for label, score in (("", strict), (", same name elsewhere counted", counted)):
            for what, value, target in (("precision", score.overall.precision, PRECISION),
                                        ("recall", score.recall, RECALL)):
                if value is None:
                    continue
                emit("suggest", f"{name}{label}: link {what}", 100 * value,
                     f">= {100 * target:.0f} %", value >= target, unit="%")
    halves = [documents for name, _, documents in corpora() if name.startswith("ClaimPT")]
    if len(halves) != 2:
        return
    for label, same_name in (("", False), (", same name elsewhere counted", True)):
        for direction, threshold, _, tested in two_fold(halves[0], halves[1], "pt",
                                                        same_name=same_name,
                                                        names=("tuning", "held-out")):
            for what, value, target in (("precision", tested.precision, PRECISION),
                                        ("recall", tested.recall, RECALL)):
                if value is not None:
                    emit("suggest", f"ClaimPT 2-fold, threshold {threshold:.2f} {direction}"
                         f"{label}: link {what}", 100 * value, f">= {100 * target:.0f} %",
                         value >= target, unit="%")


def main() -> int:
    rows = run("--quick" in sys.argv[1:])
    print(f"rules compiled once per process in {rows[0]['compile_seconds']:.2f} s")
    for row in rows:
        print(f"{row['case']:<28} {row['chars']:>9,} chars  {row['chars_per_second']:>10,.0f} "
              f"chars/s  (baseline \\w+ pass {row['baseline_chars_per_second']:>12,.0f}; "
              f"ratio {row['ratio_to_baseline']:.3f})  {'PASS' if row['passed'] else 'FAIL'}")
    for row in rows:
        emit("suggest", f"{row['case']}, {row['chars']:,} chars (chars/s)",
             row["chars_per_second"], f">= {TARGET:,} chars/s", row["passed"], unit="chars/s",
             baseline=row["baseline_chars_per_second"], ratio=row["ratio_to_baseline"])
    quality()
    failed = [row["case"] for row in rows if not row["passed"]]
    print(f"{'FAIL' if failed else 'PASS'}: suggester at least {TARGET:,} chars/s on one core")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
