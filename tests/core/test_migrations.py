"""Schema migrations run on open; a newer schema is refused and left untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import annotator
from annotator import schema
from annotator.database import create_project_engine, to_url
from annotator.schema import current_revision, head_revision, known_revisions, upgrade


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_project_from_first_revision_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_project_engine(to_url(path))
    upgrade(engine, "0001")
    engine.dispose()
    # Data written the way the first schema revision stored it.
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        INSERT INTO labels (id, name, color, key, description, sort_order, removed)
            VALUES (1, 'claim', '#E69F00', '1', '', 0, 0);
        INSERT INTO annotators (id, name) VALUES (1, 'alice');
        INSERT INTO documents
            (id, uuid, title, text, chars, sha256, file_name, format, meta, created)
            VALUES (1, '6f1c1a8e-4a43-4c1e-9a55-0d3c9f6f2a10', 'Old', 'An old claim.', 13,
                    'x', NULL, 'txt', '{}', '2025-01-01 00:00:00');
        INSERT INTO annotations (id, document_id, start, "end", label_id, annotator_id, note,
                                 created, updated, deleted)
            VALUES ('0b8f0a55-8d1f-4f7e-9c1e-3f5d1c2b7a01', 1, 3, 12, 1, 1, 'kept',
                    '2025-01-01 00:00:00', '2025-01-01 00:00:00', 0);
        """
    )
    connection.commit()
    connection.close()

    with annotator.open_project(path, user="alice") as project:
        [record] = project.annotations()
        assert (record.start, record.end, record.label, record.note) == (3, 12, "claim", "kept")
        # The second revision's tables work on the upgraded project.
        project.review_annotation(record.id, "accepted")
        assert project.review_statuses() == {record.id: "accepted"}
    engine = create_project_engine(to_url(path))
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with annotator.open_project(path, user="alice") as project:
        project.add_document("Text from the future.", "F")
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = _digest(path)
    with pytest.raises(annotator.AnnotatorError, match="newer version of Annotator"):
        annotator.open_project(path, user="alice")
    assert _digest(path) == before


def test_new_project_is_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    annotator.open_project(path).close()
    engine = create_project_engine(to_url(path))
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_project_from_the_change_log_revision_gets_relations(tmp_path: Path) -> None:
    """0004 adds relations to an existing project and seeds its default relation types."""
    path = tmp_path / "before-relations.db"
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("The mayor said the bridge is safe.", "Bridge")
        source = project.add_annotation(document, 0, 9, "source")
        claim = project.add_annotation(document, 15, 34, "claim")
    engine = create_project_engine(to_url(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE relation_origin")
        connection.exec_driver_sql("DROP TABLE annotation_origin")
        connection.exec_driver_sql("DROP TABLE relations")
        connection.exec_driver_sql("DROP TABLE relation_types")
        connection.exec_driver_sql("DROP TABLE annotator_project")
        connection.exec_driver_sql("ALTER TABLE documents DROP COLUMN deleted")
        connection.exec_driver_sql("ALTER TABLE documents DROP COLUMN updated")
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0003'")
    engine.dispose()

    with annotator.open_project(path, user="alice") as project:
        assert [t.name for t in project.relation_types()] == [
            "attributed_to", "supports", "contradicts"]
        relation_id = project.add_relation(claim, source, "attributed_to")
        assert [r.id for r in project.relations(document)] == [relation_id]
    engine = create_project_engine(to_url(path))
    assert current_revision(engine) == head_revision() == "0009"
    engine.dispose()


def test_revisions_read_without_alembic_match_alembics() -> None:
    """The head and known revisions, read from the scripts' text, are Alembic's own."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(schema.__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def _modules_after_opening(path: Path) -> set[str]:
    probe = ("import sys, annotator\n"
             f"annotator.open_project({str(path)!r}, user='alice').close()\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    return set(done.stdout.split())


def test_opening_a_project_at_head_imports_no_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.db"
    annotator.open_project(path, user="alice").close()
    assert "alembic" not in _modules_after_opening(path)


def test_opening_an_older_project_still_migrates_it(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    engine = create_project_engine(to_url(path))
    upgrade(engine, "0004")
    engine.dispose()
    assert "alembic" in _modules_after_opening(path)
    engine = create_project_engine(to_url(path))
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_project_from_the_marker_revision_gets_annotation_origin(tmp_path: Path) -> None:
    """0007 adds an empty annotation_origin to an existing project; its writes work after."""
    path = tmp_path / "before-origins.db"
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("The mayor said the bridge is safe.", "Bridge")
        typed = project.add_annotation(document, 0, 9, "source")
    engine = create_project_engine(to_url(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE relation_origin")
        connection.exec_driver_sql("DROP TABLE annotation_origin")
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0006'")
    engine.dispose()

    with annotator.open_project(path, user="alice") as project:
        assert project.suggestion_origins() == []
        accepted = project.add_annotation(document, 15, 34, "claim", rule="said_that",
                                          confidence=0.7)
        [origin] = project.suggestion_origins()
        assert (origin.annotation_id, origin.rule) == (accepted, "said_that")
        assert [a.id for a in project.annotations()] == [typed, accepted]
    engine = create_project_engine(to_url(path))
    assert current_revision(engine) == head_revision() == "0009"
    engine.dispose()


def test_project_from_the_origin_revision_gets_relation_origin(tmp_path: Path) -> None:
    """0008 adds an empty relation_origin to a 0007 project; accepted links record there."""
    path = tmp_path / "before-link-origins.db"
    with annotator.open_project(path, user="alice") as project:
        document = project.add_document("The mayor said the bridge is safe.", "Bridge")
        source = project.add_annotation(document, 0, 9, "source", rule="said_that")
        claim = project.add_annotation(document, 15, 34, "claim", rule="said_that")
    engine = create_project_engine(to_url(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE relation_origin")
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0007'")
    engine.dispose()

    with annotator.open_project(path, user="alice") as project:
        assert project.link_origins() == [] and len(project.suggestion_origins()) == 2
        relation = project.add_relation(claim, source, "attributed_to", rule="said_that",
                                        confidence=0.7)
        [origin] = project.link_origins()
        assert (origin.relation_id, origin.rule, origin.confidence, origin.kept) == (
            relation, "said_that", 0.7, True)
    engine = create_project_engine(to_url(path))
    assert current_revision(engine) == head_revision() == "0009"
    engine.dispose()


def test_the_models_match_the_migrations(tmp_path: Path) -> None:
    """A project migrated step by step has the tables, columns and indexes the models
    declare (so a new table's migration and its model cannot drift apart)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from annotator.models import Base, declared_on

    path = tmp_path / "stepwise.db"
    engine = create_project_engine(to_url(path))
    upgrade(engine, "0001")
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_object": lambda item, _name, kind, _reflected, _other: (
                kind != "index" or declared_on(item, connection.dialect))})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
