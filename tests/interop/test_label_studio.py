"""Label Studio: label-studio-sdk's label interface parses and validates the exported
labelling configuration, and validates every region of every task against it; each
region's offsets hold the project's passage in the task's text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.interop.conftest import Awkward

interface_module = pytest.importorskip(
    "label_studio_sdk.label_interface",
    reason="label-studio-sdk (the interop extra) is not installed",
)


def _exported(awkward: Awkward) -> tuple[Any, list[dict[str, Any]]]:
    out, _ = awkward.export("labelstudio")
    config = out.with_name(out.stem + ".labelconfig.xml").read_text(encoding="utf-8")
    tasks: list[dict[str, Any]] = json.loads(Path(out).read_text(encoding="utf-8"))
    return interface_module.LabelInterface(config), tasks


def test_label_config_is_valid_and_names_every_label(awkward: Awkward) -> None:
    interface, _tasks = _exported(awkward)
    interface.validate()  # Label Studio's config schema, unique names, toName targets
    control = interface.get_control("label")
    assert control.tag == "Labels" and control.to_name == ["text"]
    assert control.labels == awkward.labels
    colours = {label.name: label.color for label in awkward.project.labels()}
    shown = {name: tag.attr.get("background") for name, tag in control.labels_attrs.items()}
    assert shown == colours
    note = interface.get_control("note")
    assert note.tag == "TextArea" and note.attr.get("perRegion") == "true"


def test_every_region_is_valid_and_holds_its_passage(awkward: Awkward) -> None:
    interface, tasks = _exported(awkward)
    assert len(tasks) == len(awkward.texts)
    records = {r.id: r for r in awkward.annotations}
    notes = {}
    for task in tasks:
        text = task["data"]["text"]
        assert interface.get_object("text").value_name == "text"
        for block in task["annotations"]:
            for number, region in enumerate(block["result"]):
                if region["type"] == "relation":
                    continue  # checked with their regions, below
                assert interface.validate_region(region, return_errors=True,
                                                 region_index=number) == []
                value = region["value"]
                if region["type"] == "textarea":
                    notes[region["id"]] = "\n".join(value["text"])
                    continue
                record = records.pop(region["id"])
                assert text == awkward.texts[record.document_id]
                assert (value["start"], value["end"]) == (record.start, record.end)
                assert text[value["start"] : value["end"]] == value["text"] \
                    == awkward.passage(record)
                assert value["labels"] == [record.label]
                assert block["annotator"] == record.annotator
    assert records == {}
    assert notes == {r.id: r.note for r in awkward.annotations if r.note}


def test_relations_are_valid_label_studio_relations(awkward: Awkward) -> None:
    interface, tasks = _exported(awkward)
    spans = {r.id: r for r in awkward.annotations}
    found = {}
    for task in tasks:
        for block in task["annotations"]:
            # Label Studio's own check of a whole annotation: regions, then every relation's
            # from_id/to_id among them and its direction.
            assert interface.validate_annotation(block)
            for result in block["result"]:
                if result["type"] == "relation":
                    assert result["direction"] == "right"
                    assert spans[result["from_id"]].annotator == block["annotator"]
                    assert spans[result["to_id"]].annotator == block["annotator"]
                    found[result["relation_id"]] = (result["labels"], result["from_id"],
                                                    result["to_id"])
    # Label Studio links regions of one annotation: the relation between two annotators'
    # annotations is the one left out.
    expected = {r.id: ([r.type], r.from_id, r.to_id) for r in awkward.relations
                if spans[r.from_id].annotator == spans[r.to_id].annotator}
    assert len(expected) == len(awkward.relations) - 1
    assert found == expected
    out, _ = awkward.export("labelstudio")
    config = out.with_name(out.stem + ".labelconfig.xml").read_text(encoding="utf-8")
    declared = [node.get("value") for node in ElementTree.fromstring(config).iter("Relation")]
    assert declared == [kind.name for kind in awkward.project.relation_types()]
