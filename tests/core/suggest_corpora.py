"""Where the careful annotations the suggester is measured against live (../shared/corpora).

The seed articles' annotations are ours (tests/fixtures/suggest/seeds_gold.json, offsets and
labels only; the texts stay in ../shared and are checked by SHA-256). ClaimPT's sample is
read in place (CC BY-NC-ND: never copied into this repository). Reading them is
``annotator.suggest.evaluation``'s job.
"""

from __future__ import annotations

from pathlib import Path

from annotator.suggest.evaluation import GoldDocument, read_claimpt, read_seeds

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS_GOLD = ROOT / "tests" / "fixtures" / "suggest" / "seeds_gold.json"
CLAIMPT = CORPORA / "claimpt-sample"


def seed_documents() -> list[GoldDocument]:
    return read_seeds(SEEDS_GOLD, CORPORA)


def claimpt_documents() -> list[GoldDocument]:
    return read_claimpt(CLAIMPT)
