"""Listing and restoring a project's backups through the service API."""

from __future__ import annotations

from pathlib import Path

from annotator.backups import Backup, list_backups, make_backup, restore_backup
from annotator.errors import AnnotatorError
from annotator.service.base import ProjectBase


class BackupsMixin(ProjectBase):
    def backups(self) -> list[Backup]:
        """This project's backups, newest first (none for a server database)."""
        path = self.file_path
        return [] if path is None else list_backups(path)

    def back_up(self) -> Backup:
        """Make a backup now (``annotator backups make``)."""
        path = self._sqlite_only()
        made = make_backup(path, "manual")
        if made is None:
            raise AnnotatorError(
                f"cannot write backups beside {path} (read-only folder, or $ANNOTATOR_BACKUPS=0)"
            )
        return made

    def restore_backup(self, name: str) -> Backup | None:
        """Replace the project's content by backup ``name``, backing up the current state
        first (returned). Windows open on the project find out as from any outside change, and
        reload everything (see :class:`~annotator.service.follow.ChangeFollower`)."""
        path = self._sqlite_only()
        self._require_writable()
        # Connections kept open would hold pages of the replaced content.
        self._engine.dispose()
        saved = restore_backup(path, name)
        self.forget_cache()
        return saved

    def _sqlite_only(self) -> Path:
        path = self.file_path
        if path is None:
            raise AnnotatorError(
                "backups are made for project files; back a server database up on the server"
            )
        return path
