"""A simulated analyst session over the seed articles, for ``suggest-stats``' figures.

The "analyst" is our careful annotation of the seed articles (tests/fixtures/suggest): each
proposal, in text order, is accepted when it matches a true span of its label (a claim
sharing at least half of the longer span's tokens with a true claim, a source or a fact
overlapping a true one: the rule the suggester is measured by) and rejected otherwise. A
proposed link goes as in the window: rejected with a rejected end; with both ends kept,
accepted (Enter accepts a claim with its link), and removed again when it is wrong by the
same rule (its claim matches a true claim and its source overlaps one of that claim's true
sources), so accepted but not kept.
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
from annotator.suggest.records import ProposedRelation, Suggestions
from annotator.suggest.scoring import Tokens, claims_match, overlaps, source_matches
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


def link_right(gold: GoldDocument, tokens: Tokens, result: Suggestions,
               link: ProposedRelation) -> bool:
    """Whether the careful analyst keeps a proposed link whose two ends they kept."""
    claim, source = result.annotations[link.source], result.annotations[link.target]
    return any(claims_match(tokens, (claim.start, claim.end), g.claim)
               and source_matches(gold.text, (source.start, source.end), g.sources)
               for g in gold.links)


def run_session(
    project: Project, documents: list[GoldDocument], labels: tuple[str, ...] = LABELS
) -> list[RuleOutcome]:
    """Decide on every proposal of ``labels`` for ``documents``, and on their links, as the
    careful analyst (the others are left undecided, as an analyst may); per-rule outcomes,
    annotations' and links', by rule then kind."""
    for gold in documents:
        document = project.add_document(gold.text, gold.name)
        tokens = Tokens(gold.text)
        result = project.suggest(document)
        kept: dict[int, str] = {}
        rejected: list[int] = []
        for i, proposal in enumerate(result.annotations):
            if proposal.label not in labels:
                continue
            if keeps(gold, tokens, proposal):
                kept[i] = project.add_annotation(
                    document, proposal.start, proposal.end, proposal.label,
                    rule=proposal.rule, confidence=proposal.confidence)
            else:
                rejected.append(i)
        for link in result.relations:
            if link.source in kept and link.target in kept:
                relation = project.add_relation(
                    kept[link.source], kept[link.target], link.type, rule=link.rule,
                    confidence=result.link_confidence(link))
                if not link_right(gold, tokens, result, link):
                    project.delete_relation(relation)
        if rejected:  # with the links proposed with them
            project.reject_suggestions(document, result, rejected)
    return sorted([*project.suggestion_outcomes(), *project.link_outcomes()],
                  key=lambda o: (o.rule, o.kind))


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
