"""The suggester measured against careful annotations: reading them, halving them, scoring.

Two references are read (neither is shipped; callers pass where they are):

- our annotation of the seed articles (``tests/fixtures/suggest/seeds_gold.json``: offsets,
  labels and links of texts kept elsewhere, each checked by SHA-256);
- the ClaimPT sample (``annotations.jsonl`` and ``news_articles/``): Portuguese news with
  check-worthy claims in direct speech and their claimers, code point offsets.

:func:`halves` splits a corpus by document into a tuning half and a held-out half, so rules
tuned on one can be reported on the other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.suggest.records import ATTRIBUTED_TO, Suggestions
from annotator.suggest.rules import suggest_text
from annotator.suggest.scoring import (
    GoldLink,
    Score,
    Span,
    Tokens,
    claims_match,
    score_links,
    source_matches,
)


@dataclass(frozen=True)
class GoldDocument:
    """One text and its true links (and facts, where the reference marks them)."""

    name: str
    text: str
    links: tuple[GoldLink, ...]
    facts: tuple[Span, ...] = ()
    # Quotations the reference marks as not being claims (ClaimPT's non-claims).
    unattributed: tuple[Span, ...] = ()


def read_seeds(fixture: Path, corpora: Path) -> list[GoldDocument]:
    """Our seed article annotations; each text is read from ``corpora`` and checked."""
    entries = json.loads(fixture.read_text(encoding="utf-8"))["documents"]
    documents = []
    for entry in entries:
        text = (corpora / entry["file"]).read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["sha256"]:
            raise ValueError(f"{entry['file']} is not the text the fixture was made on")
        spans = entry["annotations"]
        links = tuple(
            GoldLink((spans[r["from"]]["start"], spans[r["from"]]["end"]),
                     ((spans[r["to"]]["start"], spans[r["to"]]["end"]),))
            for r in entry["relations"]
        )
        facts = tuple((s["start"], s["end"]) for s in spans if s["label"] == "fact")
        documents.append(GoldDocument(entry["file"], text, links, facts))
    return documents


def read_claimpt(folder: Path) -> list[GoldDocument]:
    """ClaimPT's ``annotations.jsonl``: a claim with claimers is a link to each mention."""
    documents = []
    with (folder / "annotations.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = (folder / "news_articles" / record["document"]).read_text(encoding="utf-8")
            links, unattributed = [], []
            for item in record["items"]:
                claim = (item["begin_character"], item["end_character"])
                claimers = item.get("claimer") or []
                if isinstance(claimers, dict):
                    claimers = [claimers]
                if item["claim"] and claimers:
                    links.append(GoldLink(claim, tuple((c["begin"], c["end"]) for c in claimers)))
                else:
                    unattributed.append(claim)
            documents.append(GoldDocument(record["document"], text, tuple(links),
                                          unattributed=tuple(unattributed)))
    return documents


def halves(documents: Iterable[GoldDocument]) -> tuple[list[GoldDocument], list[GoldDocument]]:
    """(tuning, held-out): documents sorted by name, alternately one to each half."""
    ordered = sorted(documents, key=lambda d: d.name)
    return ordered[0::2], ordered[1::2]


Suggest = Callable[[str, str], Suggestions]


def evaluate(documents: Sequence[GoldDocument], language: str, *, same_name: bool = False,
             suggest: Suggest = suggest_text) -> Score:
    """Links proposed for every document scored against its true links, summed."""
    total = Score()
    for document in documents:
        result = suggest(document.text, language)
        total.add(score_links(document.text, result, document.links, same_name=same_name))
    return total


@dataclass(frozen=True)
class WrongLink:
    """A proposed link that matched no true link, and why it may have been proposed."""

    document: str
    rule: str
    confidence: float
    source: str
    claim: str
    # "non-claim": the reference marks the passage as no claim; "source": the claim is
    # true but the source is another; "unmarked": the reference marks nothing there.
    kind: str


def wrong_links(document: GoldDocument, result: Suggestions, *,
                same_name: bool = False) -> list[WrongLink]:
    """Every proposed ``attributed_to`` link of ``result`` that no true link matches."""
    text, tokens = document.text, Tokens(document.text)
    wrong = []
    for link in result.relations:
        if link.type != ATTRIBUTED_TO:
            continue
        claim, source = result.annotations[link.source], result.annotations[link.target]
        span = (claim.start, claim.end)
        true_claims = [g for g in document.links if claims_match(tokens, span, g.claim)]
        if any(source_matches(text, (source.start, source.end), g.sources, same_name)
               for g in true_claims):
            continue
        kind = ("source" if true_claims else "non-claim" if any(
            claims_match(tokens, span, u) for u in document.unattributed) else "unmarked")
        wrong.append(WrongLink(document.name, link.rule, claim.confidence, source.text,
                               claim.text, kind))
    return wrong


def report(name: str, score: Score, what: str = "links") -> list[str]:
    """Readable lines: the overall figures, then right / proposed per rule."""
    precision, recall = score.overall.precision, score.recall
    lines = [f"{name}: {what} precision {_figure(precision)}, recall {_figure(recall)} "
             f"({score.overall.correct} of {score.overall.proposed} proposed right, "
             f"{score.found} of {score.gold} found)"]
    lines += [f"  {rule}: {t.correct} / {t.proposed}" for rule, t in sorted(score.rules.items())]
    return lines


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
