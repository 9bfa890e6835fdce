"""Importing document files: reading them, and storing them a batch at a time.

Reading a batch overlaps committing the one before it: the commit (the pages written out,
the disk's flush, a checkpoint now and then) holds no interpreter lock, so a writer thread
spends it while this thread reads on. Writing the rows is not overlapped: the driver takes
the lock back for every row, and two threads wanting it in turn, each handing it over
thousands of times, cost more than either saves (an import of 10,000 files took half as
much processor time again, and more time, than with no thread). At most two batches are
held in memory, and batches commit in order, one transaction each (see
:mod:`annotator.service.import_batch`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from annotator.changes import ADDED
from annotator.errors import AnnotatorError
from annotator.gc_pause import gc_paused
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
        # Every file read makes objects that live until its batch is committed, which the
        # collector would examine again and again (a tenth of the processor time of 10,000
        # files, most of it in full collections of the heap). An import makes few cycles (a
        # failure's traceback, a session), examined once it ends.
        with gc_paused(), ThreadPoolExecutor(1, thread_name_prefix="import-writer") as writer:
            for done, path in enumerate(files):
                if progress is not None and progress(done, len(files), path) is False:
                    report.cancelled = True
                    break
                batch.add(_read_file(path, limit))
                if batch.full():
                    if writing is not None:
                        report.files.extend(writing.result())
                    written = threading.Event()
                    writing = writer.submit(self._store_batch, batch, written)
                    written.wait()  # reading on while the rows go in would slow both
                    batch = ImportBatch()
            if writing is not None:
                report.files.extend(writing.result())
            report.files.extend(self._store_batch(batch))
        if progress is not None and not report.cancelled:
            progress(len(files), len(files), "")
        return report

    def _store_batch(
        self, batch: ImportBatch, written: threading.Event | None = None
    ) -> list[FileOutcome]:
        """Store and commit ``batch``; ``written`` is set once only the commit is left (or
        the batch failed before it)."""
        try:
            if not batch.files:  # only files that could not be read: nothing to write
                return batch.failed("")
            with self._writing("import documents",
                               committing=None if written is None else written.set) as (
                    session, changes):
                outcomes = store_batch(session, batch)
                for outcome in outcomes:
                    for added in outcome.document_ids:
                        changes.document(added, ADDED)
                return outcomes
        except AnnotatorError as exc:
            return batch.failed(str(exc))
        finally:
            if written is not None:
                written.set()


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
