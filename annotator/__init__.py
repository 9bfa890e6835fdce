"""Annotator's core: projects, documents, annotations, import and export. No Qt here.

The Python API::

    import annotator
    project = annotator.open_project("news.annotator.db", user="alice")
    report = project.import_paths(["articles/"])
    doc = project.documents()[0]
    ann_id = project.add_annotation(doc.id, 0, 12, "claim", note="check this")
"""

from annotator.errors import AnnotatorError
from annotator.locations import ProjectLocation, resolve_location
from annotator.project import Project, default_project_path, open_project
from annotator.service.annotations import UNSET

__all__ = [
    "UNSET",
    "AnnotatorError",
    "Project",
    "ProjectLocation",
    "default_project_path",
    "open_project",
    "resolve_location",
]
__version__ = "0.1.0"
