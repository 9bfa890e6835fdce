"""Opening a project: one database holding documents, labels and everybody's annotations."""

from __future__ import annotations

import getpass
import os

from annotator.environment import PROJECT_ENV, USER_ENV
from annotator.errors import AnnotatorError
from annotator.identity import connect_project
from annotator.locations import default_project_path, resolve_location
from annotator.schema import upgrade
from annotator.service.annotations import AnnotationsMixin
from annotator.service.backing_up import BackupsMixin
from annotator.service.document_edits import DocumentEditsMixin
from annotator.service.documents import DocumentsMixin
from annotator.service.exchange import ExchangeMixin
from annotator.service.file_import import FileImportMixin
from annotator.service.integrity import IntegrityMixin
from annotator.service.labels import LabelsMixin, seed_default_labels
from annotator.service.origins import OriginsMixin
from annotator.service.relation_types import RelationTypesMixin
from annotator.service.relations import RelationsMixin
from annotator.service.review_tools import ReviewToolsMixin
from annotator.service.reviews import ReviewsMixin
from annotator.service.suggesting import SuggestionsMixin

__all__ = ["PROJECT_ENV", "USER_ENV", "Project", "default_project_path", "open_project"]


class Project(
    SuggestionsMixin,
    ReviewToolsMixin,
    DocumentsMixin,
    DocumentEditsMixin,
    FileImportMixin,
    AnnotationsMixin,
    LabelsMixin,
    RelationsMixin,
    RelationTypesMixin,
    OriginsMixin,
    ReviewsMixin,
    IntegrityMixin,
    ExchangeMixin,
    BackupsMixin,
):
    """The service API over one project database; the CLI and the GUI both use only this.

    Every write is committed before the method returns, and every invalid call raises
    :class:`annotator.AnnotatorError` without changing anything.
    """

    def __enter__(self) -> Project:
        return self


def default_user() -> str:
    name = os.environ.get(USER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "analyst"


def open_project(
    location: str | os.PathLike[str] | None = None,
    user: str | None = None,
    *,
    create: bool = True,
    read_only: bool = False,
) -> Project:
    """Open a project (a file path or an SQLAlchemy URL).

    A missing project file is created, with any missing folders above it, unless ``create``
    is False: then it raises AnnotatorError and creates nothing. The schema is migrated to
    this version on open; a project written by a newer version is refused and left
    untouched. A new project starts with the labels claim, source and fact, and the relation
    types attributed_to, supports and contradicts. ``location`` defaults to
    ``$ANNOTATOR_PROJECT``, then :func:`default_project_path`; ``user`` to
    ``$ANNOTATOR_USER``, then the login name.

    A project file is opened read-only when ``read_only`` asks it or when it cannot be
    written here (a read-only file or folder); then every write raises AnnotatorError
    ``project is read-only: <why>``, and :attr:`Project.read_only_reason` says why.
    """
    where = resolve_location(location)
    if where.path is not None and not where.exists and not read_only:
        if not create:
            raise AnnotatorError(f"no project at {where.path}")
        try:
            where.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AnnotatorError(
                f"cannot create the folder for {where.path}: {exc.strerror}"
            ) from exc
    engine, _kind, read_only_reason = connect_project(where.url, read_only=read_only)
    try:
        if read_only_reason is None:
            upgrade(engine, seed=seed_default_labels)
        project = Project(engine, where.url, user or default_user(),
                          read_only_reason=read_only_reason)
    except AnnotatorError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise AnnotatorError(f"cannot open the project at {where}: {exc}") from exc
    return project
