"""Input no database can store, and the remembered annotator keys, through the service API."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from annotator import AnnotatorError, Project, open_project
from annotator.models import Label

# What Python makes of a byte that is not UTF-8 in a file name or a command-line argument.
LONE = "bad\udcff"


@pytest.fixture
def doc(project: Project) -> str:
    return project.add_document("The dam is safe, officials said.", "Dam")


@pytest.mark.parametrize(
    "write",
    [
        lambda p, d: p.add_label(LONE),
        lambda p, d: p.add_label("ok", description=LONE),
        lambda p, d: p.update_label("claim", new_name=LONE),
        lambda p, d: p.add_annotation(d, 0, 3, "claim", note=LONE),
        lambda p, d: p.add_annotation(d, 0, 3, LONE),
        lambda p, d: p.add_document("Another text entirely.", LONE),
        lambda p, d: p.add_document("Text with a \udcff lone surrogate.", "t"),
        lambda p, d: p.review_annotation(p.add_annotation(d, 0, 3, "claim"), "comment", LONE),
        lambda p, d: p.add_gold(d, 0, 3, "claim", note=LONE),
        lambda p, d: p.annotations(annotator=LONE),
    ],
)
def test_unstorable_text_is_a_clear_error(project: Project, doc: str, write: object) -> None:
    labels = project.labels()
    with pytest.raises(AnnotatorError, match=r"not valid Unicode|no label"):
        write(project, doc)  # type: ignore[operator]
    assert project.labels() == labels
    assert [d.title for d in project.documents()] == ["Dam"]
    assert project.reviews() == []


def test_unstorable_user_name_is_refused(project: Project) -> None:
    with pytest.raises(AnnotatorError, match="not valid Unicode"):
        project.set_user(LONE)
    assert project.user == "alice"


def test_remembered_annotator_key_survives_a_rolled_back_creation(project: Project,
                                                                  doc: str) -> None:
    # An annotator created inside a transaction that rolls back must not be remembered.
    with pytest.raises(RuntimeError), project._transaction() as session:
        project._annotator_pk(session, "zoe")
        raise RuntimeError("abort")
    project.set_user("zoe")
    annotation_id = project.add_annotation(doc, 0, 3, "claim")
    assert project.annotation(annotation_id).annotator == "zoe"
    assert "zoe" in project.annotators()


def test_two_projects_on_one_file_agree_on_annotators(project: Project, doc: str) -> None:
    other = open_project(project.location, user="bob")
    try:
        first = other.add_annotation(doc, 0, 3, "claim")
        project.set_user("bob")
        second = project.add_annotation(doc, 4, 7, "fact")
        assert {project.annotation(i).annotator for i in (first, second)} == {"bob"}
        assert project.annotators() == ["bob"]
        assert other.status(doc) == "in_progress"
    finally:
        other.close()


def test_write_transaction_takes_the_write_lock_at_its_start(project: Project) -> None:
    """Another process's commit between our read and our write must not fail our write
    (SQLite cannot upgrade a deferred reader then): it waits for ours instead."""
    with project._transaction() as session:
        session.execute(select(Label.id)).all()
        other = sqlite3.connect(project.location, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO annotators (name) VALUES ('other process')")
        finally:
            other.close()
        project._annotator_pk(session, "zed")
    assert project.annotators() == ["zed"]
