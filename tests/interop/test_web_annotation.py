"""W3C Web Annotation: the export passes the MUST assertions of the W3C test suite (its own
JSON schemas, vendored in ``w3c_schemas/``), and a JSON-LD processor (pyld, with the
offline ``anno.jsonld`` context) finds every project passage at its selectors."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.interop.conftest import Awkward

SCHEMAS = Path(__file__).parent / "w3c_schemas"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"


@cache
def _validators(test: str) -> list[tuple[str, Any]]:
    """The test suite's assertions of one ``.test`` file, as draft-04 validators that
    resolve ``id.json#/…``-style references to the suite's ``definitions/``."""
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema (the interop extra) is not installed")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), DRAFT4))
        for path in sorted((SCHEMAS / "definitions").glob("*.json"))
    )
    checker = jsonschema.FormatChecker()
    # Without rfc3986-validator and rfc3339-validator jsonschema accepts any string as a
    # uri or date-time, and the suite's format checks would pass vacuously.
    assert not checker.conforms("not a uri", "uri")
    assert not checker.conforms("2024-13-01T00:00:00", "date-time")
    validators = []
    for name in json.loads((SCHEMAS / test).read_text("utf-8"))["assertions"]:
        schema = json.loads((SCHEMAS / name).read_text("utf-8"))
        assert (schema["assertionType"], schema["expectedResult"]) == ("must", "valid"), name
        validators.append((name, jsonschema.Draft4Validator(
            schema, registry=registry, format_checker=checker)))
    return validators


def must_failures(test: str, instance: Any) -> list[str]:
    return [name for name, validator in _validators(test) if not validator.is_valid(instance)]


@pytest.fixture(scope="module")
def collection(awkward: Awkward) -> dict[str, Any]:
    out, _ = awkward.export("webannotation")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_collection_passes_the_w3c_musts(collection: dict[str, Any]) -> None:
    assert must_failures(COLLECTION_MUSTS, collection) == []


def test_embedded_page_passes_the_w3c_musts(collection: dict[str, Any]) -> None:
    # The page had no id (5.2-pageIdValidated).
    assert must_failures(PAGE_MUSTS, collection) == []
    page = collection["first"]
    assert page["id"].startswith("urn:uuid:") and page["partOf"] == collection["id"]


def test_every_annotation_passes_the_w3c_musts(
    awkward: Awkward, collection: dict[str, Any]
) -> None:
    items = collection["first"]["items"]
    assert len(items) == collection["total"] == len(awkward.annotations) + len(awkward.relations)
    for item in items:
        # An embedded annotation inherits the collection's context; the suite checks an
        # annotation as a document of its own.
        alone = {"@context": collection["@context"], **item}
        assert must_failures(ANNOTATION_MUSTS, alone) == [], item["id"]


def test_the_suite_catches_a_missing_page_id(collection: dict[str, Any]) -> None:
    broken = {**collection, "first": {k: v for k, v in collection["first"].items() if k != "id"}}
    assert must_failures(PAGE_MUSTS, broken) == ["collections/pages/5.2-pageIdValidated.json"]


def test_json_ld_selectors_hold_every_passage(
    awkward: Awkward, collection: dict[str, Any]
) -> None:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld (the test extra) is not installed")
    context_file = SHARED / "reference" / "anno.jsonld"
    if not context_file.is_file():
        pytest.skip("../shared/reference/anno.jsonld is not present beside the checkout")
    context = json.loads(context_file.read_text(encoding="utf-8"))

    def offline(url: str, _options: Any = None) -> dict[str, Any]:
        assert url == collection["@context"], url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    [expanded] = jsonld.expand(collection, {"documentLoader": offline})
    items = [item for item in expanded[f"{AS}first"][0][f"{AS}items"][0]["@list"]
             if item[f"{OA}motivatedBy"][0]["@id"] == f"{OA}tagging"]
    by_sha = {hashlib.sha256(t.encode("utf-8")).hexdigest(): t for t in awkward.texts.values()}
    records = {f"urn:uuid:{r.id}": r for r in awkward.annotations}
    assert len(items) == len(records)
    for item in items:
        record = records.pop(item["@id"])
        target = item[f"{OA}hasTarget"][0]
        text = by_sha[target[f"{OA}hasSource"][0]["@id"].removeprefix("urn:sha256:")]
        selectors = {s["@type"][0]: s for s in target[f"{OA}hasSelector"]}
        position = selectors[f"{OA}TextPositionSelector"]
        start, end = position[f"{OA}start"][0]["@value"], position[f"{OA}end"][0]["@value"]
        exact = selectors[f"{OA}TextQuoteSelector"][f"{OA}exact"][0]["@value"]
        assert text[start:end] == exact == awkward.passage(record)
        bodies = {b[f"{OA}hasPurpose"][0]["@id"]: b[RDF_VALUE][0]["@value"]
                  for b in item[f"{OA}hasBody"]}
        assert bodies.pop(f"{OA}tagging") == record.label
        assert bodies.pop(f"{OA}commenting", None) == record.note
        creator = item["http://purl.org/dc/terms/creator"][0]
        assert creator["http://xmlns.com/foaf/0.1/name"][0]["@value"] == record.annotator
    assert not records


def test_relations_are_linking_annotations_of_their_two_annotations(
    awkward: Awkward, collection: dict[str, Any]
) -> None:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld (the test extra) is not installed")
    context_file = SHARED / "reference" / "anno.jsonld"
    if not context_file.is_file():
        pytest.skip("../shared/reference/anno.jsonld is not present beside the checkout")
    context = json.loads(context_file.read_text(encoding="utf-8"))

    def offline(url: str, _options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": context}

    [expanded] = jsonld.expand(collection, {"documentLoader": offline})
    items = expanded[f"{AS}first"][0][f"{AS}items"][0]["@list"]
    links = {item["@id"]: item for item in items
             if item[f"{OA}motivatedBy"][0]["@id"] == f"{OA}linking"}
    tagged = {item["@id"] for item in items} - set(links)
    assert len(links) == len(awkward.relations) and len(tagged) == len(awkward.annotations)
    for relation in awkward.relations:
        item = links.pop(f"urn:uuid:{relation.id}")
        [body] = item[f"{OA}hasBody"]
        assert body[f"{OA}hasPurpose"][0]["@id"] == f"{OA}classifying"
        assert body[RDF_VALUE][0]["@value"] == relation.type
        # Both targets are annotations of the collection (oa:hasTarget is a set in RDF;
        # the JSON order, checked below, gives the direction).
        targets = {t["@id"] for t in item[f"{OA}hasTarget"]}
        assert targets == {f"urn:uuid:{relation.from_id}", f"urn:uuid:{relation.to_id}"}
        assert targets <= tagged
        creator = item["http://purl.org/dc/terms/creator"][0]
        assert creator["http://xmlns.com/foaf/0.1/name"][0]["@value"] == relation.annotator
    ordered = {item["id"]: item["target"] for item in collection["first"]["items"]
               if item["motivation"] == "linking"}
    assert ordered == {f"urn:uuid:{r.id}": [f"urn:uuid:{r.from_id}", f"urn:uuid:{r.to_id}"]
                       for r in awkward.relations}
