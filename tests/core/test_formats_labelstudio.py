"""Label Studio tasks and label config; spaCy DocBin; jsonl and doccano shapes."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

import annotator
from annotator import AnnotatorError, Project
from annotator.formats import spacy_format
from annotator.service.exchange import import_annotations
from annotator.service.labels import BAD_COLOR, KEY_TAKEN, PROJECT_STYLE
from tests.core.formats_support import export_to, written

TEXT = "Officials 😀 said\r\nthe dam is safe."


@pytest.fixture
def annotated(project: Project) -> tuple[Project, str, list[str]]:
    document_id = project.add_document(TEXT, "Dam", meta={"source": "wire"})
    ids = [project.add_annotation(document_id, 0, 9, "source", note="who?")]
    project.set_user("bob")
    ids.append(project.add_annotation(document_id, 12, 34, "claim"))
    project.set_user("alice")
    return project, document_id, ids


def test_labelstudio_tasks_and_config(
    annotated: tuple[Project, str, list[str]], tmp_path: Path
) -> None:
    project, document_id, ids = annotated
    out, _ = export_to(project, "labelstudio", tmp_path)
    [task] = json.loads(out.read_text(encoding="utf-8"))
    assert task["data"] == {"text": TEXT, "title": "Dam", "document_id": document_id,
                            "meta": {"source": "wire"}}
    # Label Studio's converters read task["id"]; its importer refuses a "completed_by"
    # email that is not one of its users, so the name travels as "annotator" instead.
    assert task["id"] == 1
    alice, bob = task["annotations"]
    assert "completed_by" not in alice and "completed_by" not in bob
    assert (alice["annotator"], bob["annotator"]) == ("alice", "bob")
    label, note = alice["result"]
    assert {k: label[k] for k in ("id", "from_name", "to_name", "type", "origin")} == {
        "id": ids[0], "from_name": "label", "to_name": "text", "type": "labels",
        "origin": "manual"}
    assert label["value"] == {"start": 0, "end": 9, "text": "Officials", "labels": ["source"]}
    assert note["id"] == ids[0] and note["type"] == "textarea"
    assert note["value"]["text"] == ["who?"]
    assert bob["result"][0]["value"]["text"] == TEXT[12:34]
    config = ElementTree.parse(tmp_path / "tasks.labelconfig.xml").getroot()
    labels = config.find("Labels")
    assert labels is not None and labels.get("name") == "label" and labels.get("toName") == "text"
    assert [(x.get("value"), x.get("background"), x.get("hotkey")) for x in labels] == [
        ("claim", "#E69F00", "1"), ("source", "#56B4E9", "2"), ("fact", "#009E73", "3")]
    text = config.find("Text")
    assert text is not None and text.get("value") == "$text"


def test_labelstudio_files_from_label_studio(project: Project, tmp_path: Path) -> None:
    tasks = [{"id": 1, "data": {"text": "Alpha beta."}, "annotations": [
        {"completed_by": 3, "result": [
            {"id": "wW3S_1xYzZ", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 5, "text": "Alpha", "labels": ["claim"]}},
            {"id": "c1", "from_name": "sent", "to_name": "text", "type": "choices",
             "value": {"choices": ["x"]}}]}],
        "predictions": [{"result": []}]}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    result = import_annotations(project, path, "labelstudio")
    assert result.counts.added == 1
    assert result.skipped == {"results of type 'choices'": 1,
                              "predictions (only annotations are imported)": 1}
    [annotation] = project.annotations()
    assert annotation.annotator == "Label Studio user 3"
    assert import_annotations(project, path, "labelstudio").counts.unchanged == 1


def test_label_colours_and_keys_survive_the_round_trip(project: Project, tmp_path: Path) -> None:
    project.add_label("opinion", "#CC79A7", "4")
    project.add_label("quote", "#0072B2")
    document_id = project.add_document("We think it is fine.", "Op")
    project.add_annotation(document_id, 0, 19, "opinion")
    out, _ = export_to(project, "labelstudio", tmp_path / "one")
    with annotator.open_project(tmp_path / "fresh.db", user="bob") as fresh:
        result = import_annotations(fresh, out, "labelstudio")
        assert result.counts.labels_created == ["opinion", "quote"] and result.skipped == {}
        assert [(x.name, x.color, x.key) for x in fresh.labels()] == [
            (x.name, x.color, x.key) for x in project.labels()]
        again, _ = export_to(fresh, "labelstudio", tmp_path / "two")
        assert written(again, "labelstudio")["tasks.labelconfig.xml"] == \
            written(out, "labelstudio")["tasks.labelconfig.xml"]


def test_label_studio_config_colours_and_hotkeys(project: Project, tmp_path: Path) -> None:
    (tmp_path / "ls.labelconfig.xml").write_text(
        '<View><Labels name="label" toName="text">'
        '<Label value="ORG" background="#abc" hotkey="o"/>'
        '<Label value="PER" background="red" hotkey="1"/>'
        '<Label value="LOC"/>'
        '<Label value="claim" background="#000000"/>'
        '</Labels><Text name="text" value="$text"/></View>', encoding="utf-8")
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"data": {"text": "Kim"}, "annotations": []}]), encoding="utf-8")
    result = import_annotations(project, path, "labelstudio")
    # A named colour is not kept (a palette colour is), a key used by "claim" is left off,
    # and the project's own "claim" keeps its colour.
    assert result.skipped == {BAD_COLOR: 1, KEY_TAKEN: 1, PROJECT_STYLE: 1}
    labels = {x.name: (x.color, x.key) for x in project.labels()}
    assert labels["ORG"] == ("#AABBCC", "o")
    assert labels["PER"][1] is None and labels["PER"][0] != "RED"
    assert labels["LOC"][1] is None
    assert labels["claim"] == ("#E69F00", "1")


def test_jsonl_and_doccano_shapes(
    annotated: tuple[Project, str, list[str]], tmp_path: Path
) -> None:
    project, document_id, ids = annotated
    out, _ = export_to(project, "jsonl", tmp_path / "j")
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert list(line) == ["id", "title", "text", "meta", "spans", "relations"]
    assert line["relations"] == [] and line["id"] == document_id
    for span in line["spans"]:
        assert span["text"] == TEXT[span["start"] : span["end"]]
        assert set(span) >= {"id", "start", "end", "label", "text", "annotator", "note", "status"}
    out, _ = export_to(project, "doccano", tmp_path / "d")
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["label"] == [[0, 9, "source"], [12, 34, "claim"]]
    assert [i["id"] for i in line["label_info"]] == ids


def test_spacy_docbin_spans_map_exactly(
    annotated: tuple[Project, str, list[str]], tmp_path: Path
) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    project, _document_id, ids = annotated
    out, result = export_to(project, "spacy", tmp_path)
    [doc] = DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)
    assert doc.text == TEXT
    spans = [(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans["sc"]]
    assert spans == [(0, 9, "source", ids[0]), (12, 34, "claim", ids[1])]
    assert result.lossy == {}


def test_spacy_missing_gives_the_install_hint(
    annotated: tuple[Project, str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object) -> object:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("No module named 'spacy'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(spacy_format, "_NLP", None)
    monkeypatch.setattr(builtins, "__import__", no_spacy)
    project, _document_id, _ids = annotated
    with pytest.raises(AnnotatorError, match=r"pip install 'annotator\[spacy\]'"):
        export_to(project, "spacy", tmp_path)
    assert not (tmp_path / "data.spacy").exists()
    assert [p.name for p in tmp_path.iterdir() if "spacy" in p.name] == []
