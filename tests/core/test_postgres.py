"""The same service API on a real PostgreSQL server (skipped when none answers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

import annotator

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({exc})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_project_on_postgresql(postgres_url: str) -> None:
    with annotator.open_project(postgres_url, user="alice") as project:
        assert [lb.name for lb in project.labels()] == ["claim", "source", "fact"]
        text = "Emoji 😀 and CJK 中文 stay code points.\r\nSecond line."
        doc = project.add_document(text, "PG")
        start = text.index("😀")
        annotation_id = project.add_annotation(doc, start, start + 9, "claim", note="n")
        project.set_status(doc, "done")
        project.review_annotation(annotation_id, "accepted")
    with annotator.open_project(postgres_url, user="alice") as project:
        [record] = project.annotations()
        assert text[record.start : record.end] == "😀 and CJK"
        assert project.document(doc).text == text
        assert project.documents()[0].status == "done"
        assert project.review_statuses() == {annotation_id: "accepted"}
        with pytest.raises(annotator.AnnotatorError):
            project.add_annotation(doc, 0, len(text) + 1, "claim")
        snapshot = project.delete_annotation(annotation_id)
        assert project.restore_annotation(snapshot).id == annotation_id
        assert project.check() == []
