"""brat configuration: type names brat keeps, label names, colours and keys that come back,
and folders of collections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import annotator
from annotator import Project
from annotator.errors import AnnotatorError
from annotator.formats.brat_conf import TypeNames
from annotator.service.exchange import import_annotations
from tests.core.formats_support import export_to

# brat's rule for a type (its verifier calls others "unknown type"), and a line of only
# hyphens, which its configuration reader takes for a separator.
BRAT_TYPE = re.compile(r"^[A-Za-z0-9_-]+$")
LABELS = {
    "opinião": ("#CC79A7", "q"),
    "a/b": ("#112233", None),
    "a.b": ("#445566", "w"),
    "x:y": ("#778899", None),
    'say "hi" & <go>': ("#AABBCC", None),
    "a|b \\ c": ("#DDEEFF", None),
    "SPAN_DEFAULT": ("#010203", None),
    "---": ("#040506", None),
    "東京": ("#070809", None),
}


def _sections(path: Path) -> dict[str, list[str]]:
    """Non-comment lines by section, as brat's configuration reader groups them."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


@pytest.fixture
def labelled(project: Project) -> Project:
    document_id = project.add_document("Every label tags this text once.", "Labels")
    for number, (name, (color, key)) in enumerate(LABELS.items()):
        project.add_label(name, color=color, key=key)
        project.add_annotation(document_id, number, number + 3, name)
    return project


def test_every_label_is_written_as_a_type_brat_keeps(labelled: Project, tmp_path: Path) -> None:
    out, result = export_to(labelled, "brat", tmp_path / "out")
    entities = _sections(out / "annotation.conf")["entities"]
    assert len(set(entities)) == len(entities) == len(LABELS) + 3
    for name in entities:
        assert BRAT_TYPE.match(name) and set(name) != {"-"}, name
    [ann] = out.glob("*.ann")
    used = {line.split("\t")[1].split(" ")[0] for line in ann.read_text("utf-8").splitlines()}
    assert used <= set(entities)
    visual = out / "visual.conf"
    # brat refuses a whole configuration with an undefined <macro> in it.
    assert not re.search(r"<.*?>", visual.read_text(encoding="utf-8"))
    labels = {line.split("|")[0].strip(): [t.strip() for t in line.split("|")[1:]]
              for line in _sections(visual)["labels"]}
    relation_types = [line.split("\t")[0] for line in _sections(out / "annotation.conf")
                      ["relations"] if not line.startswith("<")]
    assert relation_types == ["attributed_to", "supports", "contradicts"]
    assert set(labels) == set(entities) | set(relation_types)
    assert labels["opiniao"] == ["opinião"] and labels["say_hi_go_"] == ['say "hi" & \\u003cgo>']
    assert result.lossy["label 'opinião' written as brat type 'opiniao' "
                        "(visual.conf keeps its name)"] == 1
    assert result.lossy["label 'a.b' written as brat type 'a_b-2' "
                        "(visual.conf keeps its name)"] == 1


def test_label_names_colours_and_keys_come_back(labelled: Project, tmp_path: Path) -> None:
    out, _ = export_to(labelled, "brat", tmp_path / "out")
    with annotator.open_project(tmp_path / "other.db", user="importer") as other:
        import_annotations(other, out, "brat")
        theirs = {(label.name, label.color, label.key) for label in other.labels()}
        assert theirs == {(label.name, label.color, label.key) for label in labelled.labels()}
        assert sorted(a.label for a in other.annotations()) == sorted(LABELS)
        again, _ = export_to(other, "brat", tmp_path / "again")
        for name in ("annotation.conf", "visual.conf", "kb_shortcuts.conf"):
            assert (again / name).read_bytes() == (out / name).read_bytes()
    back = import_annotations(labelled, out, "brat")
    assert back.counts.labels_created == [] and back.counts.unchanged == len(LABELS)


def test_type_names_are_stable_and_keep_names_that_are_types_already() -> None:
    names = TypeNames(["a/b", "a_b", "x y", "x_y-2", "é"])
    assert [names(label) for label in ("a/b", "a_b", "x y", "x_y-2", "é")] == [
        "a_b-2", "a_b", "x_y", "x_y-2", "e"]
    assert names("a.b") == "a_b-3" and names("a.b") == "a_b-3"


def test_a_folder_of_collections_imports_every_one(project: Project, tmp_path: Path) -> None:
    for number in range(4):
        document_id = project.add_document(f"Document number {number}.", f"D{number}")
        project.add_annotation(document_id, 0, 8, "claim")
    out, _ = export_to(project, "brat", tmp_path / "out", split="train=0.5,test=0.5")
    assert sorted(p.name for p in out.iterdir()) == ["test", "train"]
    with annotator.open_project(tmp_path / "other.db", user="importer") as other:
        result = import_annotations(other, out, "brat")
        assert (result.counts.documents_created, result.counts.added) == (4, 4)


def test_a_folder_without_documents_is_refused_and_changes_nothing(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "collections"
    (folder / "notes").mkdir(parents=True)
    (folder / "annotation.conf").write_text("[entities]\nPerson\n", encoding="utf-8")
    (folder / "notes" / "README.txt").write_text("Nothing to see.", encoding="utf-8")
    before = project.labels()
    with pytest.raises(AnnotatorError, match=r"no brat documents .* or its sub-folders"):
        import_annotations(project, folder, "brat")
    assert project.labels() == before and project.documents() == []


def test_relation_types_are_brat_types_with_their_labels(project: Project,
                                                         tmp_path: Path) -> None:
    project.add_label("opinião")
    project.add_relation_type("cité/par", ["opinião", "claim"], [])
    document_id = project.add_document("Ana said the dam is safe.", "Dam")
    said = project.add_annotation(document_id, 0, 3, "opinião")
    claim = project.add_annotation(document_id, 9, 24, "claim")
    project.add_relation(said, claim, "cité/par")
    out, result = export_to(project, "brat", tmp_path / "out")
    relations = _sections(out / "annotation.conf")["relations"]
    # brat's syntax: TYPE<TAB>Arg1:T1|T2, Arg2:T3; <ENTITY> is any entity type.
    assert relations == [
        "attributed_to\tArg1:claim, Arg2:source", "supports\tArg1:fact, Arg2:claim",
        "contradicts\tArg1:fact, Arg2:claim", "cite_par\tArg1:opiniao|claim, Arg2:<ENTITY>",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    assert "cite_par | cité/par" in _sections(out / "visual.conf")["labels"]
    assert result.lossy["relation type 'cité/par' written as brat type 'cite_par' "
                        "(visual.conf keeps its name)"] == 1
    [ann] = out.glob("*.ann")
    assert ann.read_text(encoding="utf-8").splitlines()[-1] == "R1\tcite_par Arg1:T1 Arg2:T2"
    with annotator.open_project(tmp_path / "other.db", user="importer") as other:
        import_annotations(other, out, "brat")
        [relation] = other.relations()
        assert relation.type == "cité/par"
        ends = {a.id: a.label for a in other.annotations()}
        assert (ends[relation.from_id], ends[relation.to_id]) == ("opinião", "claim")


def test_relation_type_names_never_clash_with_labels() -> None:
    names = TypeNames(["claim", "a/b"], ["claim", "a_b", "a/b"])
    assert [names(label) for label in ("claim", "a/b")] == ["claim", "a_b"]
    assert [names.relation(kind) for kind in ("claim", "a_b", "a/b")] == [
        "claim-2", "a_b-2", "a_b-3"]
