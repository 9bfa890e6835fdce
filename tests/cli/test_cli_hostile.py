"""Hostile input through the command line: one clear line on stderr, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import Run, _script

# A byte that is not UTF-8, as Python passes it on in an argument or a file name.
NOT_UTF8 = "\udcff"


def _one_clean_line(err: str) -> None:
    assert "Traceback" not in err and "unexpected error" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.fixture
def annotated(cli: Run, tmp_path: Path) -> Path:
    text = tmp_path / "dam.txt"
    text.write_text("Officials said the dam is safe.\n", encoding="utf-8")
    assert cli("import", str(text)).code == 0
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("labels", "add", f"x{NOT_UTF8}"),
        ("labels", "rename", "claim", f"y{NOT_UTF8}"),
        ("annotate", "1", "0", "4", "claim", "--note", f"n{NOT_UTF8}"),
        ("annotate", "1", "0", "4", f"c{NOT_UTF8}"),
        ("annotate", "1", "0", "99999999999999999999999999", "claim"),
        ("annotate", "1", "-3", "4", "claim"),
        ("annotate", "not-a-uuid-0000", "0", "4", "claim"),
        ("--user", f"u{NOT_UTF8}", "docs"),
        ("merge", "/no/such/bundle.zip"),
    ],
)
def test_bad_arguments_fail_on_one_line(cli: Run, annotated: Path, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 1
    _one_clean_line(result.err)
    assert cli("check").out.strip() == "ok"


def test_file_named_in_another_encoding_imports(cli: Run, tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    path.write_text("A caf\u00e9 opened on the square.\n", encoding="utf-8")
    # The report echoes the path's own bytes, so read it as bytes.
    done = subprocess.run(
        [*_script(), "import", str(path)], capture_output=True, timeout=300,
        env={**os.environ, "ANNOTATOR_PROJECT": str(tmp_path / "p.db"), "ANNOTATOR_USER": "a"},
    )
    assert done.returncode == 0, done.stderr
    assert b"1 file(s) imported" in done.stdout
    docs = cli("docs", project_path=tmp_path / "p.db")
    assert "caf\ufffd" in docs.out


def test_unusable_projects(cli: Run, tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("just some text\n")
    result = cli("docs", project_path=not_sqlite)
    assert result.code == 1 and "not a database" in result.err
    _one_clean_line(result.err)
    assert not_sqlite.read_text() == "just some text\n"

    newer = tmp_path / "newer.db"
    assert cli("init", project_path=newer).code == 0
    connection = sqlite3.connect(newer)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff0000'")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = newer.read_bytes()
    result = cli("docs", project_path=newer)
    assert result.code == 1 and "newer version" in result.err
    _one_clean_line(result.err)
    assert newer.read_bytes() == before

    result = cli("docs", project_path=tmp_path)
    assert result.code == 1 and "folder" in result.err


def test_bundle_to_a_folder_is_refused(cli: Run, annotated: Path) -> None:
    result = cli("bundle", "--out", str(annotated))
    assert result.code == 1 and "folder" in result.err
    _one_clean_line(result.err)
