"""``init``, ``import``, ``docs`` and ``show``: the project and its documents."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.cli.commands.relations import relation_json
from annotator.cli.context import Context
from annotator.cli.printable import printable
from annotator.records import STATUSES, FileOutcome

ORDER = 10


def register(subparsers: Any) -> None:
    init = subparsers.add_parser("init", help="create the project if missing; print its location")
    init.set_defaults(handler=_init, creates_project=True)

    imp = subparsers.add_parser("import", help="import document files and folders")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    imp.add_argument(
        "--max-size", type=float, default=50, metavar="MB", help="refuse larger files (default 50)"
    )
    imp.set_defaults(handler=_import, creates_project=True)

    docs = subparsers.add_parser("docs", help="list the documents")
    docs.add_argument("--json", action="store_true", help="print a JSON array")
    docs.add_argument("--deleted", action="store_true",
                      help="list the deleted documents instead (see restore-document)")
    docs.set_defaults(handler=_docs)

    show = subparsers.add_parser("show", help="print a document's text and its annotations")
    show.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(handler=_show)

    status = subparsers.add_parser("status", help="show or set your status of a document")
    status.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    status.add_argument(
        "value", nargs="?", choices=STATUSES, metavar="STATUS", help="new, in_progress or done"
    )
    status.set_defaults(handler=_status)


def _init(_args: argparse.Namespace, context: Context) -> int:
    print(context.project.location)
    return 0


def _status(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.find_document(args.doc)
    if args.value is not None:
        project.set_status(document.id, args.value)
    print(project.status(document.id))
    return 0


def _import(args: argparse.Namespace, context: Context) -> int:
    if args.max_size <= 0:
        raise SystemExit(_usage("--max-size must be positive"))
    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int, current: str) -> None:
        if show_progress and current:
            shown = printable(current)
            print(f"\r[{done + 1}/{total}] {shown}\x1b[K", end="", file=sys.stderr, flush=True)

    report = context.project.import_paths(
        args.paths, progress, size_limit=int(args.max_size * 1024 * 1024)
    )
    if show_progress:
        print("\r\x1b[K", end="", file=sys.stderr)
    for outcome in report.files:
        print(_outcome_line(outcome))
    documents = len(report.document_ids)
    print(
        f"{report.imported} file(s) imported ({documents} document(s)), "
        f"{report.skipped} skipped, {report.failed} failed"
    )
    if report.nothing_readable:
        context.warn("annotator: nothing imported: every file found was a link, a pipe or a "
                     "device, which are never read (name a linked file to import it)")
        return 1
    return 1 if report.failed else 0


def _outcome_line(outcome: FileOutcome) -> str:
    line = f"{outcome.outcome:<9} {outcome.path}"
    if outcome.outcome == "imported" and len(outcome.document_ids) != 1:
        line += f" ({len(outcome.document_ids)} documents)"
    if outcome.reason:
        line += f": {outcome.reason}"
    return printable(line)


def _docs(args: argparse.Namespace, context: Context) -> int:
    documents = context.project.documents(deleted=args.deleted)
    if args.json:
        context.print_json(
            [
                {
                    "number": d.number,
                    "id": d.id,
                    "title": d.title,
                    "chars": d.chars,
                    "annotations": d.annotations,
                    "status": d.status,
                }
                for d in documents
            ]
        )
        return 0
    if not documents:
        print("no deleted documents" if args.deleted
              else "no documents yet; add some with: annotator import PATH...")
        return 0
    rows: list[tuple[str, ...]] = [("#", "ID", "TITLE", "CHARS", "ANNOTATIONS", "STATUS")]
    rows += [
        (str(d.number), d.id, _clip(d.title, 48), str(d.chars), str(d.annotations), d.status)
        for d in documents
    ]
    print(_table(rows, right_aligned={0, 3, 4}))
    return 0


def _show(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    info = project.find_document(args.doc)
    document = project.document(info.id)
    annotations = project.annotations(document_id=info.id)
    if args.json:
        context.print_json(
            {
                "id": document.id,
                "title": document.title,
                "text": document.text,
                "annotations": [
                    {
                        "id": a.id,
                        "start": a.start,
                        "end": a.end,
                        "label": a.label,
                        "text": document.text[a.start : a.end],
                        "annotator": a.annotator,
                        "note": a.note,
                    }
                    for a in annotations
                ],
                "relations": [relation_json(r) for r in project.relations(document_id=info.id)],
            }
        )
        return 0
    print(f"# {document.number}  {document.title}  ({document.id})")
    print()
    print(document.text)
    print()
    print(f"{len(annotations)} annotation(s)")
    for a in annotations:
        passage = _clip(document.text[a.start : a.end].replace("\n", " "), 60)
        note = f"  note: {a.note}" if a.note else ""
        print(f"{a.id}  {a.start}-{a.end}  {a.label}  {a.annotator}  \u201c{passage}\u201d{note}")
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _table(rows: list[tuple[str, ...]], right_aligned: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right_aligned else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _usage(message: str) -> int:
    print(f"annotator: error: {message}", file=sys.stderr)
    return 2
