"""What the exchange dialogs show about formats, and the checkable lists they filter with."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from annotator.formats import FORMATS

# What each format is, in one line, for the format combo (tooltips) and the note under it.
FORMAT_TITLES: dict[str, tuple[str, str]] = {
    "jsonl": ("JSON Lines", "One JSON object per document with its text and spans "
              "(the shape spaCy and Prodigy read)."),
    "doccano": ("doccano JSONL", "doccano's sequence-labelling JSONL: text plus "
                "[start, end, label] triples."),
    "brat": ("brat standoff (folder)", "A folder of .txt and .ann files per document, with "
             "annotation.conf."),
    "conll": ("CoNLL 2003 (IOB2)", "Token-per-line IOB2 tags; overlapping or partial-token "
              "spans are adjusted and counted."),
    "csv": ("CSV spreadsheet", "One row per annotation, UTF-8 with BOM, safe to open in a "
            "spreadsheet."),
    "labelstudio": ("Label Studio JSON", "Label Studio tasks, with a matching labelling "
                    "configuration beside them."),
    "webannotation": ("W3C Web Annotation (JSON-LD)", "An AnnotationCollection with position "
                      "and quote selectors."),
    "spacy": ("spaCy DocBin", 'A .spacy DocBin with the spans in doc.spans["sc"] '
              "(needs the spacy extra)."),
}

ERROR_STYLE = "color: #b42318;"


def format_title(name: str) -> str:
    return FORMAT_TITLES.get(name, (name, ""))[0]


def format_description(name: str) -> str:
    spec = FORMATS[name]
    kind = "a folder" if spec.folder else f"a {spec.extension} file"
    text = FORMAT_TITLES.get(name, ("", f"The {name} format."))[1]
    return f"{text} Writes {kind}."


def spacy_available() -> bool:
    return importlib.util.find_spec("spacy") is not None


def checklist(name: str, accessible: str, items: list[tuple[str, str]]) -> QListWidget:
    """A list of checkable items (text, data), all checked."""
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setUniformItemSizes(True)
    for text, data in items:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
    return widget


def checked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    ]


def set_checked(widget: QListWidget, values: set[str]) -> None:
    """Check exactly the items whose data is in ``values``."""
    for row in range(widget.count()):
        item = widget.item(row)
        on = item.data(Qt.ItemDataRole.UserRole) in values
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
