"""The ``annotator`` command line.

``annotator [--project PATH_OR_URL] [--user NAME] COMMAND ...``; with no command it opens
the GUI on the project. Exit codes: 0 success, 1 failure (one line on stderr, never a
traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys
import threading
from collections.abc import Sequence
from importlib.metadata import entry_points, version

from annotator.cli import commands
from annotator.cli.context import CommandFailed, Context
from annotator.cli.printable import printable
from annotator.environment import PROJECT_ENV, USER_ENV
from annotator.errors import AnnotatorError

GUI_ENTRY_POINTS = "annotator.gui"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Highlight and tag claims, sources and facts in documents; "
        "export labeled datasets. With no command, opens the application.",
    )
    parser.add_argument(
        "--project",
        metavar="PATH_OR_URL",
        help=f"project file or SQLAlchemy URL (default: ${PROJECT_ENV}, "
        "else the default project in your data folder)",
    )
    parser.add_argument(
        "--user", metavar="NAME", help=f"who you are (default: ${USER_ENV}, else your login name)"
    )
    parser.add_argument(
        "--read-only", action="store_true",
        help="open the project only to read it: every change is refused (a project whose "
        "file or folder cannot be written opens read-only by itself)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('annotator')}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
    ]
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 50), m.__name__)):
        module.register(subparsers)
    return parser


def _launch_gui(context: Context, parser: argparse.ArgumentParser) -> int:
    # The GUI registers itself as a plugin, so the core never imports Qt.
    found = sorted(entry_points(group=GUI_ENTRY_POINTS), key=lambda ep: ep.name)
    if not found:
        parser.print_help()
        return 0
    run = found[0].load()
    if context.read_only:
        return int(run(context.project_location, context.user_name, read_only=True))
    return int(run(context.project_location, context.user_name))


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None and threading.current_thread() is threading.main_thread():
        # Terminated like interrupted: a write in progress is rolled back, temporaries removed.
        signal.signal(signal.SIGTERM, _interrupt)
    context = Context(
        args.project, args.user, creates_project=getattr(args, "creates_project", False),
        read_only=args.read_only,
    )
    try:
        if args.command is None:
            return _launch_gui(context, parser)
        return int(args.handler(args, context) or 0)
    except (AnnotatorError, CommandFailed) as exc:
        print(f"annotator: {printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except MemoryError:
        print("annotator: out of memory (the input is too large to work on here)",
              file=sys.stderr)
        return 1
    except Exception as exc:  # the promise is one line on stderr, never a traceback
        print(f"annotator: unexpected error: {type(exc).__name__}: {printable(str(exc))}",
              file=sys.stderr)
        return 1
    finally:
        context.close()
