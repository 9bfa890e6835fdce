"""Helpers for the format tests: export to a temporary place and read back what was written."""

from __future__ import annotations

from pathlib import Path

from annotator import Project
from annotator.formats import get_format
from annotator.formats.selection import ExportFilters
from annotator.service.exchange import ExportResult, export_dataset

FILE_NAMES = {
    "jsonl": "data.jsonl",
    "doccano": "data.jsonl",
    "csv": "data.csv",
    "brat": "brat",
    "conll": "data.conll",
    "labelstudio": "tasks.json",
    "webannotation": "data.jsonld",
    "spacy": "data.spacy",
}
IMPORTABLE = ("jsonl", "doccano", "csv", "brat", "labelstudio", "webannotation", "spacy")


def export_to(
    project: Project, fmt: str, folder: Path, filters: ExportFilters | None = None, **kw: object
) -> tuple[Path, ExportResult]:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / FILE_NAMES[fmt]
    result = export_dataset(project, fmt, out, filters, **kw)  # type: ignore[arg-type]
    return out, result


def written(out: Path, fmt: str) -> dict[str, bytes]:
    """Every file an export wrote, by name relative to its folder (side files included)."""
    if get_format(fmt).folder:
        return {
            str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    files = {out.name: out.read_bytes()}
    side = out.with_name(out.stem + ".labelconfig.xml")
    if side.exists():
        files[side.name] = side.read_bytes()
    return files
