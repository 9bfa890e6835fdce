"""``backups``: list, make and restore the automatic backups of a project file."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.context import Context

ORDER = 80


def register(subparsers: Any) -> None:
    backups = subparsers.add_parser(
        "backups", help="list (default), make or restore the project's backups"
    )
    actions = backups.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the backups, newest first")
    actions.add_parser("make", help="make a backup now")
    restore = actions.add_parser(
        "restore", help="put a backup back (the current state is backed up first)"
    )
    restore.add_argument("name", metavar="NAME", help="a name shown by: annotator backups list")
    backups.add_argument("--json", action="store_true", help="print JSON")
    backups.set_defaults(handler=_backups)


def _backups(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    if args.action == "make":
        made = project.back_up()
        print(made.path)
        return 0
    if args.action == "restore":
        saved = project.restore_backup(args.name)
        kept = f"; the state it replaced is in {saved.name}" if saved is not None else ""
        print(f"restored {args.name}{kept}")
        return 0
    found = project.backups()
    if args.json:
        context.print_json([
            {"name": b.name, "made": b.made.isoformat(), "reason": b.reason, "size": b.size}
            for b in found
        ])
        return 0
    for backup in found:
        print(f"{backup.name}\t{backup.made:%Y-%m-%d %H:%M:%S} UTC\t{backup.reason}\t{backup.size}")
    if not found:
        context.warn("no backups yet")
    return 0
