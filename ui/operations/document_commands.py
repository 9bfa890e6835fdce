"""One QUndoCommand per user action on a document: renaming it, deleting it.

As the annotation commands (:mod:`ui.operations.commands`), they hold ids and titles, only
call the core and let the core's published ``Changes`` update the views. A command the
core refuses (someone else deleted the document meanwhile) becomes obsolete, and the user
is told. No attribute shadows a QUndoCommand method (``id`` above all: see commands.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator import AnnotatorError, Project


class _DocumentCommand(QUndoCommand):
    def __init__(self, project: Project, failed: Callable[[str], None], text: str,
                 document_id: str) -> None:
        super().__init__(text)
        self._project = project
        self._failed = failed
        self._document_id = document_id

    def _guarded(self, call: Callable[[], object]) -> bool:
        try:
            call()
        except AnnotatorError as error:
            self.setObsolete(True)
            self._failed(str(error))
            return False
        return True

    @property
    def document_id(self) -> str:
        return self._document_id


class RenameDocumentCommand(_DocumentCommand):
    def __init__(self, project: Project, failed: Callable[[str], None], document_id: str,
                 before: str, title: str) -> None:
        super().__init__(project, failed, "Rename document", document_id)
        self._before = before
        self._title = title

    def redo(self) -> None:
        self._guarded(lambda: self._project.rename_document(self._document_id, self._title))

    def undo(self) -> None:
        self._guarded(lambda: self._project.rename_document(self._document_id, self._before))


class DeleteDocumentCommand(_DocumentCommand):
    """Deletes a document; undo restores it with the same ids (its annotations too) and
    shows it (``show``), as undoing an annotation change shows where it happened."""

    def __init__(self, project: Project, failed: Callable[[str], None], document_id: str,
                 title: str, show: Callable[[str], object] | None = None) -> None:
        super().__init__(project, failed, f"Delete document {title!r}", document_id)
        self._show = show

    def redo(self) -> None:
        self._guarded(lambda: self._project.delete_document(self._document_id))

    def undo(self) -> None:
        restored = self._guarded(lambda: self._project.restore_document(self._document_id))
        if restored and self._show is not None:
            self._show(self._document_id)
