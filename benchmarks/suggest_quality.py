"""Suggester quality: link precision and recall per rule and overall, against careful annotations.

``python benchmarks/suggest_quality.py [--errors [CORPUS]]``: the seed articles (English, our
annotation) and the ClaimPT sample (Portuguese) split by document into a tuning half and a
held-out half (see ``annotator.suggest.evaluation.halves``); then, per reference, precision
and recall at each confidence threshold (``annotator.suggest.curve``), and ClaimPT's 2-fold
swap: a threshold chosen on each half, tested on the other. ``--errors`` lists every wrong
link by rule, in the corpora whose name holds CORPUS (e.g. ``tuning``): what it proposed, and
whether ClaimPT calls the passage a non-claim, names another source, or marks nothing there,
with the count of each kind. Needs ../shared/corpora. Targets (issue P8): link precision ≥ 0.8
and recall ≥ 0.5 on news.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from annotator.suggest import suggest_text  # noqa: E402
from annotator.suggest.curve import Point, curve, two_fold  # noqa: E402
from annotator.suggest.evaluation import (  # noqa: E402
    GoldDocument,
    WrongLink,
    evaluate,
    halves,
    read_claimpt,
    read_seeds,
    report,
    wrong_links,
)
from annotator.suggest.scoring import Score  # noqa: E402

CORPORA = HERE.parents[1] / "shared" / "corpora"
SEEDS_GOLD = HERE.parent / "tests" / "fixtures" / "suggest" / "seeds_gold.json"
PRECISION, RECALL = 0.8, 0.5


def corpora() -> list[tuple[str, str, list[GoldDocument]]]:
    """(name, language, documents) of every reference present on this machine."""
    found: list[tuple[str, str, list[GoldDocument]]] = []
    if (CORPORA / "seeds").is_dir():
        found.append(("seed articles (en)", "en", read_seeds(SEEDS_GOLD, CORPORA)))
    if (CORPORA / "claimpt-sample").is_dir():
        tuning, held_out = halves(read_claimpt(CORPORA / "claimpt-sample"))
        found.append(("ClaimPT tuning half (pt)", "pt", tuning))
        found.append(("ClaimPT held-out half (pt)", "pt", held_out))
    return found


def scores() -> list[tuple[str, Score, Score]]:
    """(name, score by the issue's rule, score counting the same name elsewhere) per corpus."""
    return [(name, evaluate(documents, language), evaluate(documents, language, same_name=True))
            for name, language, documents in corpora()]


def meets(score: Score) -> bool:
    precision, recall = score.overall.precision, score.recall
    return precision is not None and recall is not None and precision >= PRECISION \
        and recall >= RECALL


def errors(only: str = "", same_name: bool = True) -> dict[str, list[WrongLink]]:
    """Wrong links by rule, in the corpora whose name holds ``only``."""
    by_rule: dict[str, list[WrongLink]] = defaultdict(list)
    for name, language, documents in corpora():
        if only not in name:
            continue
        for document in documents:
            for wrong in wrong_links(document, suggest_text(document.text, language),
                                     same_name=same_name):
                by_rule[wrong.rule].append(wrong)
    return by_rule


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _point(point: Point) -> str:
    return (f"precision {_figure(point.precision)}, recall {_figure(point.recall)} "
            f"({point.correct} of {point.proposed} right, {point.found} of {point.gold} found)")


def curves() -> list[str]:
    """Readable lines: each reference's precision and recall at every claim confidence (a
    claim and its link are proposed when its confidence reaches the threshold), then the
    2-fold swap of ClaimPT's halves."""
    lines = []
    found = corpora()
    for name, language, documents in found:
        for label, same_name in (("", False), (", same name", True)):
            lines.append(f"{name}{label}, by threshold:")
            lines += [f"  >= {p.threshold:.2f}: {_point(p)}"
                      for p in curve(documents, language, same_name=same_name)]
    halves_found = [documents for name, _, documents in found if name.startswith("ClaimPT")]
    if len(halves_found) == 2:
        for label, same_name in (("", False), (", same name", True)):
            for direction, threshold, tuned, tested in two_fold(
                    halves_found[0], halves_found[1], "pt", same_name=same_name,
                    names=("tuning", "held-out")):
                lines.append(f"ClaimPT 2-fold{label}, {direction}: threshold {threshold:.2f}; "
                             f"tuned {_point(tuned)}; tested {_point(tested)}")
    return lines


def main() -> int:
    arguments = sys.argv[1:]
    if "--errors" in arguments:
        only = arguments[arguments.index("--errors") + 1] if len(arguments) > 1 else ""
        for rule, wrong in sorted(errors(only).items()):
            print(f"{rule}: {len(wrong)} wrong")
            for w in wrong:
                print(f"  {w.document} {w.kind:<9} {w.confidence:.2f} [{w.source}] "
                      f"<- {w.claim[:110]!r}")
        for label, same_name in (("same name counted", True), ("the issue's rule", False)):
            kinds = Counter(w.kind for wrong in errors(only, same_name).values() for w in wrong)
            print(f"wrong by kind, {label}: "
                  + (", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "none"))
        return 0
    for name, strict, counted in scores():
        print("\n".join(report(name, strict)))
        print("\n".join(report(f"{name}, same name elsewhere counted", counted)))
    print("\n".join(curves()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
