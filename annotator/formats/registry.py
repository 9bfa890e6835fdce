"""The registry of dataset formats: each one's name, file extension, writer and reader.

Importing it imports every format module (labelstudio's XML helpers pull in
``urllib.request``); ``annotator.formats`` loads it with the first name asked for, so the
shared submodules (``model``, ``output``, ``selection``) can load at start-up without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import AnnotatorError
from annotator.formats import brat, conll, csv_format, doccano, jsonl, labelstudio
from annotator.formats import spacy_format as spacy_format
from annotator.formats import webannotation as webannotation
from annotator.formats.model import ExportContext, ExportDocument, ExportNotes, ParsedFile
from annotator.formats.output import Output

Writer = Callable[[Output, Iterable[ExportDocument], ExportContext, ExportNotes], None]
Reader = Callable[[Path], ParsedFile]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    name: str
    extension: str
    folder: bool
    write: Writer
    read: Reader | None


FORMATS: dict[str, FormatSpec] = {
    "jsonl": FormatSpec("jsonl", jsonl.EXTENSION, False, jsonl.write, jsonl.read),
    "doccano": FormatSpec("doccano", doccano.EXTENSION, False, doccano.write, doccano.read),
    "brat": FormatSpec("brat", "", True, brat.write, brat.read),
    "conll": FormatSpec("conll", conll.EXTENSION, False, conll.write, None),
    "csv": FormatSpec("csv", csv_format.EXTENSION, False, csv_format.write, csv_format.read),
    "labelstudio": FormatSpec(
        "labelstudio", labelstudio.EXTENSION, False, labelstudio.write, labelstudio.read
    ),
    "webannotation": FormatSpec(
        "webannotation", webannotation.EXTENSION, False, webannotation.write, webannotation.read
    ),
    "spacy": FormatSpec(
        "spacy", spacy_format.EXTENSION, False, spacy_format.write, spacy_format.read
    ),
}


def get_format(name: str) -> FormatSpec:
    try:
        return FORMATS[name]
    except KeyError:
        raise AnnotatorError(
            f"unknown format {name!r}; use one of {', '.join(FORMATS)}"
        ) from None


def part_destination(out: Path, part: str, spec: FormatSpec) -> Path:
    """``data.jsonl`` -> ``data-train.jsonl``; a folder format gets ``out/train``."""
    if spec.folder:
        return out / part
    suffix = out.suffix
    stem = out.name[: -len(suffix)] if suffix else out.name
    return out.with_name(f"{stem}-{part}{suffix}")
