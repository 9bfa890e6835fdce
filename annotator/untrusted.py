"""Reading files from elsewhere within bounds: regular files only, JSON of bounded shape.

Every reader of an untrusted file (document imports, annotation imports, bundles) goes
through here, so one rule bounds them all:

- :func:`read_regular` reads a regular file and nothing else: a FIFO would block forever
  and ``/dev/zero`` never ends, so both are refused before a byte is read; a symbolic link
  is refused unless the caller named it (``follow=True``), and the size is checked first;
- :func:`load_json` parses with orjson (its C parser cannot exhaust Python's stack),
  refuses a text whose values would take more than :data:`MEMORY_RATIO` times its size or
  :data:`MEMORY_LIMIT` in memory (many tiny values: ``[[],[],...]``), checked on the bytes
  before parsing, and any value nested deeper than :data:`MAX_DEPTH`;
- :func:`check_meta` bounds what a document's metadata may hold when it is stored, so every
  exporter (orjson writes at most 254 levels) can always write it back out.

Each refusal raises :class:`UntrustedInput`, whose message reads as the rest of a sentence
after the file's name.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import orjson

from annotator.errors import AnnotatorError

MAX_DEPTH = 64
"""Deepest nesting of objects and arrays read from any JSON file or stored as metadata."""
MAX_META_BYTES = 1 << 20
"""Largest metadata of one document, as JSON."""
MEMORY_RATIO = 10
"""Parsed JSON may take at most this many times its size in memory (estimated)."""
MEMORY_LIMIT = 1 << 30
"""... and never more than this."""
MAX_FILE = 1 << 30
"""Largest annotation file read whole (JSON arrays, brat files); documents have their own."""

# What CPython spends, at most, per parsed value: a dict with its slot in the parent (72
# bytes), a list (64), a new str, float or large int (~56); text adds about its length.
_CONTAINER_COST = 72
_VALUE_COST = 56


class UntrustedInput(AnnotatorError):
    """A file or value from elsewhere that is refused; the message says why, as the rest
    of a sentence after the name of ``path`` (the file concerned, when known)."""

    def __init__(self, reason: str, path: Path | None = None) -> None:
        self.path = path
        super().__init__(reason)


class InvalidJson(UntrustedInput):
    """Text that is not strict JSON; ``line`` and ``column`` (1-based) say where."""

    def __init__(self, line: int, column: int, reason: str) -> None:
        self.line, self.column, self.reason = line, column, reason
        super().__init__(f"has invalid JSON at line {line} column {column}: {reason}")


# Opening never blocks (a FIFO swapped in after the check), and reads bytes as they are.
_OPEN_FOLLOWING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_OPEN_NOT_FOLLOWING = _OPEN_FOLLOWING | getattr(os, "O_NOFOLLOW", 0)


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = False,
                 info: os.stat_result | None = None) -> bytes:
    """The bytes of the regular file at ``path``; refuses links (unless ``follow``), FIFOs,
    devices, sockets and files over ``limit`` bytes without reading them.

    ``info``: the caller's own ``stat`` (``lstat`` unless ``follow``) of ``path``, when it
    made one to check the file first, so that the file is not asked twice.
    """
    if info is None:
        try:
            info = os.stat(path) if follow else os.lstat(path)
        except FileNotFoundError as exc:
            raise _refusal("does not exist", path) from exc
        except OSError as exc:
            raise _refusal(f"cannot be read ({exc.strerror or exc})", path) from exc
    problem = not_regular(info.st_mode)
    if problem is not None:
        raise _refusal(problem, path)
    if info.st_size > limit:
        raise _refusal(f"is {human_size(info.st_size)}, over the limit of {human_size(limit)}",
                       path)
    try:
        descriptor = os.open(path, _OPEN_FOLLOWING if follow else _OPEN_NOT_FOLLOWING)
    except OSError as exc:
        raise _refusal(f"cannot be read ({exc.strerror or exc})", path) from exc
    try:
        # the file may have been swapped between the check and the open
        opened = os.fstat(descriptor)
        problem = not_regular(opened.st_mode)
        if problem is not None:
            raise _refusal(problem, path)
        data = _read_bounded(descriptor, opened.st_size, limit)
    except OSError as exc:
        raise _refusal(f"cannot be read ({exc.strerror or exc})", path) from exc
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise _refusal(f"is over the limit of {human_size(limit)}", path)
    return data


def _refusal(reason: str, path: str | os.PathLike[str]) -> UntrustedInput:
    return UntrustedInput(reason, Path(path))


def _read_bounded(descriptor: int, size: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes: what the file's ``size`` says it holds and a byte more,
    in one read as a rule (asking for ``limit + 1`` bytes would allocate that much for
    every small file), and on towards the limit if it holds more: it grew since, or
    reports no size (as the files of /proc do). Once it has given exactly the ``size`` it
    reported it is read whole (a read that asked for more and got just that met the end of
    the file), without a last read to be told so: a system call less per file imported."""
    parts: list[bytes] = []
    total = 0
    request = min(size, limit) + 1
    while total <= limit:
        chunk = os.read(descriptor, request)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if total == size:
            break
        request = min(limit + 1 - total, 1 << 20)
    return b"".join(parts)


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "is a symbolic link (name the file it points to instead)"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def load_json(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``data`` parsed as strict JSON (no NaN, no Infinity), within the module's bounds.

    Raises :class:`UntrustedInput` for invalid JSON (with line and column), for a text that
    would take too much memory, and for nesting deeper than ``max_depth``.
    """
    size = len(data)
    estimate = estimated_memory(data)
    if estimate > max(MEMORY_RATIO * size, 16 << 20) or estimate > MEMORY_LIMIT:
        raise UntrustedInput(
            f"holds too many JSON values for its size (about {human_size(estimate)} in "
            f"memory for {human_size(size)} of JSON)"
        )
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if exc.msg.startswith("depth limit"):
            raise UntrustedInput(f"nests JSON deeper than {max_depth} levels") from None
        raise InvalidJson(exc.lineno, exc.colno, exc.msg) from None
    if too_deep(value, max_depth):
        raise UntrustedInput(f"nests JSON deeper than {max_depth} levels")
    return value


def estimated_memory(data: bytes | str) -> int:
    """An upper estimate of what ``data`` takes once parsed, counted on its characters.

    Every value after the first follows a ``,``, ``:`` or ``[``; every container opens with
    ``{`` or ``[``. Characters inside strings are counted too, so this only over-estimates.
    """
    if isinstance(data, str):
        counts = [data.count(c) for c in "{[,:"]
    else:
        counts = [data.count(c) for c in (b"{", b"[", b",", b":")]
    containers = counts[0] + counts[1]
    values = counts[1] + counts[2] + counts[3] + 1
    return _CONTAINER_COST * containers + _VALUE_COST * values + len(data)


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests dicts and lists more than ``limit`` levels (iteratively).

    Level by level, with list comprehensions: a bundle's 100,000 annotations are checked
    in a third of the time a stack of (item, depth) pairs takes.
    """
    containers = (dict, list)
    level = [value] if isinstance(value, containers) else []
    depth = 1
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for item in level:
            below += [child for child in (item.values() if isinstance(item, dict) else item)
                      if isinstance(child, containers)]
        level = below
        depth += 1
    return False


def check_meta(meta: Any, what: str = "the metadata") -> dict[str, Any]:
    """``meta`` itself if a document may store it: an object of at most MAX_DEPTH levels
    and MAX_META_BYTES as JSON, holding only JSON values (no NaN or infinity)."""
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise UntrustedInput(f"{what} must be a JSON object")
    if too_deep(meta):
        raise UntrustedInput(f"{what} nests deeper than {MAX_DEPTH} levels")
    try:
        size = len(orjson.dumps(meta, option=orjson.OPT_NON_STR_KEYS))
    except (TypeError, orjson.JSONEncodeError) as exc:
        raise UntrustedInput(f"{what} is not plain JSON ({exc})") from None
    if size > MAX_META_BYTES:
        raise UntrustedInput(
            f"{what} is {human_size(size)} as JSON, over the limit of "
            f"{human_size(MAX_META_BYTES)}"
        )
    return meta


def stored_meta(value: Any) -> dict[str, Any] | None:
    """A document's metadata as the database hands it back (JSON text or a parsed value),
    or None if it breaks the bounds of :func:`check_meta` (stored before they existed, or
    written by another program), so a writer can leave it out instead of failing."""
    if value is None:
        return {}
    try:
        parsed = load_json(value) if isinstance(value, str | bytes) else value
        return check_meta(parsed)
    except (UntrustedInput, RecursionError):
        return None


def human_size(size: int) -> str:
    """``size`` bytes as people read it: 512 bytes, 3.5 KB, 12.0 MB, 1.2 GB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
