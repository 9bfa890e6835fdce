"""``suggest``: proposed sources, claims, links and facts for a document; ``--apply`` adds them.
``suggest-stats``: per rule, how many of its proposals analysts accepted, kept and rejected."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.context import CommandFailed, Context
from annotator.suggest import LANGUAGES, AppliedSuggestions, Suggestions, apply_suggestions
from annotator.suggest.outcomes import RuleOutcome

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
    applied = None
    if args.apply:
        mine = {(r.from_id, r.to_id, r.type)
                for r in project.relations(document_id=document.id, annotator=project.user)}
        applied = apply_suggestions(project, document.id, result, project.add_relation, mine)
    if args.json:
        value = result.as_json()
        if applied is not None:
            value["applied"] = _applied_json(applied)
        context.print_json(value)
    elif applied is not None:
        _print_applied(applied)
    else:
        _print_suggestions(result)
    if applied is not None and applied.failure:
        raise CommandFailed(f"stopped: {applied.failure} (what is listed above was added)")
    return 0


def _suggest_stats(args: argparse.Namespace, context: Context) -> int:
    outcomes = context.project.suggestion_outcomes(annotator=args.user)
    if args.json:
        context.print_json([o.as_json() for o in outcomes])
        return 0
    print(format_outcomes(outcomes), end="")
    return 0


def format_outcomes(outcomes: list[RuleOutcome]) -> str:
    """The ``suggest-stats`` table (also the README's)."""
    if not outcomes:
        return "no suggestion was accepted or rejected yet\n"
    width = max(len("rule"), *(len(o.rule) for o in outcomes))
    lines = [f"{'rule':<{width}}  decided  accepted  kept  rejected  kept rate"]
    for o in outcomes:
        lines.append(f"{o.rule:<{width}}  {o.decided:>7}  {o.accepted:>8}  {o.kept:>4}  "
                     f"{o.rejected:>8}  {o.kept_rate:>9.0%}")
    return "\n".join(lines) + "\n"


def _print_suggestions(result: Suggestions) -> None:
    for i, s in enumerate(result.annotations):
        print(f"{i:>4}  {s.label:<7} {s.start:>7}-{s.end:<7} {s.confidence:.2f}  "
              f"{s.rule:<28} {_excerpt(s.text)}")
    for r in result.relations:
        print(f"      {r.type} {r.source} -> {r.target}  ({r.rule})")
    print(f"{len(result.annotations)} annotation(s), {len(result.relations)} link(s) "
          f"proposed ({result.language})")


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
