"""Annotator's core: projects, documents, annotations, import and export. No Qt here.

The Python API::

    import annotator
    project = annotator.open_project("news.annotator.db", user="alice")
    report = project.import_paths(["articles/"])
    doc = project.documents()[0]
    ann_id = project.add_annotation(doc.id, 0, 12, "claim", note="check this")
"""

from annotator.changes import Changes
from annotator.errors import AnnotatorError
from annotator.project import Project, default_project_path, open_project
from annotator.service.annotations import UNSET
from annotator.service.exchange import ExportResult, ImportResult
from annotator.service.follow import ChangeFollower

__all__ = [
    "UNSET",
    "AnnotatorError",
    "ChangeFollower",
    "Changes",
    "ExportResult",
    "ImportResult",
    "Project",
    "default_project_path",
    "open_project",
]
__version__ = "0.1.0"
