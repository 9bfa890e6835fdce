"""jsonl, doccano and csv read as their consumers read them: JSON Lines line by line in
text mode (universal newlines, as Python's ``json`` users, srsly/Prodigy and doccano do),
CSV with Python's ``csv`` module (RFC 4180, the BOM dropped)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from tests.interop.conftest import Awkward

# The README: cells a spreadsheet would run as a formula (or starting with ') get a '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def json_lines(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_jsonl_spans_hold_their_passages(awkward: Awkward) -> None:
    out, _ = awkward.export("jsonl")
    records = {r.id: r for r in awkward.annotations}
    lines = json_lines(out)
    assert sorted(line["id"] for line in lines) == sorted(awkward.texts)
    for line in lines:
        assert line["text"] == awkward.texts[line["id"]]
        for span in line["spans"]:
            record = records.pop(span["id"])
            assert line["text"][span["start"] : span["end"]] == span["text"] \
                == awkward.passage(record)
            assert (span["label"], span["annotator"], span["note"]) == (
                record.label, record.annotator, record.note)
    assert records == {}


def test_doccano_labels_hold_their_passages(awkward: Awkward) -> None:
    out, _ = awkward.export("doccano")
    lines = json_lines(out)
    assert len(lines) == len(awkward.texts)
    by_text = {text: document_id for document_id, text in awkward.texts.items()}
    found = sorted(
        (by_text[line["text"]], start, end, label) for line in lines
        for start, end, label in line["label"]
    )
    assert found == sorted((r.document_id, r.start, r.end, r.label) for r in awkward.annotations)


def test_csv_rows_hold_their_passages(awkward: Awkward) -> None:
    out, _ = awkward.export("csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    records = {r.id: r for r in awkward.annotations}

    def shown(value: str | None) -> str:
        value = value or ""
        return "'" + value if value.startswith(FORMULA_START) else value

    with open(out, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            record = records.pop(row["annotation_id"])
            assert row["document_id"] == record.document_id
            assert (int(row["start"]), int(row["end"])) == (record.start, record.end)
            assert row["text"] == shown(awkward.passage(record))
            assert row["label"] == shown(record.label)
            assert row["note"] == shown(record.note)
            assert row["annotator"] == record.annotator
    assert records == {}
