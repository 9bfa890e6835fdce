"""Exporting datasets and importing annotations: what the CLI and the GUI call.

Both run without Qt and take ``progress(done, total) -> bool | None``; returning False
cancels (an export then leaves nothing at its destination, an import stores nothing), so
the GUI can run them on a worker thread.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from annotator.changes import ChangeSet
from annotator.errors import AnnotatorError
from annotator.formats.atomic import Staging
from annotator.formats.fields import stable_id
from annotator.formats.model import (
    META_DROPPED,
    Cancelled,
    ExportContext,
    ExportDocument,
    ExportNotes,
    FileRefused,
    Progress,
)
from annotator.formats.output import Output
from annotator.formats.selection import (
    ExportFilters,
    parse_split,
    select_documents,
    split_documents,
    stream_documents,
)
from annotator.records import DocumentInfo, LabelRecord, RelationTypeRecord
from annotator.service.ingest import ingest
from annotator.service.ingest_match import IngestCounts
from annotator.service.labels import apply_label_styles
from annotator.untrusted import UntrustedInput


class ExchangeProject(Protocol):
    user: str

    def _writing(
        self, action: str, *, announce: bool = False
    ) -> AbstractContextManager[tuple[Session, ChangeSet]]: ...

    def _reading(self) -> AbstractContextManager[Session]: ...

    def _back_up(self, reason: str) -> None: ...

    def labels(self) -> list[LabelRecord]: ...

    def relation_types(self) -> list[RelationTypeRecord]: ...

    def find_document(self, ref: str) -> DocumentInfo: ...


@dataclass(frozen=True, slots=True)
class WrittenOutput:
    path: str
    part: str
    documents: int
    annotations: int


@dataclass(slots=True)
class ExportResult:
    """What an export wrote, and what it could not represent (reason -> count)."""

    format: str
    outputs: list[WrittenOutput] = field(default_factory=list)
    lossy: Counter[str] = field(default_factory=Counter)

    @property
    def documents(self) -> int:
        return sum(o.documents for o in self.outputs)

    @property
    def annotations(self) -> int:
        return sum(o.annotations for o in self.outputs)


@dataclass(slots=True)
class ImportResult:
    """What an import stored (``counts``), what the file held that we cannot keep
    (``skipped``: reason -> count) and, for formats with more than one place for
    annotations, where they were read from (``read_from``: place -> count)."""

    path: str
    format: str
    counts: IngestCounts
    skipped: Counter[str] = field(default_factory=Counter)
    read_from: Counter[str] = field(default_factory=Counter)


def export_dataset(
    project: ExchangeProject,
    format: str,
    out: str | os.PathLike[str],
    filters: ExportFilters | None = None,
    *,
    split: str | Sequence[tuple[str, float]] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the selected documents and annotations to ``out`` in ``format``.

    With ``split`` (``"train=0.8,dev=0.1,test=0.1"`` or pairs), one output per part. Every
    output is written to a temporary beside its destination and moved in place only when
    all succeeded; on failure or cancellation nothing is left at the destinations.
    """
    from annotator.formats import get_format, part_destination  # every format: when used

    spec = get_format(format)
    filters = filters or ExportFilters()
    destination = Path(out).expanduser().absolute()
    parts = parse_split(split) if isinstance(split, str) else list(split or [])
    labels = tuple(project.labels())
    relation_types = tuple(project.relation_types())
    result = ExportResult(spec.name)
    staging = Staging()
    try:
        with project._reading() as session:
            selected = select_documents(session, filters, _resolver(project))
            whole = not filters.documents and not filters.done_only
            if parts:
                if spec.folder:
                    root = staging.folder(destination)
                    groups = [
                        (name, destination / name, root / name, docs)
                        for name, docs in split_documents(selected, parts, seed).items()
                    ]
                    for _name, _dest, temporary, _docs in groups:
                        temporary.mkdir()
                else:
                    groups = []
                    for name, docs in split_documents(selected, parts, seed).items():
                        target = part_destination(destination, name, spec)
                        groups.append((name, target, staging.file(target), docs))
            else:
                main = staging.folder(destination) if spec.folder else staging.file(destination)
                groups = [("", destination, main, selected)]
            counter = _Counter(sum(len(g[3]) for g in groups), progress)
            for name, target, temporary, docs in groups:
                notes = ExportNotes()
                context = ExportContext(labels, stable_id("collection", *(d.id for d in docs)),
                                        relation_types)
                stream = stream_documents(session, filters, docs, all_documents=whole and not parts)
                stream = _noting_dropped_meta(stream, notes)
                spec.write(Output(temporary, target, staging), counter.wrap(stream), context, notes)
                result.outputs.append(
                    WrittenOutput(str(target), name, notes.documents, notes.annotations)
                )
                result.lossy.update(notes.lossy)
            counter.finish()
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    return result


def import_annotations(
    project: ExchangeProject,
    path: str | os.PathLike[str],
    format: str,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file (a folder for brat) as one transaction; refuse it whole on problems."""
    from annotator.formats import get_format  # every format module: when one is used

    spec = get_format(format)
    if spec.read is None:
        raise AnnotatorError(f"{spec.name} files cannot be imported (the format is lossy)")
    source = Path(path).expanduser()
    if spec.folder and not source.is_dir():
        raise AnnotatorError(f"{source} is not a folder ({spec.name} exports are folders)")
    if not spec.folder and not source.is_file():
        raise AnnotatorError(f"no file {source}")
    try:
        parsed = spec.read(source)
    except UntrustedInput as exc:
        raise AnnotatorError(f"{exc.path or source} {exc}") from exc
    except OSError as exc:
        raise AnnotatorError(f"cannot read {source}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise AnnotatorError(f"{source} is not UTF-8 text: {exc.reason}") from exc
    if parsed.problems:
        raise FileRefused(parsed.problems)
    total = len(parsed.documents)
    if progress is not None and progress(0, total) is False:
        raise Cancelled()
    with project._writing(f"import {spec.name} annotations", announce=True) as (
            session, changes):
        counts = ingest(session, parsed.documents, user=project.user, labels=parsed.labels,
                        changes=changes)
        parsed.skipped.update(apply_label_styles(session, parsed.label_styles,
                                                 counts.labels_created))
        if progress is not None and progress(total, total) is False:
            raise Cancelled()
    return ImportResult(str(source), spec.name, counts, parsed.skipped, parsed.read_from)


class ExchangeMixin:
    """``Project.export`` and ``Project.import_annotations``."""

    def export(
        self: ExchangeProject,
        format: str,
        out: str | os.PathLike[str],
        filters: ExportFilters | None = None,
        *,
        split: str | Sequence[tuple[str, float]] | None = None,
        seed: int = 0,
        progress: Progress | None = None,
    ) -> ExportResult:
        """See :func:`export_dataset`."""
        return export_dataset(self, format, out, filters, split=split, seed=seed,
                              progress=progress)

    def import_annotations(
        self: ExchangeProject,
        path: str | os.PathLike[str],
        format: str,
        *,
        progress: Progress | None = None,
    ) -> ImportResult:
        """See :func:`import_annotations`."""
        self._back_up("before-import")
        return import_annotations(self, path, format, progress=progress)


def _resolver(project: ExchangeProject) -> Callable[[str], str]:
    def resolve(ref: str) -> str:
        return project.find_document(ref).id

    return resolve


def _noting_dropped_meta(
    documents: Iterable[ExportDocument], notes: ExportNotes
) -> Iterator[ExportDocument]:
    for document in documents:
        if document.meta_dropped:
            notes.lose(META_DROPPED)
        yield document


class _Counter:
    """Counts exported documents for the progress callback, which may cancel."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress
        self._report()

    def _report(self) -> None:
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise Cancelled()

    def wrap(self, documents: Iterable[ExportDocument]) -> Iterator[ExportDocument]:
        for document in documents:
            yield document
            self.done += 1
            if self.progress is not None and (self.done % 50 == 0 or self.done == self.total):
                self._report()

    def finish(self) -> None:
        self._report()
