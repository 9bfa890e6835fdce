"""Agreement over ~1,000,000 tokens and two annotators: must take under 2 s.

Baselines measured in the same run: the bare regex tokenisation pass (``re.finditer``
over the same texts) and sklearn's ``cohen_kappa_score`` on precomputed token labels.

    python benchmarks/bench_agreement.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.agreement import (
    TOKEN_PATTERN,
    DocumentSpans,
    Span,
    compute_agreement,
)
from benchmarks.rows import emit

PROFILED = """
cProfile of `compute_agreement` over 1,091,000 tokens (the full run; the quick one is a
tenth): already numpy throughout, no per-token Python object. The hottest function was the
nominal-alpha tally (`coefficients.alpha_tally`: masks and copies of users x tokens
arrays, once per label and overall), then grouping spans by label (`batch._collect`, per
span) and overlap matching (`span_matching.overlap_matches`, per span); tokenising
(`tokens._classify`) is a tenth. The tally now skips the masks and copies when every coder
coded every unit: 0.71-0.84 s of CPU for the full run (0.8-0.9 before), ~0.08 s for the
quick one. On this shared 2-core machine wall time was 3-6x CPU time, so the CPU time is
printed beside the median.
"""

LIMIT_SECONDS = 2.0
LABELS = ("claim", "source", "fact")
WORDS = ("the", "report", "said", "that", "growth", "was", "3.5", "percent", "in", "2023",
         "according", "to", "officials", "Ministry", "data", "show", "über", "naïve", "東京")
PUNCT = (",", ".", ";", "—", "(", ")", "\"")


def synthetic(tokens: int, docs: int, seed: int = 7) -> list[DocumentSpans]:
    """Texts of ``tokens`` tokens in ``docs`` documents; B copies A's spans with jitter."""
    rng = random.Random(seed)
    out = []
    per_doc = tokens // docs
    for _ in range(docs):
        pieces: list[str] = []
        bounds: list[tuple[int, int]] = []
        pos = 0
        for _ in range(per_doc):
            token = rng.choice(PUNCT) if rng.random() < 0.12 else rng.choice(WORDS)
            bounds.append((pos, pos + len(token)))
            pieces.append(token)
            pos += len(token) + 1
        text = " ".join(pieces)
        first: list[Span] = []
        second: list[Span] = []
        i = rng.randrange(20)
        while i < per_doc - 20:
            length = rng.randint(3, 15)
            label = rng.choice(LABELS)
            span = Span(bounds[i][0], bounds[i + length - 1][1], label)
            first.append(span)
            roll = rng.random()
            if roll < 0.6:
                second.append(span)
            elif roll < 0.85:
                a, b = i + rng.randint(-2, 2), i + length - 1 + rng.randint(-2, 2)
                second.append(Span(bounds[a][0], bounds[max(a, b)][1], label))
            elif roll < 0.92:
                second.append(Span(span.start, span.end, rng.choice(LABELS)))
            i += length + rng.randint(5, 30)
        out.append(DocumentSpans(text, {"A": first, "B": second}))
    return out


def median_time(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 tokens, 3 runs")
    args = parser.parse_args()
    tokens, repeats = (100_000, 3) if args.quick else (1_000_000, 5)
    documents = synthetic(tokens, docs=max(1, tokens // 5000))
    token_total = sum(len(TOKEN_PATTERN.findall(d.text)) for d in documents)
    spans = sum(len(s) for d in documents for s in d.spans.values())
    print(f"{len(documents)} documents, {token_total:,} tokens, {spans:,} spans, 2 annotators")

    cpu = time.process_time()
    agreement = median_time(lambda: compute_agreement(documents, ["A", "B"], LABELS), repeats)
    cpu = (time.process_time() - cpu) / repeats

    def regex_pass() -> None:
        for doc in documents:
            for _ in TOKEN_PATTERN.finditer(doc.text):
                pass
    tokenising = median_time(regex_pass, repeats)

    report = compute_agreement(documents, ["A", "B"], LABELS)
    print(f"overall kappa {report.overall.pairs[0].kappa.value:.4f}, "
          f"alpha {report.overall.alpha.value:.4f}, "
          f"F1 exact {report.overall.pairs[0].f1_exact.value:.4f}, "
          f"F1 overlap {report.overall.pairs[0].f1_overlap.value:.4f}")
    try:
        from sklearn.metrics import cohen_kappa_score
    except ImportError:
        sklearn_time = None
    else:
        vectors = _category_vectors(report, token_total)
        sklearn_time = median_time(lambda: cohen_kappa_score(*vectors), repeats)

    print(f"compute_agreement      median {agreement:.3f} s over {repeats} runs "
          f"(CPU time {cpu:.3f} s a run)")
    print(f"baseline re.finditer   median {tokenising:.3f} s  "
          f"(agreement / tokenising = {agreement / tokenising:.2f})")
    if sklearn_time is not None:
        print(f"baseline sklearn kappa median {sklearn_time:.3f} s  "
              f"(agreement / one sklearn kappa = {agreement / sklearn_time:.2f})")
    limit = LIMIT_SECONDS * tokens / 1_000_000
    verdict = "PASS" if agreement < limit else "FAIL"
    print(f"{verdict}: {agreement:.3f} s against a limit of {limit:.2f} s")
    emit("agreement", f"compute_agreement, {token_total:,} tokens, 2 annotators "
         f"(CPU {cpu:.2f} s)",
         agreement * 1000, f"< {limit * 1000:.0f} ms", verdict == "PASS",
         baseline=tokenising * 1000)
    return 0 if verdict == "PASS" else 1


def _category_vectors(report: object, count: int) -> tuple[list[int], list[int]]:
    """Integer label vectors with the overall confusion counts of the report."""
    from annotator.agreement import AgreementReport
    assert isinstance(report, AgreementReport)
    confusion = report.overall.pairs[0].confusion
    names = sorted({c for row in confusion.values() for c in row} | set(confusion))
    first: list[int] = []
    second: list[int] = []
    for a, row in confusion.items():
        for b, n in row.items():
            first += [names.index(a)] * n
            second += [names.index(b)] * n
    assert len(first) == count
    return first, second


if __name__ == "__main__":
    sys.exit(main())
