"""collect_files, extract_file's own checks, and the shared corpora when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.importing import (
    DEFAULT_SIZE_LIMIT,
    SUPPORTED_SUFFIXES,
    ImportFailure,
    collect_file_names,
    collect_files,
    extract_collected,
    extract_file,
)
from annotator.untrusted import read_regular

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPORA = SHARED / "corpora"


def test_supported_suffixes() -> None:
    expected = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".jsonl", ".json"}
    assert expected | {".csv"} == SUPPORTED_SUFFIXES
    assert DEFAULT_SIZE_LIMIT == 50 * 1024 * 1024


def test_collect_files_expands_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for relative in [
        "b.txt", "a.md", "sub/z.PDF", "sub/a.csv", "sub/deeper/x.json", "image.png",
        ".hidden.txt", ".git/config.txt", "sub/.cache/y.txt", "noext",
    ]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    collected = collect_files([root])
    assert [p.relative_to(root).as_posix() for p in collected] == [
        "a.md", "b.txt", "sub/a.csv", "sub/deeper/x.json", "sub/z.PDF",
    ]


def test_collect_files_keeps_named_files_and_drops_repeats(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    named: list[str | Path] = [tmp_path / "photo.png", str(tmp_path / "missing.txt")]
    named.append(tmp_path / "d")
    collected = collect_files([*named, tmp_path / "d" / "a.txt"])
    assert collected == [tmp_path / "photo.png", tmp_path / "missing.txt", tmp_path / "d/a.txt"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match=r"^gone\.txt does not exist$"):
        extract_file(tmp_path / "gone.txt")
    # A mistyped path says it is missing, whatever its extension.
    with pytest.raises(ImportFailure, match=r"^notes does not exist$"):
        extract_file(tmp_path / "notes")


def test_unsupported_type(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    with pytest.raises(ImportFailure, match=r"unsupported type '\.png'"):
        extract_file(tmp_path / "photo.png")
    (tmp_path / "README").write_text("x")
    with pytest.raises(ImportFailure, match="without a file extension"):
        extract_file(tmp_path / "README")


def test_folder_named_txt(tmp_path: Path) -> None:
    (tmp_path / "odd.txt").mkdir()
    with pytest.raises(ImportFailure, match="is a folder"):
        extract_file(tmp_path / "odd.txt")


def test_size_limit_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)

    def no_reading(self: Path) -> bytes:
        raise AssertionError("read a file over the limit")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    limit_message = r"^big\.txt is 2\.0 KB, over the import limit of 1\.0 KB$"
    with pytest.raises(ImportFailure, match=limit_message):
        extract_file(path, size_limit=1024)


def test_at_the_size_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    path.write_bytes(b"y" * 1024)
    assert extract_file(path, size_limit=1024)[0].text == "y" * 1024


def test_suffix_matching_ignores_case(tmp_path: Path) -> None:
    path = tmp_path / "LOUD.TXT"
    path.write_bytes(b"hello")
    assert extract_file(path)[0].format == "txt"


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent")
def test_shared_corpora_text_files_extract_sanely() -> None:
    folders = [
        CORPORA / "seeds",
        CORPORA / "brat-tutorial-news",
        CORPORA / "claimpt-sample" / "news_articles",
    ]
    files = [f for f in collect_files([d for d in folders if d.is_dir()]) if f.suffix == ".txt"]
    assert len(files) >= 10
    for path in files:
        [document] = extract_file(path)
        raw = path.read_bytes().decode("utf-8-sig")
        assert document.title == path.stem
        assert document.text == raw.replace("\r\n", "\n").replace("\r", "\n")
        assert document.text.strip()
        assert "\r" not in document.text and "\x00" not in document.text
        assert document.meta["encoding"] in {"utf-8", "utf-8-sig"}
        assert document.meta["line_endings"] in {"lf", "crlf", "cr", "mixed", "none"}


@pytest.mark.skipif(not (CORPORA / "seeds").is_dir(), reason="../shared/corpora is absent")
def test_seed_articles_keep_curly_quotes() -> None:
    documents = [d for f in collect_files([CORPORA / "seeds"]) for d in extract_file(f)]
    assert len(documents) >= 2
    assert all("\u201c" in d.text or "\u2019" in d.text for d in documents)


def test_collect_file_names_spell_paths_as_paths_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for relative in ["b.txt", "sub/a.md", "sub/deeper/c.json"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    monkeypatch.chdir(tmp_path)
    for given in [".", "./", "sub/", str(tmp_path), f"{tmp_path}/"]:
        names = collect_file_names([given])
        assert names == [str(p) for p in collect_files([given])]
        assert names == [str(Path(name)) for name in names]
    assert collect_file_names(["."]) == ["b.txt", "sub/a.md", "sub/deeper/c.json"]
    assert collect_file_names(["sub/"]) == ["sub/a.md", "sub/deeper/c.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and FIFOs")
def test_folder_scan_reports_links_and_pipes_without_following_them(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not to be read")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("x")
    (folder / "sub" / "b.md").write_text("y")
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "dangling.txt").symlink_to(outside / "gone.txt")
    (folder / "linked").symlink_to(outside)
    (folder / ".hidden-link").symlink_to(outside)
    os.mkfifo(folder / "sub" / "pipe.txt")
    skipped: list[tuple[Path, str]] = []
    assert collect_file_names([folder], skipped) == [str(folder / "a.txt"),
                                                     str(folder / "sub" / "b.md")]
    assert [(path.relative_to(folder).as_posix(), why) for path, why in skipped] == [
        ("dangling.txt", "is a symbolic link (name the file it points to instead)"),
        ("link.txt", "is a symbolic link (name the file it points to instead)"),
        ("linked", "is a symbolic link to a folder (not followed)"),
        ("sub/pipe.txt", "is a named pipe (FIFO), not a regular file"),
    ]


def test_extract_collected_reads_as_extract_file(tmp_path: Path) -> None:
    (tmp_path / "notes.v2.txt").write_bytes("Line one\r\nLine two é\r\n".encode())
    (tmp_path / "notes.").write_text("x")
    name = str(tmp_path / "notes.v2.txt")
    [document] = extract_collected(name)
    assert document == extract_file(Path(name))[0]
    assert (document.title, document.text) == ("notes.v2", "Line one\nLine two é\n")
    assert document.utf8 is None  # the file's bytes are not the stored text's
    with pytest.raises(ImportFailure, match=r"notes\. is of an unsupported type without"):
        extract_collected(str(tmp_path / "notes."))
    with pytest.raises(ImportFailure, match=r"gone\.txt does not exist"):
        extract_collected(str(tmp_path / "gone.txt"))


def test_read_regular_reads_whole_files_in_one_read_or_more(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"0123456789" * 1000)
    assert read_regular(path, 1 << 20) == b"0123456789" * 1000
    # the caller's stat is taken as the check; the size read is the open file's
    info = os.stat(path)
    path.write_bytes(b"grown " * 5000)
    assert read_regular(str(path), 1 << 20, info=info) == b"grown " * 5000
    status = Path("/proc/self/status")
    if status.exists():  # a file that reports no size is read to its end
        assert os.stat(status).st_size == 0
        assert b"Name:" in read_regular(status, 1 << 20)
