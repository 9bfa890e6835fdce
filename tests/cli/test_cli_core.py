"""The command line of the core (issue 2's contract), through ``main`` as the script runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "more").mkdir(parents=True)
    _write(folder, "dam.txt", "Officials said the dam is safe.\nCritics disagree.\n")
    _write(folder / "more", "bridge.md", "# Bridge report\n\nThe bridge opened in 1999.\n")
    return folder


def test_init_prints_location(cli: Run, tmp_path: Path) -> None:
    result = cli("init")
    assert result.code == 0
    assert result.out.strip() == str((tmp_path / "cli.annotator.db").resolve())


def test_import_docs_show_annotate(cli: Run, articles: Path) -> None:
    result = cli("import", str(articles))
    assert result.code == 0, result.err
    assert "2 file(s) imported" in result.out
    docs = json.loads(cli("docs", "--json").out)
    assert [d["title"] for d in docs] == ["dam", "Bridge report"]
    assert set(docs[0]) == {"number", "id", "title", "chars", "annotations", "status"}
    assert docs[0]["status"] == "new" and docs[0]["annotations"] == 0

    annotated = cli("annotate", "1", "0", "9", "source", "--note", "who?")
    assert annotated.code == 0, annotated.err
    annotation_id = annotated.out.strip()
    shown = json.loads(cli("show", "dam", "--json").out)
    assert shown["id"] == docs[0]["id"]
    [annotation] = shown["annotations"]
    assert annotation == {
        "id": annotation_id, "start": 0, "end": 9, "label": "source", "text": "Officials",
        "annotator": "alice", "note": "who?",
    }
    assert shown["text"][0:9] == "Officials"
    by_uuid = json.loads(cli("show", docs[0]["id"], "--json").out)
    assert by_uuid == shown
    docs = json.loads(cli("docs", "--json").out)
    assert docs[0]["annotations"] == 1 and docs[0]["status"] == "in_progress"
    table = cli("docs").out
    assert "Bridge report" in table and docs[0]["id"] in table
    assert "Officials" in cli("show", "1").out


def test_import_again_skips_duplicates(cli: Run, articles: Path) -> None:
    cli("import", str(articles))
    result = cli("import", str(articles))
    assert result.code == 0
    assert "0 file(s) imported" in result.out and "2 skipped" in result.out
    assert len(json.loads(cli("docs", "--json").out)) == 2


def test_import_failure_exits_1_and_keeps_the_rest(cli: Run, articles: Path) -> None:
    bad = _write(articles, "broken.json", "{not json")
    empty = _write(articles, "empty.txt", "")
    binary = _write(articles, "blob.txt", b"\x00\x01\x02binary")
    result = cli("import", str(articles))
    assert result.code == 1
    for path in (bad, empty, binary):
        assert f"failed    {path}" in result.out
    assert "2 file(s) imported" in result.out and "3 failed" in result.out
    assert len(json.loads(cli("docs", "--json").out)) == 2


def test_size_limit(cli: Run, tmp_path: Path) -> None:
    big = _write(tmp_path, "big.txt", "word " * 300_000)
    result = cli("import", "--max-size", "1", str(big))
    assert result.code == 1
    assert "limit" in result.out


def test_annotate_errors_are_one_line(cli: Run, articles: Path) -> None:
    cli("import", str(articles))
    for args in (("1", "5", "2", "claim"), ("1", "0", "9999", "claim"), ("1", "0", "3", "nope"),
                 ("42", "0", "3", "claim")):
        result = cli("annotate", *args)
        assert result.code == 1
        assert len(result.err.strip().splitlines()) == 1
        assert "Traceback" not in result.err
    assert json.loads(cli("docs", "--json").out)[0]["annotations"] == 0


def test_usage_errors_exit_2(cli: Run) -> None:
    assert cli("frobnicate").code == 2
    assert cli("annotate", "1", "x", "3", "claim").code == 2


def test_labels_commands(cli: Run, articles: Path) -> None:
    assert cli("labels", "add", "opinion", "--color", "#CC79A7", "--key", "4").code == 0
    listing = cli("labels").out
    assert "opinion" in listing and "#CC79A7" in listing
    assert cli("labels", "rename", "opinion", "view").code == 0
    assert "view" in cli("labels").out
    cli("import", str(articles))
    cli("annotate", "1", "0", "9", "view")
    refused = cli("labels", "remove", "view")
    assert refused.code == 1 and "used by 1" in refused.err
    assert cli("labels", "remove", "view", "--force").code == 0
    assert "view" not in cli("labels").out
    bad = cli("labels", "add", "x", "--color", "blue")
    assert bad.code == 1 and "#RRGGBB" in bad.err


def test_check(cli: Run, articles: Path) -> None:
    cli("import", str(articles))
    result = cli("check")
    assert result.code == 0 and result.out.strip() == "ok"


def test_user_option_and_env(cli: Run, articles: Path) -> None:
    cli("import", str(articles))
    annotation_id = cli("--user", "bob", "annotate", "1", "0", "9", "claim").out.strip()
    shown = json.loads(cli("show", "1", "--json").out)
    assert shown["annotations"][0]["id"] == annotation_id
    assert shown["annotations"][0]["annotator"] == "bob"


def test_project_option_with_url(cli: Run, tmp_path: Path, articles: Path) -> None:
    url = f"sqlite:///{tmp_path / 'by-url.db'}"
    assert cli("--project", url, "import", str(articles)).code == 0
    assert len(json.loads(cli("--project", url, "docs", "--json").out)) == 2


def test_unusable_project_is_a_clear_error(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = cli("--project", str(folder), "docs")
    assert result.code == 1 and "folder" in result.err and "Traceback" not in result.err


def test_shared_corpora(cli: Run, corpora: Path) -> None:
    result = cli(
        "import",
        str(corpora / "seeds"),
        str(corpora / "claimpt-sample" / "news_articles"),
        str(corpora / "brat-tutorial-news"),
    )
    assert result.code == 0, result.out
    docs = json.loads(cli("docs", "--json").out)
    assert len(docs) >= 2 + 20 + 13
    seeds = sorted((corpora / "seeds").glob("*.txt"))
    shown = json.loads(cli("show", seeds[0].stem, "--json").out)
    assert shown["text"] == seeds[0].read_text(encoding="utf-8").replace("\r\n", "\n")
    assert cli("check").out.strip() == "ok"


def test_status_command(cli: Run, articles: Path) -> None:
    cli("import", str(articles))
    assert cli("status", "1").out.strip() == "new"
    assert cli("status", "1", "done").out.strip() == "done"
    assert json.loads(cli("docs", "--json").out)[0]["status"] == "done"
    assert cli("--user", "bob", "status", "1").out.strip() == "new"
    assert cli("status", "1", "finished").code == 2


def test_each_command_closes_its_project(cli: Run, articles: Path, tmp_path: Path) -> None:
    # In-process runs share one interpreter: a command must leave no connection open.
    # Closing the last one checkpoints SQLite's write-ahead log and removes the file.
    assert cli("import", str(articles)).code == 0
    assert cli("annotate", "1", "0", "9", "claim").code == 0
    assert cli("annotate", "1", "0", "9999", "claim").code == 1
    assert not (tmp_path / "cli.annotator.db-wal").exists()
