"""Importing document files: reading them, and storing them a batch at a time.

Reading and storing overlap: while one batch is written and committed (on a writer
thread, where SQLite and PostgreSQL wait for the disk without holding the interpreter),
this thread reads the files of the next. At most two batches are held in memory, and
batches commit in order, one transaction each (see :mod:`annotator.service.import_batch`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from annotator.changes import ADDED
from annotator.errors import AnnotatorError
from annotator.importing import (
    DEFAULT_SIZE_LIMIT,
    ImportFailure,
    collect_file_names,
    extract_collected,
)
from annotator.records import FileOutcome, ImportReport
from annotator.service.base import ProjectBase
from annotator.service.import_batch import ImportBatch, ReadFile, store_batch

Progress = Callable[[int, int, str], bool | None]


class FileImportMixin(ProjectBase):
    def import_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: Progress | None = None,
        *,
        size_limit: int | None = None,
    ) -> ImportReport:
        """Import files and folders (recursively), each file all or nothing.

        ``progress(done, total, current)`` is called before each file is read and once at
        the end; returning False cancels the files not yet started (those read are stored).
        Files whose text is already in the project are skipped and reported, never
        duplicated, and so are links, pipes and devices found inside folders (never followed
        or read). Files are committed in batches of a few hundred: a crash loses at most the
        batches not yet committed, and importing the same files again adds just those.
        """
        limit = DEFAULT_SIZE_LIMIT if size_limit is None else size_limit
        refused: list[tuple[Path, str]] = []
        files = collect_file_names(paths, refused)
        report = ImportReport()
        report.files.extend(FileOutcome(os.fspath(path), "skipped", why) for path, why in refused)
        report.unreadable = len(refused)
        batch = ImportBatch()
        writing: Future[list[FileOutcome]] | None = None
        with ThreadPoolExecutor(1, thread_name_prefix="import-writer") as writer:
            for done, path in enumerate(files):
                if progress is not None and progress(done, len(files), path) is False:
                    report.cancelled = True
                    break
                batch.add(_read_file(path, limit))
                if batch.full():
                    if writing is not None:
                        report.files.extend(writing.result())
                    writing = writer.submit(self._store_batch, batch)
                    batch = ImportBatch()
            if writing is not None:
                report.files.extend(writing.result())
        report.files.extend(self._store_batch(batch))
        if progress is not None and not report.cancelled:
            progress(len(files), len(files), "")
        return report

    def _store_batch(self, batch: ImportBatch) -> list[FileOutcome]:
        if not batch.files:  # only files that could not be read: nothing to write
            return batch.failed("")
        try:
            with self._writing("import documents") as (session, changes):
                outcomes = store_batch(session, batch)
                for outcome in outcomes:
                    for added in outcome.document_ids:
                        changes.document(added, ADDED)
                return outcomes
        except AnnotatorError as exc:
            return batch.failed(str(exc))


def _read_file(name: str, limit: int) -> ReadFile | FileOutcome:
    try:
        return ReadFile(name, extract_collected(name, size_limit=limit))
    except ImportFailure as exc:
        return FileOutcome(name, "failed", exc.reason)
    except (OSError, ValueError, UnicodeError) as exc:
        return FileOutcome(name, "failed", f"cannot read it: {exc}")
    except (MemoryError, RecursionError):
        # past every bound checked before parsing; the import goes on with the next file
        return FileOutcome(name, "failed", "is too large or too deeply nested to read")
