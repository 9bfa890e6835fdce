"""Write to temporary files and folders beside the destination, then move them in place.

An export that fails or is cancelled removes its temporaries and leaves every destination
as it was; one that succeeds replaces each destination with ``os.replace`` (atomic for a
file on one file system). A process killed mid-export cannot clean up: its temporaries
carry its process id, and the next export to the same destination removes them.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from pathlib import Path

from annotator.errors import AnnotatorError

# Files an export folder may hold; a folder with anything else is not ours to replace.
_FOLDER_EXPORT_FILES = {".txt", ".ann", ".conf"}


class Staging:
    """Temporaries for several destinations, committed together or discarded together."""

    def __init__(self) -> None:
        self._moves: list[tuple[Path, Path, bool]] = []

    def file(self, destination: Path) -> Path:
        """A temporary file path in the destination's folder."""
        destination = Path(destination)
        _check_parent(destination)
        if destination.is_dir():
            raise AnnotatorError(f"{destination} is a folder; give a file name")
        _sweep(destination)
        handle, name = tempfile.mkstemp(
            prefix=_prefix(destination), suffix=_SUFFIX, dir=destination.parent
        )
        os.close(handle)
        temporary = Path(name)
        # mkstemp makes the file private (0600); the export should get the usual mode.
        os.chmod(temporary, 0o666 & ~_umask())
        self._moves.append((temporary, destination, False))
        return temporary

    def folder(self, destination: Path) -> Path:
        """A temporary folder beside the destination folder."""
        destination = Path(destination)
        _check_parent(destination)
        if destination.exists():
            _check_replaceable(destination)
        _sweep(destination)
        temporary = Path(
            tempfile.mkdtemp(prefix=_prefix(destination), suffix=_SUFFIX, dir=destination.parent)
        )
        os.chmod(temporary, 0o777 & ~_umask())
        self._moves.append((temporary, destination, True))
        return temporary

    def commit(self) -> None:
        for temporary, destination, is_folder in self._moves:
            if is_folder and destination.exists():
                old = destination.with_name(f".{destination.name}.old")
                if old.exists():
                    shutil.rmtree(old)
                os.replace(destination, old)
                os.replace(temporary, destination)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(temporary, destination)
        self._moves.clear()

    def discard(self) -> None:
        for temporary, _destination, is_folder in self._moves:
            if is_folder:
                shutil.rmtree(temporary, ignore_errors=True)
            else:
                temporary.unlink(missing_ok=True)
        self._moves.clear()


_SUFFIX = ".part"


def _prefix(destination: Path) -> str:
    # The writer's process id is in the name, so a later export can tell its own leftovers
    # (from a process that was killed) from another export still running.
    return f".{destination.name}.{os.getpid()}."


def _sweep(destination: Path) -> None:
    """Remove temporaries of ``destination`` left by export processes that no longer run."""
    for leftover in destination.parent.glob(f".{glob.escape(destination.name)}.*{_SUFFIX}"):
        pid = leftover.name[len(destination.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or cannot tell: leave it
    return True


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _check_parent(destination: Path) -> None:
    if not destination.parent.is_dir():
        raise AnnotatorError(f"the folder {destination.parent} does not exist")


def _check_replaceable(destination: Path) -> None:
    if not destination.is_dir():
        raise AnnotatorError(f"{destination} exists and is not a folder")
    for path in destination.rglob("*"):
        if path.is_file() and path.suffix not in _FOLDER_EXPORT_FILES:
            raise AnnotatorError(
                f"{destination} holds other files ({path.name}); choose an empty or new folder"
            )
