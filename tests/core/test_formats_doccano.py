"""doccano and jsonl import: every shape doccano exports is read; what is not kept is reported.

The records below are doccano's own example data (``backend/data_export/pipeline/examples``
of doccano/doccano), one line per record as its JSONL export writes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator import Project
from annotator.formats.doccano import COMMENTS, DOCUMENT_LABELS
from annotator.formats.jsonl import CATEGORIES
from annotator.formats.links import UNLINKED
from annotator.service.exchange import ImportResult, import_annotations

SEQUENCE_LABELING = [
    {"text": "EU rejects German call to boycott British lamb.",
     "label": [[0, 2, "ORG"], [11, 17, "MISC"]]},
    {"text": "Peter Blackburn", "label": [[0, 15, "PERSON"]]},
    {"text": "President Obama", "label": [[10, 15, "PERSON"]]},
]
RELATION_EXTRACTION = [{
    "text": "Google was founded on September 4, 1998, by Larry Page and Sergey Brin.",
    "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "ORG"},
                 {"id": 1, "start_offset": 22, "end_offset": 39, "label": "DATE"},
                 {"id": 2, "start_offset": 44, "end_offset": 54, "label": "PERSON"},
                 {"id": 3, "start_offset": 59, "end_offset": 70, "label": "PERSON"}],
    "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "foundedAt"},
                  {"id": 1, "from_id": 0, "to_id": 2, "type": "foundedBy"},
                  {"id": 2, "from_id": 0, "to_id": 3, "type": "foundedBy"}],
}]
INTENT_DETECTION = [
    {"text": "Find a flight from Memphis to Tacoma",
     "entities": [[0, 26, "City"], [30, 36, "City"]], "cats": ["flight"]},
    {"text": "I want to know what airports are in Los Angeles",
     "entities": [[36, 47, "City"]], "cats": ["airport"]},
]
TEXT_CLASSIFICATION = [
    {"text": "Terrible customer service.", "label": ["negative"]},
    {"text": "Really great transaction.", "label": ["positive"]},
    {"text": "Great price.", "label": ["positive"]},
]


def _import(project: Project, tmp_path: Path, records: list[dict[str, Any]],
            fmt: str = "doccano") -> ImportResult:
    path = tmp_path / f"{fmt}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return import_annotations(project, path, fmt)


def _spans(project: Project) -> list[tuple[str, str]]:
    texts = {d.id: project.document(d.id).text for d in project.documents()}
    return sorted((texts[a.document_id][a.start : a.end], a.label) for a in project.annotations())


def test_sequence_labeling(project: Project, tmp_path: Path) -> None:
    result = _import(project, tmp_path, SEQUENCE_LABELING)
    assert result.counts.added == 4 and result.skipped == {}
    assert _spans(project) == [("EU", "ORG"), ("German", "MISC"), ("Obama", "PERSON"),
                               ("Peter Blackburn", "PERSON")]


def test_relation_extraction_keeps_entities_and_relations(
    project: Project, tmp_path: Path
) -> None:
    result = _import(project, tmp_path, RELATION_EXTRACTION)
    assert result.counts.added == 4 and result.skipped == {}
    assert ("September 4, 1998", "DATE") in _spans(project)
    assert result.counts.relations_added == 3
    assert sorted(result.counts.relation_types_created) == ["foundedAt", "foundedBy"]
    [founded_by] = [t for t in project.relation_types() if t.name == "foundedBy"]
    assert (founded_by.from_labels, founded_by.to_labels) == (("ORG",), ("PERSON",))
    [document] = project.documents()
    text = project.document(document.id).text
    by_id = {a.id: text[a.start:a.end] for a in project.annotations()}
    assert sorted((by_id[r.from_id], r.type, by_id[r.to_id]) for r in project.relations()) == [
        ("Google", "foundedAt", "September 4, 1998"), ("Google", "foundedBy", "Larry Page"),
        ("Google", "foundedBy", "Sergey Brin")]
    # Importing it again adds nothing.
    again = _import(project, tmp_path, RELATION_EXTRACTION)
    assert (again.counts.relations_added, again.counts.relations_unchanged) == (0, 3)


def test_intent_detection_list_form_entities_and_cats(project: Project, tmp_path: Path) -> None:
    result = _import(project, tmp_path, INTENT_DETECTION)
    assert result.counts.added == 3
    assert result.skipped == {CATEGORIES: 2}
    assert ("Los Angeles", "City") in _spans(project) and ("Tacoma", "City") in _spans(project)


def test_text_classification_labels_are_reported(project: Project, tmp_path: Path) -> None:
    result = _import(project, tmp_path, TEXT_CLASSIFICATION)
    assert result.counts.documents_created == 3 and result.counts.added == 0
    assert result.skipped == {DOCUMENT_LABELS: 3}


def test_comments_reported_and_top_level_metadata_kept(project: Project, tmp_path: Path) -> None:
    # doccano writes an example's metadata as top-level keys, and its comments as "Comments".
    record = {"id": 17, "text": "Alpha beta.", "source": "wire", "label": [[0, 5, "claim"]],
              "Comments": ["check the date", "ok"]}
    result = _import(project, tmp_path, [record])
    assert result.counts.added == 1 and result.skipped == {COMMENTS: 2}
    [info] = project.documents()
    assert project.document(info.id).meta == {"source": "wire", "source_id": "17"}


def test_jsonl_relations_kept_and_cats_reported(project: Project, tmp_path: Path) -> None:
    record = {"text": "Kim met Lee.", "spans": [
        {"start": 0, "end": 3, "label": "source"}, {"start": 8, "end": 11, "label": "source"}],
        # Prodigy's shape: ends by offsets and label; one names a span that is not there.
        "relations": [
            {"head": 0, "child": 2, "label": "MET",
             "head_span": {"start": 0, "end": 3, "label": "source"},
             "child_span": {"start": 8, "end": 11, "label": "source"}},
            {"head": 2, "child": 0, "label": "MET",
             "head_span": {"start": 8, "end": 11, "label": "source"},
             "child_span": {"start": 4, "end": 7, "label": "source"}}],
        "cats": {"POLITICS": 1.0, "SPORT": 0.0}}
    result = _import(project, tmp_path, [record], "jsonl")
    assert result.counts.added == 2 and result.counts.relations_added == 1
    assert result.skipped == {UNLINKED: 1, CATEGORIES: 2}
    result = _import(project, tmp_path, [{**record, "relations": [], "cats": {}}], "jsonl")
    assert result.skipped == {}
