"""A simulated analyst session over the seed articles, for ``suggest-stats``' figures.

The "analyst" is our careful annotation of the seed articles (tests/fixtures/suggest): each
proposal, in text order, is accepted when it matches a true span of its label (a claim
sharing at least half of the longer span's tokens with a true claim, a source or a fact
overlapping a true one: the rule the suggester is measured by) and rejected otherwise.
Nobody sat at the window: the figures say how often a careful analyst *would* keep each
rule's proposals. ``python -m tests.core.suggest_session`` prints the table in the README.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import annotator
from annotator import Project
from annotator.cli.commands.suggest import format_outcomes
from annotator.suggest import Suggestion
from annotator.suggest.outcomes import RuleOutcome
from annotator.suggest.scoring import Tokens, claims_match, overlaps
from tests.core.suggest_corpora import GoldDocument, claimpt_documents, seed_documents

LABELS = ("claim", "source", "fact")


def _true_spans(gold: GoldDocument) -> dict[str, list[tuple[int, int]]]:
    return {
        "claim": [link.claim for link in gold.links],
        "source": [source for link in gold.links for source in link.sources],
        "fact": list(gold.facts),
    }


def keeps(gold: GoldDocument, tokens: Tokens, proposal: Suggestion) -> bool:
    """Whether the careful analyst keeps ``proposal``."""
    span = (proposal.start, proposal.end)
    true = _true_spans(gold).get(proposal.label, [])
    if proposal.label == "claim":
        return any(claims_match(tokens, span, t) for t in true)
    return any(overlaps(span, t) for t in true)


def run_session(
    project: Project, documents: list[GoldDocument], labels: tuple[str, ...] = LABELS
) -> list[RuleOutcome]:
    """Decide on every proposal of ``labels`` for ``documents`` as the careful analyst (the
    others are left undecided, as an analyst may); per-rule outcomes."""
    for gold in documents:
        document = project.add_document(gold.text, gold.name)
        tokens = Tokens(gold.text)
        for proposal in project.suggest(document).annotations:
            if proposal.label not in labels:
                continue
            if keeps(gold, tokens, proposal):
                project.add_annotation(document, proposal.start, proposal.end, proposal.label,
                                       rule=proposal.rule, confidence=proposal.confidence)
            else:
                project.reject_suggestion(document, proposal)
    return project.suggestion_outcomes()


def main() -> int:
    corpora = (("seed articles (en), every label", seed_documents(), LABELS),
               # ClaimPT marks claims and their claimers, no facts.
               ("ClaimPT sample (pt), claims and sources", claimpt_documents(),
                ("claim", "source")))
    for title, documents, labels in corpora:
        with tempfile.TemporaryDirectory() as folder, annotator.open_project(
                Path(folder) / "session.db", user="analyst") as project:
            print(f"{title}:")
            print(format_outcomes(run_session(project, documents, labels)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
