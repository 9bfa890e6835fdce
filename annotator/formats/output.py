"""Where a writer puts its output: the staged main file or folder, and staged side files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.formats.atomic import Staging


@dataclass(slots=True)
class Output:
    """``main`` is a temporary path; ``destination`` is where it will be moved."""

    main: Path
    destination: Path
    staging: Staging

    def side_file(self, suffix: str) -> Path:
        """A staged file beside the destination, named ``STEM + suffix``."""
        name = self.destination.name
        stem = name[: -len(self.destination.suffix)] if self.destination.suffix else name
        return self.staging.file(self.destination.with_name(stem + suffix))
