"""``suggest``: proposed sources, claims, links and facts for a document; ``--reject`` records
the analyst's rejection of some, ``--apply`` adds the rest. ``suggest-stats``: per rule, how
many of its proposed annotations and links analysts accepted, kept and rejected."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from annotator.cli.context import CommandFailed, Context
from annotator.suggest import LANGUAGES, AppliedSuggestions, Suggestions, apply_suggestions
from annotator.suggest.outcomes import RuleOutcome
from annotator.suggest.records import ProposedRelation
from annotator.suggest.rejections import rejected_with

ORDER = 25


def register(subparsers: Any) -> None:
    suggest = subparsers.add_parser(
        "suggest", help="propose sources, claims, attributed_to links and facts for a document"
    )
    suggest.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    suggest.add_argument("--json", action="store_true", help="print a JSON object")
    suggest.add_argument(
        "--apply", action="store_true", help="add them as your annotations (not twice)"
    )
    suggest.add_argument(
        "--reject", nargs="+", metavar="N",
        help="reject the proposals numbered N (as listed, the index in --json's annotations) "
             "and the links proposed with them, as you: they are not offered to you again "
             "(with --apply, the others are added)",
    )
    suggest.add_argument(
        "--language", choices=LANGUAGES, help="the rules' language (default: guessed)"
    )
    suggest.add_argument(
        "--all", action="store_true",
        help="also what the language's claim check leaves out (Portuguese: indirect speech, "
             "opinions, nothing to check)",
    )
    suggest.set_defaults(handler=_suggest)

    stats = subparsers.add_parser(
        "suggest-stats",
        help="per suggestion rule: proposals decided, accepted, kept, rejected, kept rate",
    )
    stats.add_argument("--user", metavar="NAME", help="only this analyst's decisions")
    stats.add_argument("--json", action="store_true", help="print a JSON list")
    stats.set_defaults(handler=_suggest_stats)


def _suggest(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.find_document(args.doc)
    result = project.suggest(document.id, args.language,
                             min_confidence=0.0 if args.all else None)
    rejected: Rejected | None = None
    remaining = result
    if args.reject:
        chosen = _numbers(args.reject, len(result.annotations))
        project.reject_suggestions(document.id, result, chosen)
        rejected = Rejected(result, chosen, rejected_with(result, chosen))
        remaining = project.without_rejected(document.id, result)
    applied = None
    if args.apply:
        mine = {(r.from_id, r.to_id, r.type)
                for r in project.relations(document_id=document.id, annotator=project.user)}
        applied = apply_suggestions(project, document.id, remaining, project.add_relation,
                                    mine)
    if args.json:
        value = result.as_json()
        if rejected is not None:
            value["rejected"] = rejected.as_json()
        if applied is not None:
            value["applied"] = _applied_json(applied)
        context.print_json(value)
    else:
        if rejected is not None:
            _print_rejected(rejected)
        if applied is not None:
            _print_applied(applied)
        if rejected is None and applied is None:
            _print_suggestions(result)
    if applied is not None and applied.failure:
        raise CommandFailed(f"stopped: {applied.failure} (what is listed above was added)")
    return 0


@dataclass(frozen=True, slots=True)
class Rejected:
    """The proposals ``--reject`` named (indexes into ``result``) and the links with them."""

    result: Suggestions
    chosen: list[int]
    links: list[ProposedRelation]

    def as_json(self) -> dict[str, Any]:
        return {"annotations": [{"index": i, **self.result.annotations[i].as_json()}
                                for i in self.chosen],
                "relations": [r.as_json() for r in self.links]}


def _numbers(given: list[str], count: int) -> list[int]:
    """The proposal numbers ``--reject`` names, each checked, before anything is written."""
    bad = [n for n in given if not (n.isascii() and n.isdigit() and int(n) < count)]
    if bad:
        raise CommandFailed(
            f"no proposal numbered {', '.join(bad)}: this document has {count}, numbered "
            f"0 to {count - 1} (see annotator suggest DOC); nothing was rejected"
            if count else f"no proposal numbered {', '.join(bad)}: nothing is proposed for "
            "this document; nothing was rejected")
    return list(dict.fromkeys(int(n) for n in given))


def _suggest_stats(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    outcomes = sorted([*project.suggestion_outcomes(annotator=args.user),
                       *project.link_outcomes(annotator=args.user)],
                      key=lambda o: (o.rule, o.kind))
    if args.json:
        context.print_json([o.as_json() for o in outcomes])
        return 0
    print(format_outcomes(outcomes), end="")
    return 0


def format_outcomes(outcomes: list[RuleOutcome]) -> str:
    """The ``suggest-stats`` table (also the README's): a row per rule and kind."""
    if not outcomes:
        return "no suggestion was accepted or rejected yet\n"
    width = max(len("rule"), *(len(o.rule) for o in outcomes))
    lines = [f"{'rule':<{width}}  kind        decided  accepted  kept  rejected  kept rate"]
    for o in outcomes:
        lines.append(f"{o.rule:<{width}}  {o.kind:<10}  {o.decided:>7}  {o.accepted:>8}  "
                     f"{o.kept:>4}  {o.rejected:>8}  {o.kept_rate:>9.0%}")
    return "\n".join(lines) + "\n"


def _print_suggestions(result: Suggestions) -> None:
    for i, s in enumerate(result.annotations):
        print(f"{i:>4}  {s.label:<7} {s.start:>7}-{s.end:<7} {s.confidence:.2f}  "
              f"{s.rule:<28} {_excerpt(s.text)}")
    for r in result.relations:
        print(f"      {r.type} {r.source} -> {r.target}  ({r.rule})")
    print(f"{len(result.annotations)} annotation(s), {len(result.relations)} link(s) "
          f"proposed ({result.language})")


def _print_rejected(rejected: Rejected) -> None:
    for i in rejected.chosen:
        s = rejected.result.annotations[i]
        print(f"rejected {i}  {s.label:<7} {s.start}-{s.end}  {s.rule}  {_excerpt(s.text)}")
    for r in rejected.links:
        print(f"rejected link {r.type} {r.source} -> {r.target}  ({r.rule})")
    print(f"{len(rejected.chosen)} proposal(s) and {len(rejected.links)} link(s) rejected; "
          "they are not proposed to you again")


def _print_applied(applied: AppliedSuggestions) -> None:
    for s, annotation_id in applied.added:
        print(f"added {annotation_id}  {s.label:<7} {s.start}-{s.end}  {s.rule}  "
              f"{_excerpt(s.text)}")
    for link in applied.links_added:
        print(f"linked {link[0]} {link[2]} {link[1]}")
    print(f"{len(applied.added)} annotation(s) added, {len(applied.existing)} already there; "
          f"{len(applied.links_added)} link(s) added, {applied.links_existing} already there")
    if applied.links_not_written:
        print(f"{applied.links_not_written} link(s) not added: this project cannot hold "
              "relations yet")


def _applied_json(applied: AppliedSuggestions) -> dict[str, Any]:
    return {
        "added": [{"id": i, **s.as_json()} for s, i in applied.added],
        "existing": [{"id": i, **s.as_json()} for s, i in applied.existing],
        "links_added": [{"type": t, "from": a, "to": b} for a, b, t in applied.links_added],
        "links_existing": applied.links_existing,
        "links_not_written": applied.links_not_written,
        "failure": applied.failure,
    }


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
