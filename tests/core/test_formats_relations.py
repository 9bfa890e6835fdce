"""Relations survive every round trip of the formats that carry them: jsonl, doccano, brat,
Label Studio, W3C Web Annotation and spaCy."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import annotator
from annotator import AnnotatorError, Project
from annotator.formats.selection import ExportFilters
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to, written

TEXT = "The mayor said the bridge is safe. Engineers found cracks in 2023."
LABELS = ("claim", "source", "fact")
USERS = ("alice", "bob")

Work = tuple[list[tuple[int, int, str, str]], list[tuple[int, int, str, str]]]


@st.composite
def work(draw: st.DrawFn) -> Work:
    """Spans (start, end, label, user) and relations (from index, to index, type, user)."""
    spans = []
    for _ in range(draw(st.integers(2, 6))):
        start = draw(st.integers(0, len(TEXT) - 2))
        end = draw(st.integers(start + 1, min(len(TEXT), start + 20)))
        spans.append((start, end, draw(st.sampled_from(LABELS)), draw(st.sampled_from(USERS))))
    links = []
    for _ in range(draw(st.integers(0, 6))):
        first = draw(st.integers(0, len(spans) - 1))
        second = draw(st.integers(0, len(spans) - 1))
        links.append((first, second, draw(st.sampled_from(("related", "attributed_to"))),
                      draw(st.sampled_from(USERS))))
    return spans, links


def build(path: Path, spans: list[tuple[int, int, str, str]],
          links: list[tuple[int, int, str, str]]) -> Project:
    project = annotator.open_project(path, user="alice")
    project.add_relation_type("related")
    document = project.add_document(TEXT, "Bridge")
    ids: list[str | None] = []
    for start, end, label, user in spans:
        project.set_user(user)
        try:
            ids.append(project.add_annotation(document, start, end, label))
        except AnnotatorError:  # the same span twice: refused as a duplicate
            ids.append(None)
    for first, second, kind, user in links:
        project.set_user(user)
        source, target = ids[first], ids[second]
        if source is None or target is None:
            continue
        try:
            project.add_relation(source, target, kind)
        except AnnotatorError:  # a self-link, labels the type refuses, or a duplicate
            continue
    return project


def relations(project: Project) -> Counter[tuple[str, str, str, str, str]]:
    return Counter((r.id, r.type, r.from_id, r.to_id, r.annotator) for r in project.relations())


def links(project: Project) -> set[tuple[str, int, int, str, int, int, str, str]]:
    """Each relation as its document, its ends' offsets and labels and its type: what a
    format without our ids or annotators (brat) keeps."""
    spans = {a.id: a for a in project.annotations()}
    found = set()
    for r in project.relations():
        a, b = spans[r.from_id], spans[r.to_id]
        found.add((a.document_id, a.start, a.end, a.label, b.start, b.end, b.label, r.type))
    return found


# Formats that keep relation ids and annotators, and those that keep only the links.
EXACT = ["jsonl", "doccano", "labelstudio", "webannotation"]
LINKS_ONLY = ["brat"]


def carried(fmt: str, project: Project) -> Counter[tuple[str, str, str, str, str]]:
    """The relations ``fmt`` writes: Label Studio links regions of one annotation (one
    annotator's) only; brat, holding no annotators, writes one link of several annotators
    between the same annotations once."""
    found = relations(project)
    if fmt == "labelstudio":
        owner = {a.id: a.annotator for a in project.annotations()}
        found = Counter({r: n for r, n in found.items() if owner[r[2]] == owner[r[3]]})
    if fmt == "brat":
        once = {(r[1], r[2], r[3]): r for r in sorted(found)}
        found = Counter(once.values())
    return found


SPACY = pytest.param("spacy", marks=pytest.mark.skipif(
    importlib.util.find_spec("spacy") is None, reason="spaCy not installed"))


@pytest.mark.parametrize("fmt", [*EXACT, SPACY, *LINKS_ONLY])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=work())
# Twins (the same span and label of two annotators), each the origin of a relation: brat
# holds no annotators, so they arrive as one importing user's twins and are folded.
@example(drawn=([(15, 33, "claim", "alice"), (15, 33, "claim", "bob"), (0, 9, "source", "bob")],
                [(0, 2, "attributed_to", "alice"), (1, 2, "attributed_to", "bob")]))
# brat: twins' T lines must come in the order importing pairs them with the project's
# annotations (oldest first), or the relation back in its project points the other way.
@example(drawn=([(0, 1, "claim", "alice"), (0, 1, "claim", "bob")], [(0, 1, "related", "alice")]))
# brat: a link that two annotators made is written once (and reported).
@example(drawn=([(0, 1, "claim", "bob"), (0, 1, "claim", "alice")],
                [(0, 1, "related", "alice"), (0, 1, "related", "bob")]))
def test_relations_round_trip(fmt: str, drawn: Work) -> None:
    exact = fmt != "brat"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with build(root / "source.db", *drawn) as source:
            expected = relations(source)
            out, report = export_to(source, fmt, root / "out")
            lost = sum(expected.values()) - sum(carried(fmt, source).values())
            assert sum(n for reason, n in report.lossy.items() if "relation" in reason) == lost
            with annotator.open_project(root / "copy.db", user="importer") as copy:
                # The same scheme: the files list every relation type, used or not.
                copy.add_relation_type("related")
                imported = import_annotations(copy, out, fmt)
                if exact:
                    assert imported.counts.relations_added == len(carried(fmt, source))
                    assert relations(copy) == carried(fmt, source)
                else:
                    assert links(copy) == links(source)
                kept = relations(copy)
                again = import_annotations(copy, out, fmt)
                assert again.counts.relations_added == again.counts.relations_updated == 0
                assert relations(copy) == kept
                # Export -> fresh project -> export: the same file.
                second, _ = export_to(copy, fmt, root / "two")
                assert written(second, fmt) == written(out, fmt) or not exact
                assert links(copy) == links(source) or lost
            # Back into the project it came from: nothing changes.
            back = import_annotations(source, out, fmt)
            assert (back.counts.relations_added, back.counts.relations_updated) == (0, 0)
            assert relations(source) == expected


def test_jsonl_writes_relations_by_span_id(tmp_path: Path) -> None:
    with build(tmp_path / "p.db", [(0, 9, "source", "alice"), (15, 33, "claim", "alice")],
               [(1, 0, "attributed_to", "alice")]) as project:
        [relation] = project.relations()
        out, _ = export_to(project, "jsonl", tmp_path / "out")
        [line] = out.read_text(encoding="utf-8").splitlines()
        record = json.loads(line)
        assert record["relations"] == [{
            "id": relation.id, "type": "attributed_to", "from": relation.from_id,
            "to": relation.to_id, "annotator": "alice"}]
        assert {s["id"] for s in record["spans"]} == {relation.from_id, relation.to_id}
        # A relation one of whose ends is filtered out of the export is left out too.
        out, _ = export_to(project, "jsonl", tmp_path / "claims",
                           ExportFilters(labels=("claim",)))
        assert json.loads(out.read_text(encoding="utf-8"))["relations"] == []


def test_doccano_writes_its_relation_extraction_shape(tmp_path: Path) -> None:
    with build(tmp_path / "p.db", [(0, 9, "source", "alice"), (15, 33, "claim", "alice")],
               [(1, 0, "attributed_to", "alice")]) as project:
        out, _ = export_to(project, "doccano", tmp_path / "out")
        record = json.loads(out.read_text(encoding="utf-8"))
        assert record["entities"] == [
            {"id": 1, "label": "source", "start_offset": 0, "end_offset": 9},
            {"id": 2, "label": "claim", "start_offset": 15, "end_offset": 33}]
        assert record["relations"] == [{"id": 1, "from_id": 2, "to_id": 1,
                                        "type": "attributed_to"}]


def test_spacy_relations_by_span_position(tmp_path: Path) -> None:
    """A DocBin made by other code names a relation's ends by their places in
    doc.spans["sc"] (its spans have no ids of ours)."""
    spacy = pytest.importorskip("spacy", reason="spaCy not installed")
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = nlp("The mayor said the bridge is safe.")
    doc.spans["sc"] = [doc.char_span(0, 9, label="source"), doc.char_span(15, 33, label="claim")]
    doc.user_data["relations"] = [{"type": "attributed_to", "from_index": 1, "to_index": 0},
                                  {"type": "attributed_to", "from_index": 1, "to_index": 7}]
    out = tmp_path / "other.spacy"
    DocBin(store_user_data=True, docs=[doc]).to_disk(out)
    with annotator.open_project(tmp_path / "p.db", user="importer") as project:
        result = import_annotations(project, out, "spacy")
        assert result.skipped == {"relation(s) whose ends are not both spans of the document": 1}
        [relation] = project.relations()
        spans = {a.id: (a.start, a.end, a.label) for a in project.annotations()}
        assert (spans[relation.from_id], spans[relation.to_id], relation.type) == (
            (15, 33, "claim"), (0, 9, "source"), "attributed_to")
        assert import_annotations(project, out, "spacy").counts.relations_added == 0
