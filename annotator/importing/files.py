"""Which files an import takes, and reading one file into documents."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.importing.document import DEFAULT_SIZE_LIMIT, ExtractedDocument, ImportFailure
from annotator.importing.plain import extract_markdown, extract_txt
from annotator.importing.records import extract_csv, extract_json, extract_jsonl


# The readers of rich formats import their libraries (selectolax, python-docx and lxml,
# pypdf: ~0.4 s together) only when such a file is read, not when the CLI starts.
def extract_html(path: Path, data: bytes) -> ExtractedDocument:
    from annotator.importing.html import extract_html as read

    return read(path, data)


def extract_docx(path: Path, data: bytes) -> ExtractedDocument:
    from annotator.importing.docx import extract_docx as read

    return read(path, data)


def extract_pdf(path: Path, data: bytes) -> ExtractedDocument:
    from annotator.importing.pdf import extract_pdf as read

    return read(path, data)


_Extractor = Callable[[Path, bytes], "ExtractedDocument | list[ExtractedDocument]"]

_EXTRACTORS: dict[str, _Extractor] = {
    ".txt": extract_txt,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".html": extract_html,
    ".htm": extract_html,
    ".docx": extract_docx,
    ".pdf": extract_pdf,
    ".jsonl": extract_jsonl,
    ".json": extract_json,
    ".csv": extract_csv,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_EXTRACTORS)


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files an import of ``paths`` covers, in a deterministic order, each once.

    A folder expands recursively to its supported files, sorted by path; hidden files and
    folders (names starting with ".") and unsupported files in it are skipped silently. A file
    named explicitly is always returned, even when missing or unsupported, so that
    extract_file can say what is wrong with it.
    """
    collected: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        found = _folder_files(path) if path.is_dir() else [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                collected.append(file)
    return collected


def _folder_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    # os.walk does not follow symlinked folders, so a link loop cannot recurse forever
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        files.extend(
            Path(directory, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
        )
    return sorted(files, key=lambda file: file.relative_to(folder).parts)


def extract_file(path: Path, *, size_limit: int = DEFAULT_SIZE_LIMIT) -> list[ExtractedDocument]:
    """Read one file into its documents (one, or one per record for jsonl/json/csv).

    All or nothing: raises ImportFailure, naming the file and the reason, if the file is
    missing, of an unsupported type, over ``size_limit`` bytes (checked before reading),
    empty, binary, undecodable, or if its content or any one record is unusable.
    """
    path = Path(path)
    try:
        return _extract(path, size_limit)
    except ImportFailure as failure:
        raise failure.for_file(path) from failure.__cause__


def _extract(path: Path, size_limit: int) -> list[ExtractedDocument]:
    # Existence first: "unsupported type" would mislead about a mistyped path.
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImportFailure("does not exist") from exc
    except OSError as exc:
        raise ImportFailure(f"cannot be read ({exc.strerror})") from exc
    extractor = _EXTRACTORS.get(path.suffix.lower())
    if extractor is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        kind = f"'{path.suffix}'" if path.suffix else "without a file extension"
        raise ImportFailure(f"is of an unsupported type {kind} (supported: {supported})")
    if path.is_dir():
        raise ImportFailure("is a folder, not a file")
    if size > size_limit:
        raise ImportFailure(
            f"is {_human_size(size)}, over the import limit of {_human_size(size_limit)}"
        )
    if size == 0:
        raise ImportFailure("is empty")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"cannot be read ({exc.strerror})") from exc
    if len(data) > size_limit:  # the file grew between stat and read
        raise ImportFailure(f"is over the import limit of {_human_size(size_limit)}")
    extracted = extractor(path, data)
    return extracted if isinstance(extracted, list) else [extracted]


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"
