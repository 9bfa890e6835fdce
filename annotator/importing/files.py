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
def extract_html(stem: str, data: bytes) -> ExtractedDocument:
    from annotator.importing.html import extract_html as read

    return read(stem, data)


def extract_docx(stem: str, data: bytes) -> ExtractedDocument:
    from annotator.importing.docx import extract_docx as read

    return read(stem, data)


def extract_pdf(stem: str, data: bytes) -> ExtractedDocument:
    from annotator.importing.pdf import extract_pdf as read

    return read(stem, data)


# An extractor is given the file's stem (its name without the extension, the title when the
# file names none) and its bytes.
_Extractor = Callable[[str, bytes], "ExtractedDocument | list[ExtractedDocument]"]

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
    return [Path(name) for name in collect_file_names(paths, skipped)]


def collect_file_names(
    paths: Iterable[str | os.PathLike[str]], skipped: list[tuple[Path, str]] | None = None
) -> list[str]:
    """:func:`collect_files` as the paths' strings (``os.fspath`` of each): ten thousand
    Path objects cost a tenth of a second, and an import needs only the names."""
    collected: list[str] = []
    seen: set[str] = set()
    refused = skipped if skipped is not None else []
    for given in paths:
        path = Path(given)  # as the user's path prints: "texts/" is "texts"
        name = os.fspath(path)
        found = (_folder_files(name, refused) if path.is_dir()
                 else [(name, os.path.realpath(name))])
        for file, key in found:
            if key not in seen:
                seen.add(key)
                collected.append(file)
    return collected


def _folder_files(folder: str, skipped: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """Each file with its real path, in order. ``os.scandir`` says from the folder's listing
    whether an entry is a regular file, a folder or a link, without a system call per file;
    a folder that cannot be listed is passed over, as ``os.walk`` does."""
    found: list[tuple[tuple[str, ...], str, str]] = []
    # "." lists as "./a.txt", which prints as "a.txt"
    folders: list[tuple[tuple[str, ...], str, str]] = [
        ((), folder, "" if folder == "." else folder)]
    while folders:
        relative, directory, prefix = folders.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            continue
        # os.path.join(prefix, name) and (real, name), without its checks for every file
        lead = _joinable(prefix)
        real = _joinable(os.path.realpath(directory))
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            full = lead + name
            try:
                is_folder = entry.is_dir()  # follows a link, as os.walk sorts entries
            except OSError:
                is_folder = False
            if is_folder:
                # a link to a folder is never followed, so a link loop cannot recurse forever
                if entry.is_symlink():
                    skipped.append((Path(full), "is a symbolic link to a folder (not followed)"))
                else:
                    folders.append(((*relative, name), full, full))
                continue
            if _name_parts(name)[1].lower() not in SUPPORTED_SUFFIXES:
                continue
            problem = None if entry.is_file(follow_symlinks=False) else _not_regular(entry)
            if problem is None:
                # not a link, so its real path is its folder's and its name
                found.append(((*relative, name), full, real + name))
            else:
                skipped.append((Path(full), problem))
    skipped.sort(key=lambda item: item[0].parts)
    found.sort(key=lambda item: item[0])
    return [(full, key) for _, full, key in found]


def _joinable(folder: str) -> str:
    """``folder`` ready to have a name appended, as os.path.join would join them."""
    return os.path.join(folder, "")


def _not_regular(entry: os.DirEntry[str]) -> str | None:
    try:
        return not_regular(entry.stat(follow_symlinks=False).st_mode)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"


def _name_parts(name: str) -> tuple[str, str]:
    """A file name's stem and suffix, as ``PurePath.stem`` and ``.suffix`` split them
    ("notes.txt": "notes", ".txt"; ".profile" and "notes." have no suffix)."""
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return name[:dot], name[dot:]
    return name, ""


def extract_file(
    path: str | os.PathLike[str], *, size_limit: int = DEFAULT_SIZE_LIMIT
) -> list[ExtractedDocument]:
    """Read one file into its documents (one, or one per record for jsonl/json/csv).

    All or nothing: raises ImportFailure, naming the file and the reason, if the file is
    missing, of an unsupported type, over ``size_limit`` bytes (checked before reading),
    empty, binary, undecodable, or if its content or any one record is unusable.
    """
    return extract_collected(os.fspath(path if isinstance(path, Path) else Path(path)),
                             size_limit=size_limit)


def extract_collected(
    name: str, *, size_limit: int = DEFAULT_SIZE_LIMIT
) -> list[ExtractedDocument]:
    """:func:`extract_file` of a path as :func:`collect_file_names` spells it (as a Path
    prints), without making a Path of it: that costs a fifth of reading a small file."""
    try:
        return _extract(name, size_limit)
    except ImportFailure as failure:
        raise failure.for_file(Path(name)) from failure.__cause__


def _extract(name: str, size_limit: int) -> list[ExtractedDocument]:
    # Existence first: "unsupported type" would mislead about a mistyped path.
    try:
        info = os.stat(name)
    except FileNotFoundError as exc:
        raise ImportFailure("does not exist") from exc
    except OSError as exc:
        raise ImportFailure(f"cannot be read ({exc.strerror})") from exc
    stem, suffix = _name_parts(os.path.basename(name))
    extractor = _EXTRACTORS.get(suffix.lower())
    if extractor is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        kind = f"'{suffix}'" if suffix else "without a file extension"
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
        data = read_regular(name, size_limit, follow=True, info=info)
    except UntrustedInput as exc:
        raise ImportFailure(str(exc)) from exc
    extracted = extractor(stem, data)
    documents = extracted if isinstance(extracted, list) else [extracted]
    produced = sum(len(document.text) for document in documents)
    if produced > size_limit:
        # a small compressed file (docx) may unpack to far more text than it holds bytes
        raise ImportFailure(
            f"unpacks to {produced:,} characters of text, over the import limit of "
            f"{human_size(size_limit)}"
        )
    return documents
