"""``annotate``, ``labels`` and ``check``: writing annotations and managing the tag set."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.context import CommandFailed, Context

ORDER = 20


def register(subparsers: Any) -> None:
    annotate = subparsers.add_parser("annotate", help="add one annotation as --user")
    annotate.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    annotate.add_argument("start", type=int, metavar="START", help="first character (from 0)")
    annotate.add_argument("end", type=int, metavar="END", help="one past the last character")
    annotate.add_argument("label", metavar="LABEL")
    annotate.add_argument("--note", metavar="TEXT")
    annotate.set_defaults(handler=_annotate)

    labels = subparsers.add_parser("labels", help="list, add, rename or remove labels")
    actions = labels.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--color", metavar="#RRGGBB", help="default: the next palette colour")
    add.add_argument("--key", metavar="K", help="shortcut key in the application")
    add.add_argument("--description", default="", metavar="TEXT")
    rename = actions.add_parser("rename", help="rename a label (its annotations follow)")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    remove = actions.add_parser("remove", help="remove an unused label")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument(
        "--force", action="store_true", help="remove it even if used, with its annotations"
    )
    labels.set_defaults(handler=_labels)

    check = subparsers.add_parser("check", help="verify the database and every annotation")
    check.add_argument(
        "--schema", action="store_true",
        help="check the annotation scheme instead: every claim has an attributed_to source, "
        "every relation connects labels its type allows",
    )
    check.set_defaults(handler=_check)


def _annotate(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.find_document(args.doc)
    print(project.add_annotation(document.id, args.start, args.end, args.label, args.note))
    return 0


def _labels(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    if args.action == "add":
        label = project.add_label(args.name, args.color, args.key, args.description)
        print(f"added {label.name} {label.color} key {label.key or '-'}")
    elif args.action == "rename":
        label = project.update_label(args.old, new_name=args.new)
        print(f"renamed {args.old} to {label.name}")
    elif args.action == "remove":
        removed = project.remove_label(args.name, force=args.force)
        extra = f" and {removed} annotation(s)" if removed else ""
        print(f"removed {args.name}{extra}")
    else:
        for label in project.labels():
            used = project.label_usage(label.name)
            line = f"{label.name:<16} {label.color}  key {label.key or '-':<3} {used:>6} used"
            print(f"{line}  {label.description}".rstrip())
    return 0


def _check(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    if args.schema:
        problems = [
            f"{label} {annotation} in document {document} ({start}-{end}) has no "
            "attributed_to source"
            for annotation, document, start, end, label in project.claims_without_source()
        ]
        problems += project.misfit_relations()
    else:
        problems = project.check()
    if problems:
        for problem in problems:
            print(problem)
        raise CommandFailed(f"{len(problems)} problem(s) found")
    print("ok")
    return 0
