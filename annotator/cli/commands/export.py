"""``export`` and ``import-annotations``: labeled datasets out and back in."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from annotator.cli.context import CommandFailed, Context
from annotator.errors import AnnotatorError
from annotator.formats import FORMATS
from annotator.formats.model import STATUS_CHOICES, FileRefused

if TYPE_CHECKING:
    from annotator.service.exchange import ExportResult, ImportResult

ORDER = 30

_EXPORT_EPILOG = """\
Every selected document is written, with the annotations that pass the filters (a document
with none still appears, without spans). --user, --label and --doc may repeat. --done-only keeps
documents that one of the --user annotators (or, without --user, anyone) marked done.
--split shuffles the sorted document ids with --seed and cuts them by the fractions; PATH gets
-NAME before its extension (sub-folders for brat). conll: tokens are \\w+ runs and single other
characters; sentences end after . ! ? before whitespace and at line breaks; where annotations
overlap, the label listed first in the project wins, then the longer span.
"""


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="write a labeled dataset",
        epilog=_EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--format", required=True, choices=list(FORMATS))
    export.add_argument("--out", required=True, metavar="PATH", help="file (folder for brat)")
    export.add_argument("--user", dest="users", action="append", default=[], metavar="NAME",
                        help="only this annotator's annotations (repeatable)")
    export.add_argument("--label", dest="labels", action="append", default=[], metavar="NAME",
                        help="only this label (repeatable)")
    export.add_argument("--status", choices=STATUS_CHOICES, default="any",
                        help="review status of the annotations (default any)")
    export.add_argument("--doc", dest="docs", action="append", default=[], metavar="DOC",
                        help="only this document: number, id or exact title (repeatable)")
    export.add_argument("--done-only", action="store_true",
                        help="only documents marked done (by the --user annotators, or anyone)")
    export.add_argument("--split", metavar="SPEC", help="e.g. train=0.8,dev=0.1,test=0.1")
    export.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    export.set_defaults(handler=_export, parser=export)

    imp = subparsers.add_parser(
        "import-annotations",
        help="import documents and annotations from an export (all formats but conll)",
        description="Documents are matched by id, then by their text; annotations keep their "
        "ids, so importing a file twice changes nothing. A file with any problem is refused "
        "whole.",
    )
    imp.add_argument("path", metavar="PATH", help="file (folder for brat)")
    imp.add_argument(
        "--format", required=True, choices=[name for name, f in FORMATS.items() if f.read]
    )
    imp.set_defaults(handler=_import, creates_project=True)


def _export(args: argparse.Namespace, context: Context) -> int:
    from annotator.formats.selection import ExportFilters, parse_split
    from annotator.service.exchange import export_dataset

    parser: argparse.ArgumentParser = args.parser
    split = None
    if args.split:
        try:
            split = parse_split(args.split)
        except AnnotatorError as exc:
            parser.error(str(exc))
    elif args.seed != 0:
        parser.error("--seed only makes sense with --split")
    filters = ExportFilters(
        users=tuple(args.users), labels=tuple(args.labels), status=args.status,
        documents=tuple(args.docs), done_only=args.done_only,
    )
    result = export_dataset(context.project, args.format, args.out, filters, split=split,
                            seed=args.seed)
    _print_export(result)
    return 0


def _print_export(result: ExportResult) -> None:
    for output in result.outputs:
        part = f" ({output.part})" if output.part else ""
        print(f"wrote {output.path}{part}: {output.documents} document(s), "
              f"{output.annotations} annotation(s)")
    for reason, count in sorted(result.lossy.items()):
        print(f"not as in the project: {count} {reason}")


def _import(args: argparse.Namespace, context: Context) -> int:
    from annotator.service.exchange import import_annotations

    try:
        result = import_annotations(context.project, args.path, args.format)
    except FileRefused as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CommandFailed(
            f"{args.path} refused, nothing imported: {len(exc.problems)} problem(s)"
        ) from exc
    _print_import(result)
    return 0


def _print_import(result: ImportResult) -> None:
    c = result.counts
    print(f"imported {result.path} ({result.format})")
    print(f"documents: {c.documents_matched} matched, {c.documents_created} created")
    print(f"annotations: {c.added} added, {c.updated} updated, {c.unchanged} unchanged"
          + (f", {c.kept} older than the project's (kept in history)" if c.kept else "")
          + (f", {c.folded} duplicate(s) folded" if c.folded else ""))
    if c.relations_added or c.relations_updated or c.relations_unchanged:
        print(f"relations: {c.relations_added} added, {c.relations_updated} updated, "
              f"{c.relations_unchanged} unchanged")
    if c.labels_created:
        print(f"new labels: {', '.join(c.labels_created)}")
    if c.relation_types_created:
        print(f"new relation types: {', '.join(c.relation_types_created)}")
    if c.annotators_created:
        print(f"new annotators: {', '.join(c.annotators_created)}")
    for place, count in sorted(result.read_from.items()):
        print(f"read: {count} {place}")
    for reason, count in sorted(c.notes.items()):
        print(f"note: {count} annotation(s) {reason}")
    for reason, count in sorted(c.relation_notes.items()):
        print(f"not imported: {count} {reason}")
    for reason, count in sorted(result.skipped.items()):
        print(f"not imported: {count} {reason}")
