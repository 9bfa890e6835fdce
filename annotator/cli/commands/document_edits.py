"""``rename``, ``delete-document`` and ``restore-document``: fixing or removing a document."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.context import Context
from annotator.cli.printable import printable

ORDER = 11


def register(subparsers: Any) -> None:
    rename = subparsers.add_parser("rename", help="give a document a new title")
    rename.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    rename.add_argument("title", metavar="TITLE", help="the new title")
    rename.set_defaults(handler=_rename)

    delete = subparsers.add_parser(
        "delete-document",
        help="delete a document with its annotations (kept, so restore-document brings "
             "them back)",
    )
    delete.add_argument("doc", metavar="DOC", help="short number, uuid or exact title")
    delete.set_defaults(handler=_delete)

    restore = subparsers.add_parser("restore-document", help="bring a deleted document back")
    restore.add_argument("doc", metavar="DOC",
                         help="short number, uuid or exact title (see: docs --deleted)")
    restore.set_defaults(handler=_restore)


def _rename(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.find_document(args.doc)
    before = project.rename_document(document.id, args.title)
    after = project.find_document(document.id).title
    print(printable(f"renamed {before!r} to {after!r}"))
    return 0


def _delete(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.delete_document(project.find_document(args.doc).id)
    print(printable(
        f"deleted {document.title!r}: hid {document.annotations} annotation(s); "
        f"annotator restore-document {document.id} brings it back"
    ))
    return 0


def _restore(args: argparse.Namespace, context: Context) -> int:
    project = context.project
    document = project.restore_document(project.find_document(args.doc, deleted=True).id)
    print(printable(
        f"restored {document.title!r} with {document.annotations} annotation(s)"
    ))
    return 0
