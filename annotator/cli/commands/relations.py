"""``relate``, ``relations`` and ``relation-types``: who said it, claim -> source links."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.context import Context
from annotator.records import RelationRecord

ORDER = 25


def register(subparsers: Any) -> None:
    relate = subparsers.add_parser(
        "relate", help="link two annotations (e.g. a claim to its source); prints the id"
    )
    relate.add_argument("from_id", metavar="FROM_ID", help="annotation the link starts at")
    relate.add_argument("to_id", metavar="TO_ID", help="annotation the link points to")
    relate.add_argument("type", metavar="TYPE", help="relation type, e.g. attributed_to")
    relate.set_defaults(handler=_relate)

    relations = subparsers.add_parser("relations", help="list a document's relations")
    relations.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    relations.add_argument("--json", action="store_true", help="print a JSON array")
    relations.set_defaults(handler=_relations)

    types = subparsers.add_parser(
        "relation-types", help="list, add, change, rename or remove relation types"
    )
    actions = types.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a relation type")
    add.add_argument("name", metavar="NAME")
    _label_options(add)
    add.add_argument("--description", default="", metavar="TEXT")
    change = actions.add_parser("change", help="change the labels a type connects")
    change.add_argument("name", metavar="NAME")
    _label_options(change)
    change.add_argument("--description", metavar="TEXT")
    rename = actions.add_parser("rename", help="rename a relation type (its relations follow)")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    remove = actions.add_parser("remove", help="remove an unused relation type")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument(
        "--force", action="store_true", help="remove it even if used, with its relations"
    )
    types.add_argument("--json", action="store_true", help="print the list as JSON")
    types.set_defaults(handler=_relation_types)


def _label_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="from_labels", action="append", metavar="LABEL",
                        help="a label the link may start at (repeatable; default: any)")
    parser.add_argument("--to", dest="to_labels", action="append", metavar="LABEL",
                        help="a label the link may point to (repeatable; default: any)")


def relation_json(relation: RelationRecord) -> dict[str, str]:
    """How the command line shows a relation (``relations --json``, ``show --json``)."""
    return {"id": relation.id, "type": relation.type, "from": relation.from_id,
            "to": relation.to_id, "annotator": relation.annotator}


def _relate(args: argparse.Namespace, context: Context) -> int:
    print(context.project.add_relation(args.from_id, args.to_id, args.type))
    return 0


def _relations(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.find_document(args.doc)
    relations = project.relations(document_id=document.id)
    if args.json:
        context.print_json([relation_json(r) for r in relations])
        return 0
    print(f"{len(relations)} relation(s)")
    for r in relations:
        print(f"{r.id}  {r.from_id} -{r.type}-> {r.to_id}  {r.annotator}")
    return 0


def _relation_types(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    if args.action == "add":
        kind = project.add_relation_type(args.name, args.from_labels or (),
                                         args.to_labels or (), args.description)
        print(f"added {kind.name}: {_ends(kind.from_labels)} -> {_ends(kind.to_labels)}")
    elif args.action == "change":
        kind = project.update_relation_type(
            args.name, from_labels=args.from_labels, to_labels=args.to_labels,
            description=args.description,
        )
        print(f"changed {kind.name}: {_ends(kind.from_labels)} -> {_ends(kind.to_labels)}")
    elif args.action == "rename":
        kind = project.update_relation_type(args.old, new_name=args.new)
        print(f"renamed {args.old} to {kind.name}")
    elif args.action == "remove":
        removed = project.remove_relation_type(args.name, force=args.force)
        extra = f" and {removed} relation(s)" if removed else ""
        print(f"removed {args.name}{extra}")
    elif args.json:
        context.print_json([
            {"name": k.name, "from_labels": list(k.from_labels), "to_labels": list(k.to_labels),
             "description": k.description, "used": project.relation_type_usage(k.name)}
            for k in project.relation_types()
        ])
    else:
        for kind in project.relation_types():
            used = project.relation_type_usage(kind.name)
            line = (f"{kind.name:<16} {_ends(kind.from_labels)} -> {_ends(kind.to_labels)}"
                    f"  {used:>6} used")
            print(f"{line}  {kind.description}".rstrip())
    return 0


def _ends(labels: tuple[str, ...]) -> str:
    return "|".join(labels) or "any"
