"""The careful annotations the suggester is measured against, read from ../shared/corpora.

The seed articles' annotations are ours (tests/fixtures/suggest/seeds_gold.json, offsets and
labels only; the texts stay in ../shared and are checked by SHA-256). ClaimPT's sample is
read in place (CC BY-NC-ND: never copied into this repository).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from annotator.suggest.scoring import GoldLink, Span

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS_GOLD = ROOT / "tests" / "fixtures" / "suggest" / "seeds_gold.json"
CLAIMPT = CORPORA / "claimpt-sample"


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    links: tuple[GoldLink, ...]
    facts: tuple[Span, ...]
    # Quotations the corpus marks as not being claims (ClaimPT's non-claims): no claimer given.
    unattributed: tuple[Span, ...] = ()


def seed_documents() -> list[GoldDocument]:
    fixture = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    documents = []
    for entry in fixture["documents"]:
        text = (CORPORA / entry["file"]).read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["sha256"]:
            raise AssertionError(f"{entry['file']} is not the text the fixture was made on")
        spans = entry["annotations"]
        links = tuple(
            GoldLink((spans[r["from"]]["start"], spans[r["from"]]["end"]),
                     ((spans[r["to"]]["start"], spans[r["to"]]["end"]),))
            for r in entry["relations"]
        )
        facts = tuple((s["start"], s["end"]) for s in spans if s["label"] == "fact")
        documents.append(GoldDocument(entry["file"], text, links, facts))
    return documents


def claimpt_documents() -> list[GoldDocument]:
    documents = []
    with (CLAIMPT / "annotations.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = (CLAIMPT / "news_articles" / record["document"]).read_text(encoding="utf-8")
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
            documents.append(GoldDocument(record["document"], text, tuple(links), (),
                                          tuple(unattributed)))
    return documents
