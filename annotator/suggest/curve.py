"""Precision and recall at each confidence threshold, and a threshold chosen on one half.

A claim (with its link) is proposed by default when its confidence reaches the language's
``min_confidence``. :func:`curve` scores every threshold at once from one pass at
``min_confidence=0``; :func:`choose` picks a threshold on tuning documents only, so it can be
tested on others (:func:`two_fold`: tune on each half, test on the other).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.suggest.evaluation import GoldDocument, Suggest
from annotator.suggest.records import ATTRIBUTED_TO, Suggestions
from annotator.suggest.rules import suggest_text
from annotator.suggest.scoring import Score, score_links


@dataclass(frozen=True, slots=True)
class Point:
    """Links scored with every claim under ``threshold`` left out."""

    threshold: float
    proposed: int
    correct: int
    found: int
    gold: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None


def above(result: Suggestions, threshold: float) -> Suggestions:
    """``result``'s links whose claim reaches ``threshold`` (what ``suggest_text`` proposes
    with ``min_confidence=threshold``, as far as links go)."""
    kept = tuple(r for r in result.relations if r.type != ATTRIBUTED_TO
                 or result.annotations[r.source].confidence >= threshold)
    return Suggestions(result.language, result.annotations, kept)


def curve(documents: Sequence[GoldDocument], language: str, *, same_name: bool = False,
          suggest: Suggest | None = None) -> list[Point]:
    """One point per distinct claim confidence of the links proposed (highest first)."""
    run = suggest or (lambda text, lang: suggest_text(text, lang, min_confidence=0))
    results = [(document, run(document.text, language)) for document in documents]
    levels = sorted({result.annotations[r.source].confidence for _, result in results
                     for r in result.relations if r.type == ATTRIBUTED_TO}, reverse=True)
    points = []
    for level in levels:
        total = Score()
        for document, result in results:
            total.add(score_links(document.text, above(result, level), document.links,
                                  same_name=same_name))
        points.append(Point(level, total.overall.proposed, total.overall.correct, total.found,
                            total.gold))
    return points


def choose(points: Sequence[Point], precision: float = 0.8) -> float:
    """The lowest threshold whose precision reaches ``precision`` (the most recall at that
    precision); when none does, the one with the best F0.5 (precision weighted twice)."""
    reaching = [p for p in points if p.precision is not None and p.precision >= precision]
    if reaching:
        return min(p.threshold for p in reaching)
    return max(points, key=lambda p: (_f_half(p), p.threshold)).threshold if points else 0.0


def _f_half(point: Point) -> float:
    p, r = point.precision or 0.0, point.recall or 0.0
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def at(points: Sequence[Point], threshold: float, gold: int) -> Point:
    """What ``threshold`` proposes: the lowest level of ``points`` reaching it, or nothing
    (of ``gold`` true links) when every level is under it."""
    reached = [p for p in points if p.threshold >= threshold]
    if not reached:
        return Point(threshold, 0, 0, 0, gold)
    return min(reached, key=lambda p: p.threshold)


def two_fold(first: Sequence[GoldDocument], second: Sequence[GoldDocument], language: str, *,
             precision: float = 0.8, same_name: bool = False,
             names: tuple[str, str] = ("first", "second"),
             ) -> list[tuple[str, float, Point, Point]]:
    """Tune the threshold on each half and test it on the other: (direction, threshold,
    point on the half it was chosen on, point on the other half), both directions."""
    halves = (first, second)
    curves = [curve(half, language, same_name=same_name) for half in halves]
    golds = [sum(len(d.links) for d in half) for half in halves]
    rows = []
    for tune, test in ((0, 1), (1, 0)):
        threshold = choose(curves[tune], precision)
        rows.append((f"tuned on {names[tune]}, tested on {names[test]}", threshold,
                     at(curves[tune], threshold, golds[tune]),
                     at(curves[test], threshold, golds[test])))
    return rows
