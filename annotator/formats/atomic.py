"""Write to temporary files and folders beside the destination, then move them in place.

An export that fails or is cancelled removes its temporaries and leaves every destination
as it was; one that succeeds replaces each destination with ``os.replace`` (atomic for a
file on one file system).
"""

from __future__ import annotations

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
        handle, name = tempfile.mkstemp(
            prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
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
        temporary = Path(
            tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".part", dir=destination.parent)
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
