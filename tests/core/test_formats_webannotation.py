"""W3C Web Annotation: the JSON-LD expands to the right oa: terms; import re-anchors by quote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator import Project
from annotator.formats.model import FileRefused
from annotator.service.document_rows import text_sha256
from annotator.service.exchange import import_annotations
from tests.conftest import SHARED
from tests.core.formats_support import export_to

OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
TEXT = "Officials said 😀 the dam is safe.\r\n" + "Padding text. " * 5 + "The dam is safe."


@pytest.fixture
def exported(project: Project, tmp_path: Path) -> tuple[Project, str, Path]:
    document_id = project.add_document(TEXT, "Dam")
    project.add_annotation(document_id, 17, 32, "claim", note="a \"note\"\nhere")
    project.add_annotation(document_id, 0, 9, "source")
    out, _ = export_to(project, "webannotation", tmp_path / "out")
    return project, document_id, out


def test_collection_shape(exported: tuple[Project, str, Path]) -> None:
    project, document_id, out = exported
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["id"].startswith("urn:uuid:")
    assert data["total"] == 2 and data["first"]["type"] == "AnnotationPage"
    # The W3C model requires an id on the page too (test suite: 5.2-pageIdValidated).
    assert data["first"]["id"].startswith("urn:uuid:") and data["first"]["partOf"] == data["id"]
    source, claim = data["first"]["items"]
    assert claim["id"] == f"urn:uuid:{project.annotations()[1].id}"
    assert claim["motivation"] == "tagging" and claim["type"] == "Annotation"
    assert claim["creator"] == {"type": "Person", "name": "alice"}
    assert claim["created"].endswith("Z") and claim["modified"].endswith("Z")
    assert claim["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
        {"type": "TextualBody", "purpose": "commenting", "value": "a \"note\"\nhere"},
    ]
    target = claim["target"]
    assert target["source"] == f"urn:sha256:{text_sha256(TEXT)}"
    position, quote = target["selector"]
    assert position == {"type": "TextPositionSelector", "start": 17, "end": 32}
    assert quote["exact"] == "the dam is safe" == TEXT[17:32]
    assert quote["prefix"] == TEXT[:17] and quote["suffix"] == TEXT[32:64]
    assert len(quote["suffix"]) == 32
    assert source["body"] == [{"type": "TextualBody", "purpose": "tagging", "value": "source"}]
    [document] = data["documents"]
    assert document["value"] == TEXT and document["document_id"] == document_id


def test_json_ld_expansion_gives_oa_terms(exported: tuple[Project, str, Path]) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    context_file = SHARED / "reference" / "anno.jsonld"
    if not context_file.is_file():
        pytest.skip("../shared/reference/anno.jsonld is not present")
    context = json.loads(context_file.read_text(encoding="utf-8"))

    def loader(url: str, _options: Any = None) -> dict[str, Any]:
        assert url == "http://www.w3.org/ns/anno.jsonld", url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    _project, _document_id, out = exported
    data = json.loads(out.read_text(encoding="utf-8"))
    [collection] = jsonld.expand(data, {"documentLoader": loader})
    assert collection["@type"] == [f"{AS}OrderedCollection"]
    assert collection[f"{AS}totalItems"][0]["@value"] == 2
    assert not any("documents" in key for key in collection)  # our extension is dropped
    items = collection[f"{AS}first"][0][f"{AS}items"][0]["@list"]
    claim = items[1]
    assert claim["@type"] == [f"{OA}Annotation"]
    assert claim[f"{OA}motivatedBy"] == [{"@id": f"{OA}tagging"}]
    assert claim["http://purl.org/dc/terms/creator"][0]["@type"] == [
        "http://xmlns.com/foaf/0.1/Person"
    ]
    bodies = {
        b[f"{OA}hasPurpose"][0]["@id"]: b["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0][
            "@value"
        ]
        for b in claim[f"{OA}hasBody"]
    }
    assert bodies == {f"{OA}tagging": "claim", f"{OA}commenting": "a \"note\"\nhere"}
    target = claim[f"{OA}hasTarget"][0]
    assert target[f"{OA}hasSource"] == [{"@id": f"urn:sha256:{text_sha256(TEXT)}"}]
    selectors = {s["@type"][0]: s for s in target[f"{OA}hasSelector"]}
    position = selectors[f"{OA}TextPositionSelector"]
    assert position[f"{OA}start"][0]["@value"] == 17 and position[f"{OA}end"][0]["@value"] == 32
    quote = selectors[f"{OA}TextQuoteSelector"]
    assert quote[f"{OA}exact"][0]["@value"] == "the dam is safe"
    created = claim["http://purl.org/dc/terms/created"][0]
    assert created["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"


def test_moved_position_is_reanchored_by_a_unique_quote(
    exported: tuple[Project, str, Path], tmp_path: Path
) -> None:
    project, _document_id, out = exported
    data = json.loads(out.read_text(encoding="utf-8"))
    claim = data["first"]["items"][1]
    claim["target"]["selector"][0].update(start=3, end=18)  # stale offsets
    # "the dam is safe" occurs twice, "The dam is safe" once: the prefix decides.
    source = data["first"]["items"][0]
    source["target"]["selector"][0].update(start=40, end=49)
    moved = tmp_path / "moved.jsonld"
    moved.write_text(json.dumps(data), encoding="utf-8")
    result = import_annotations(project, moved, "webannotation")
    assert result.counts.notes == {"re-anchored by their quote (position did not match)": 2}
    assert result.counts.unchanged == 2
    assert [(a.start, a.end) for a in project.annotations()] == [(0, 9), (17, 32)]
    # A quote found nowhere refuses the file.
    claim["target"]["selector"][1].update(exact="not in the text", prefix="", suffix="")
    moved.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FileRefused, match="recorded passage 'not in the text'"):
        import_annotations(project, moved, "webannotation")


def test_without_documents_the_project_texts_are_used(
    exported: tuple[Project, str, Path], tmp_path: Path
) -> None:
    project, document_id, out = exported
    data = json.loads(out.read_text(encoding="utf-8"))
    del data["documents"]
    for item in data["first"]["items"]:
        item["id"] = "http://example.org/anno/" + item["body"][0]["value"]
    bare = tmp_path / "bare.jsonld"
    bare.write_text(json.dumps(data), encoding="utf-8")
    result = import_annotations(project, bare, "webannotation")
    assert result.counts.documents_matched == 1
    # Foreign ids: matched to the existing annotations with the same span and label.
    assert result.counts.added == 0 and result.counts.unchanged == 2
    assert len(project.annotations(document_id)) == 2
