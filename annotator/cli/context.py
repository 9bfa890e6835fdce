"""What every command gets: the project (opened on first use) and output helpers."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import orjson

from annotator.cli.printable import printable

if TYPE_CHECKING:
    from annotator.project import Project


class CommandFailed(Exception):
    """A command's own failure: the message is printed as the one line on stderr."""


class Context:
    """The project a command works on, opened on first use and closed by ``main``.

    ``creates_project``: the command brings data in, so it may create a project named with
    ``--project`` or ``$ANNOTATOR_PROJECT`` that does not exist yet (saying so on stderr);
    every other command refuses one, so that a mistyped location creates nothing. The
    default project is created on first use by any command.
    """

    def __init__(
        self,
        project_location: str | None,
        user_name: str | None,
        *,
        creates_project: bool,
        read_only: bool = False,
    ) -> None:
        self.project_location = project_location
        self.read_only = read_only
        self.user_name = user_name
        self.creates_project = creates_project
        self._project: Project | None = None
        self._last_wait_notice: float | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            # Loads SQLAlchemy: not for --help.
            from annotator.locations import resolve_location
            from annotator.project import open_project

            where = resolve_location(self.project_location)
            create = (self.creates_project or not where.named) and not self.read_only
            if not where.exists and not self.read_only:
                if not create:
                    raise CommandFailed(
                        f"no project at {where} (check the path; 'annotator init' creates it)"
                    )
                if where.named:
                    folder = where.missing_folder()
                    also = f", and the folder {folder}" if folder is not None else ""
                    self.warn(f"annotator: creating a new project at {where}{also}")
            self._project = open_project(self.project_location, self.user_name, create=create,
                                         read_only=self.read_only)
            self._project.waiting = self._waiting
        return self._project

    def _waiting(self, message: str) -> None:
        """A write waits behind another (a colleague's merge): say so now, then every
        half minute, so a long wait is never silent and never a failure."""
        now = time.monotonic()
        if self._last_wait_notice is None or now - self._last_wait_notice >= 30:
            self._last_wait_notice = now
            self.warn(f"annotator: {printable(message)}")

    def close(self) -> None:
        if self._project is not None:
            self._project.close()
            self._project = None

    @staticmethod
    def print_json(value: Any) -> None:
        sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")

    @staticmethod
    def warn(message: str) -> None:
        print(message, file=sys.stderr)
