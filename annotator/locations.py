"""Where a project lives: the location named (or the default one), and whether it exists yet.

The rule for missing projects lives with whoever opens one (the command line, the GUI); this
module only answers the questions they ask before deciding: which file, named by someone or
the default, already there or not, and which folders creating it would make.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy.engine import URL

from annotator.database import describe, to_url
from annotator.environment import PROJECT_ENV


def default_project_path() -> Path:
    """The project used when none is named: a file in the user's data directory."""
    return user_data_path("annotator", appauthor=False) / "default.annotator.db"


@dataclass(frozen=True)
class ProjectLocation:
    """A resolved project location.

    ``path`` is the SQLite file, or None for a server database (which exists, or the
    connection fails: nothing here can tell). ``named`` is False for the default project.
    """

    url: URL
    path: Path | None
    named: bool

    @property
    def exists(self) -> bool:
        return self.path is None or self.path.exists()

    def missing_folder(self) -> Path | None:
        """The outermost folder that creating the project would have to create, if any."""
        if self.path is None:
            return None
        missing = None
        for folder in self.path.parents:
            if folder.exists():
                break
            missing = folder
        return missing

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else describe(self.url)


def resolve_location(location: str | os.PathLike[str] | None = None) -> ProjectLocation:
    """The project at ``location``, else ``$ANNOTATOR_PROJECT``, else the default project.

    Raises AnnotatorError for an invalid URL or a path that is a folder.
    """
    named = location is not None and os.fspath(location) != ""
    if not named:
        location = os.environ.get(PROJECT_ENV) or None
        named = location is not None
    url = to_url(location if location is not None else default_project_path())
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    if path is not None and url.database == ":memory:":
        path = None
    return ProjectLocation(url, path, named)
