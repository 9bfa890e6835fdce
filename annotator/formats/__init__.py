"""Dataset formats: one module per format, each with ``write`` and (most) ``read``.

A writer takes an :class:`~annotator.formats.output.Output`, a stream of
:class:`~annotator.formats.model.ExportDocument` and fills in an
:class:`~annotator.formats.model.ExportNotes`; a reader takes a path and returns a
:class:`~annotator.formats.model.ParsedFile` for :func:`annotator.service.ingest.ingest`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.formats.registry import (
        FORMATS,
        FormatSpec,
        Reader,
        Writer,
        get_format,
        part_destination,
    )

_REGISTRY_NAMES = frozenset(
    {"FORMATS", "FormatSpec", "Reader", "Writer", "get_format", "part_destination"})


def __getattr__(name: str) -> Any:
    """The registry's names, loaded (with every format) when first used, not at start-up."""
    if name not in _REGISTRY_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.registry"), name)
    globals()[name] = value
    return value


__all__ = ["FORMATS", "FormatSpec", "Reader", "Writer", "get_format", "part_destination"]
