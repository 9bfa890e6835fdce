"""What every command gets: the project (opened on first use) and output helpers."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from annotator.project import Project


class CommandFailed(Exception):
    """A command's own failure: the message is printed as the one line on stderr."""


class Context:
    def __init__(self, project_location: str | None, user_name: str | None) -> None:
        self.project_location = project_location
        self.user_name = user_name
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            from annotator.project import open_project  # loads SQLAlchemy: not for --help

            self._project = open_project(self.project_location, self.user_name)
        return self._project

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
