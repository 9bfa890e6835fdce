"""Helpers shared by the merge, bundle and gold tests (not a test module)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from annotator import Project
from tests.project_files import new_project

TEXT = (
    "The minister said growth was 3 percent last year. Critics disagree strongly. "
    "According to the bank, inflation fell to 2 percent."
)
OTHER = "A second article. The mayor claimed the bridge is safe, engineers said it is not."


def open_at(path: Path, user: str) -> Project:
    return new_project(path, user)


def database_hash(path: Path) -> str:
    """A hash of every row of every table (read through a read-only connection)."""
    digest = hashlib.sha256()
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        # The change log records who changed what when (a fresh uuid and time per write):
        # bookkeeping of this copy, not its content.
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT IN ('change_log', 'sqlite_sequence') ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    finally:
        connection.close()
    return digest.hexdigest()


def content(project: Project) -> set[tuple[object, ...]]:
    """Every annotation (tombstones included) by its travelling identity and content."""
    out: set[tuple[object, ...]] = set()
    for info in project.documents():
        sha = info.sha256
        for a in project.annotations(info.id):
            out.add((a.id, sha, a.start, a.end, a.label, a.annotator, a.note, False))
    with project._reading() as session:
        from sqlalchemy import select

        from annotator.models import Annotation, Annotator, Document, Label

        rows = session.execute(
            select(Annotation.id, Document.sha256, Annotation.start, Annotation.end, Label.name,
                   Annotator.name, Annotation.note)
            .join(Document, Annotation.document_id == Document.id)
            .join(Label, Annotation.label_id == Label.id)
            .join(Annotator, Annotation.annotator_id == Annotator.id)
            .where(Annotation.deleted)
        )
        out.update((*row, True) for row in rows)
    return out
