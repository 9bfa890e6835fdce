"""Annotator's core: projects, documents, annotations, import and export. No Qt here.

The Python API::

    import annotator
    project = annotator.open_project("news.annotator.db", user="alice")
    report = project.import_paths(["articles/"])
    doc = project.documents()[0]
    ann_id = project.add_annotation(doc.id, 0, 12, "claim", note="check this")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from annotator.changes import Changes
from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.locations import ProjectLocation, default_project_path, resolve_location
    from annotator.project import Project, open_project
    from annotator.service.annotations import UNSET
    from annotator.service.exchange import ExportResult, ImportResult
    from annotator.service.follow import ChangeFollower

# SQLAlchemy and the services load with the first use of the API, not with `import
# annotator`: `annotator --help` needs none of them.
_HOME = {
    "Project": "annotator.project", "default_project_path": "annotator.locations",
    "ProjectLocation": "annotator.locations", "resolve_location": "annotator.locations",
    "open_project": "annotator.project", "UNSET": "annotator.service.annotations",
    "ExportResult": "annotator.service.exchange", "ImportResult": "annotator.service.exchange",
    "ChangeFollower": "annotator.service.follow",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "UNSET",
    "AnnotatorError",
    "ChangeFollower",
    "Changes",
    "ExportResult",
    "ImportResult",
    "Project",
    "ProjectLocation",
    "default_project_path",
    "open_project",
    "resolve_location",
]
__version__ = "0.1.0"
