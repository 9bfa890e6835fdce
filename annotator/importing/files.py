"""Which files an import takes, and reading one file into documents."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.importing.document import DEFAULT_SIZE_LIMIT, ExtractedDocument, ImportFailure
from annotator.importing.plain import extract_markdown, extract_txt
from annotator.importing.records import extract_csv, extract_json, extract_jsonl
from annotator.untrusted import UntrustedInput, human_size, not_regular, read_regular


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


def collect_files(
    paths: Iterable[str | os.PathLike[str]], skipped: list[tuple[Path, str]] | None = None
) -> list[Path]:
    """The files an import of ``paths`` covers, in a deterministic order, each once.

    A folder expands recursively to its supported regular files, sorted by path; hidden
    files and folders (names starting with ".") and unsupported files in it are skipped
    silently. Links, named pipes, devices and sockets inside a folder are never followed
    or read: each is added to ``skipped`` with the reason. A file named explicitly is
    always returned (a link named explicitly is followed), even when missing or
    unsupported, so that extract_file can say what is wrong with it.
    """
    collected: list[Path] = []
    seen: set[str] = set()
    refused = skipped if skipped is not None else []
    for given in paths:
        path = Path(given)
        found = (_folder_files(path, refused) if path.is_dir()
                 else [(path, os.path.realpath(path))])
        for file, key in found:
            if key not in seen:
                seen.add(key)
                collected.append(file)
    return collected


def _folder_files(folder: Path, skipped: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Each file with its real path, in order; strings until the end, as ten thousand files
    through pathlib cost a tenth of a second."""
    found: list[tuple[tuple[str, ...], str, str]] = []
    # os.walk does not follow symlinked folders, so a link loop cannot recurse forever
    for directory, subdirectories, names in os.walk(folder):
        visible = [name for name in subdirectories if not name.startswith(".")]
        subdirectories[:] = []
        for name in visible:
            path = Path(directory, name)
            if path.is_symlink():
                skipped.append((path, "is a symbolic link to a folder (not followed)"))
            else:
                subdirectories.append(name)
        relative = Path(directory).relative_to(folder).parts
        real = os.path.realpath(directory)
        for name in names:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES:
                continue
            full = os.path.join(directory, name)
            try:
                problem = not_regular(os.lstat(full).st_mode)
            except OSError as exc:
                problem = f"cannot be read ({exc.strerror or exc})"
            if problem is None:
                # not a link (lstat said so), so its real path is its folder's and its name
                found.append(((*relative, name), full, os.path.join(real, name)))
            else:
                skipped.append((Path(full), problem))
    skipped.sort(key=lambda item: item[0].parts)
    found.sort(key=lambda item: item[0])
    return [(Path(full), key) for _, full, key in found]


def extract_file(path: Path, *, size_limit: int = DEFAULT_SIZE_LIMIT) -> list[ExtractedDocument]:
    """Read one file into its documents (one, or one per record for jsonl/json/csv).

    All or nothing: raises ImportFailure, naming the file and the reason, if the file is
    missing, of an unsupported type, over ``size_limit`` bytes (checked before reading),
    empty, binary, undecodable, or if its content or any one record is unusable.
    """
    if not isinstance(path, Path):  # Path(path) of a Path parses it again: 20% of a read
        path = Path(path)
    try:
        return _extract(path, size_limit)
    except ImportFailure as failure:
        raise failure.for_file(path) from failure.__cause__


def _extract(path: Path, size_limit: int) -> list[ExtractedDocument]:
    # Existence first: "unsupported type" would mislead about a mistyped path.
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ImportFailure("does not exist") from exc
    except OSError as exc:
        raise ImportFailure(f"cannot be read ({exc.strerror})") from exc
    extractor = _EXTRACTORS.get(path.suffix.lower())
    if extractor is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        kind = f"'{path.suffix}'" if path.suffix else "without a file extension"
        raise ImportFailure(f"is of an unsupported type {kind} (supported: {supported})")
    if stat.S_ISDIR(info.st_mode):
        raise ImportFailure("is a folder, not a file")
    size = info.st_size
    if size > size_limit:
        raise ImportFailure(
            f"is {human_size(size)}, over the import limit of {human_size(size_limit)}"
        )
    if size == 0 and not_regular(info.st_mode) is None:
        raise ImportFailure("is empty")
    try:
        # a link named explicitly is followed; a pipe or a device is never read
        data = read_regular(path, size_limit, follow=True)
    except UntrustedInput as exc:
        raise ImportFailure(str(exc)) from exc
    extracted = extractor(path, data)
    documents = extracted if isinstance(extracted, list) else [extracted]
    produced = sum(len(document.text) for document in documents)
    if produced > size_limit:
        # a small compressed file (docx) may unpack to far more text than it holds bytes
        raise ImportFailure(
            f"unpacks to {produced:,} characters of text, over the import limit of "
            f"{human_size(size_limit)}"
        )
    return documents
