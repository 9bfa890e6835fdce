"""``bundle``, ``merge``, ``review``, ``agreement`` and ``curate``: working with colleagues.

The global ``--user`` (before the command) is who you are; the commands' own ``--user``
options name colleagues.
"""

from __future__ import annotations

import argparse
from typing import Any

from annotator.agreement import format_table
from annotator.cli.context import CommandFailed, Context
from annotator.review_records import Disagreement

ORDER = 40


def register(subparsers: Any) -> None:
    bundle = subparsers.add_parser(
        "bundle", help="write your project's work to a zip for a colleague"
    )
    bundle.add_argument("--out", required=True, metavar="FILE.zip", help="the bundle to write")
    bundle.add_argument(
        "--user", dest="users", action="append", metavar="NAME",
        help="only this annotator's work (repeatable; default: everybody's)",
    )
    bundle.set_defaults(handler=_bundle)

    merge = subparsers.add_parser(
        "merge", help="merge a colleague's bundle or project file into this project"
    )
    merge.add_argument("source", metavar="SOURCE", help="a bundle (.zip) or a project file")
    merge.add_argument("--json", action="store_true", help="print the counts as JSON")
    merge.set_defaults(handler=_merge, creates_project=True)

    review = subparsers.add_parser(
        "review", help="review a colleague's annotations (summary, or accept matching ones)"
    )
    review.add_argument("--user", dest="colleague", required=True, metavar="COLLEAGUE")
    review.add_argument(
        "--accept-all-matching", action="store_true",
        help="accept each of their annotations identical (span and label) to one of yours",
    )
    review.add_argument(
        "--to-gold", action="store_true", help="also copy what you accept to the gold layer"
    )
    review.add_argument("--json", action="store_true", help="print the counts as JSON")
    review.set_defaults(handler=_review)

    agreement = subparsers.add_parser(
        "agreement", help="inter-annotator agreement (kappa, alpha, span F1)"
    )
    agreement.add_argument(
        "--users", nargs="+", metavar="NAME",
        help="who to compare (default: everyone but gold with annotations in the documents)",
    )
    agreement.add_argument("--label", dest="labels", action="append", metavar="NAME",
                           help="only this label (repeatable; default: all)")
    agreement.add_argument("--doc", dest="docs", action="append", metavar="DOC",
                           help="only this document: number, id or title (repeatable)")
    agreement.add_argument(
        "--all-docs", action="store_true",
        help="every document, not only those all compared users marked done",
    )
    agreement.add_argument(
        "--with-suggester", action="store_true",
        help="also compare the rule-based suggester, as a virtual annotator named 'suggester' "
             "who annotated every compared document, with each analyst",
    )
    agreement.add_argument("--json", action="store_true", help="print the JSON report")
    agreement.set_defaults(handler=_agreement)

    curate = subparsers.add_parser(
        "curate", help="list where annotators disagree; optionally settle them into gold"
    )
    curate.add_argument("--doc", dest="docs", action="append", metavar="DOC",
                        help="only this document (repeatable; default: all)")
    curate.add_argument("--users", nargs="+", metavar="NAME",
                        help="who to compare (default: everyone but gold)")
    curate.add_argument("--all", dest="include_resolved", action="store_true",
                        help="also list disagreements already settled")
    curate.add_argument("--resolve-with", metavar="NAME",
                        help="settle every open disagreement listed with NAME's version")
    curate.add_argument("--json", action="store_true", help="print a JSON array")
    curate.set_defaults(handler=_curate)


def _bundle(args: argparse.Namespace, context: Context) -> int:
    summary = context.project.bundle(args.out, args.users)
    whose = "everybody's work" if summary.users is None else ", ".join(summary.users)
    print(
        f"wrote {summary.path} ({whose}): {summary.documents} document(s), "
        f"{summary.annotations} annotation(s), {summary.statuses} status(es), "
        f"{summary.reviews} review(s), {summary.relations} relation(s)"
    )
    return 0


def _merge(args: argparse.Namespace, context: Context) -> int:
    report = context.project.merge(args.source)
    if args.json:
        context.print_json({
            "source": report.source, "kind": report.kind,
            "documents_added": report.documents_added,
            "documents_matched": report.documents_matched,
            "annotations_added": report.annotations_added,
            "annotations_updated": report.annotations_updated,
            "annotations_unchanged": report.annotations_unchanged,
            "annotations_conflicting": report.annotations_conflicting,
            "deletions": report.deletions, "reviews_added": report.reviews_added,
            "statuses_updated": report.statuses_updated,
            "labels_added": list(report.labels_added),
            "relations_added": report.relations_added,
            "relations_updated": report.relations_updated,
            "relations_unchanged": report.relations_unchanged,
            "relations_conflicting": report.relations_conflicting,
            "relation_types_added": list(report.relation_types_added),
        })
    else:
        print(f"merged {report.kind} {report.source}")
        for line in report.lines():
            print(line)
    return 0


def _review(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    if args.accept_all_matching:
        match = project.accept_all_matching(args.colleague, to_gold=args.to_gold)
        if args.json:
            context.print_json({
                "matched_accepted": match.accepted, "already_reviewed": match.already_reviewed,
                "unmatched": match.unmatched, "copied_to_gold": match.copied_to_gold,
            })
            return 0
        print(f"matched & accepted: {match.accepted}")
        print(f"already reviewed: {match.already_reviewed}")
        print(f"unmatched: {match.unmatched}")
        if args.to_gold:
            print(f"copied to gold: {match.copied_to_gold}")
        return 0
    if args.to_gold:
        raise CommandFailed("--to-gold goes with --accept-all-matching")
    summary = project.review_summary(args.colleague)
    if args.json:
        context.print_json({
            "colleague": summary.colleague, "reviewer": summary.reviewer,
            "total": summary.total, "accepted": summary.accepted,
            "rejected": summary.rejected, "commented": summary.commented,
            "not_reviewed": summary.not_reviewed, "status": dict(summary.status),
        })
        return 0
    reviewed = summary.accepted + summary.rejected
    print(f"{summary.colleague}: {summary.total} annotation(s); reviewed by {summary.reviewer}: "
          f"{reviewed}, not yet: {summary.total - reviewed}")
    print(f"  accepted by you: {summary.accepted}")
    print(f"  rejected by you: {summary.rejected}")
    print(f"  only commented by you: {summary.commented}")
    print(f"  not reviewed by you: {summary.not_reviewed}")
    print("status (latest verdict by anyone): "
          + ", ".join(f"{name} {n}" for name, n in summary.status.items()))
    return 0


def _agreement(args: argparse.Namespace, context: Context) -> int:
    report = context.project.agreement(
        args.users, args.labels, args.docs, all_docs=args.all_docs,
        with_suggester=args.with_suggester,
    )
    if args.json:
        context.print_json(report.to_json())
    else:
        print(format_table(report), end="")
    return 0


def _curate(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    if args.docs:
        documents = [project.find_document(ref) for ref in dict.fromkeys(args.docs)]
    else:
        documents = project.documents()
    found: list[tuple[int, Disagreement]] = []
    for document in documents:
        for item in project.disagreements(
            document.id, args.users, include_resolved=args.include_resolved
        ):
            found.append((document.number, item))
    if args.resolve_with:
        settled = 0
        for _number, item in found:
            if item.resolution is None:
                if args.resolve_with not in item.versions:
                    raise CommandFailed(f"{args.resolve_with} is not one of the compared users")
                project.resolve_disagreement(item, user=args.resolve_with)
                settled += 1
        print(f"settled {settled} disagreement(s) with {args.resolve_with}'s version")
        return 0
    if args.json:
        context.print_json([_disagreement_json(number, d) for number, d in found])
        return 0
    for number, d in found:
        state = f" [{d.resolution}]" if d.resolution else ""
        print(f"doc {number} {d.start}-{d.end} {d.kind}{state}")
        for user, spans in d.versions.items():
            shown = "; ".join(f"{a.start}-{a.end} {a.label}" for a in spans) or "(nothing)"
            print(f"  {user}: {shown}")
    print(f"{len(found)} disagreement(s)")
    return 0


def _disagreement_json(number: int, d: Disagreement) -> dict[str, Any]:
    return {
        "document": number, "document_id": d.document_id, "key": d.key, "start": d.start,
        "end": d.end, "kind": d.kind, "resolution": d.resolution,
        "versions": {
            user: [{"id": a.id, "start": a.start, "end": a.end, "label": a.label} for a in spans]
            for user, spans in d.versions.items()
        },
        "gold": [{"id": a.id, "start": a.start, "end": a.end, "label": a.label} for a in d.gold],
    }
