"""JSON Lines, JSON and CSV: one document per record, all or nothing."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from annotator.importing import ImportFailure, extract_file


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_jsonl_records(tmp_path: Path) -> None:
    lines = [
        {"id": "a1", "title": "First", "text": "Line one\r\nline two", "meta": {"src": "x"}},
        {"id": 7, "text": "  Second\u2028record  ", "extra": "ignored"},
        {"text": "Third"},
    ]
    data = "\n".join(json.dumps(line) for line in lines) + "\n\n"
    documents = extract_file(write(tmp_path, "batch.jsonl", data))
    assert [d.title for d in documents] == ["First", "batch #2", "batch #3"]
    assert [d.text for d in documents] == [
        "Line one\r\nline two",  # record text is data: CRLF kept
        "  Second\u2028record  ",
        "Third",
    ]
    assert [d.external_id for d in documents] == ["a1", "7", None]
    assert [d.meta for d in documents] == [{"src": "x"}, {}, {}]
    assert {d.format for d in documents} == {"jsonl"}


def test_jsonl_with_bom_and_crlf_lines(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + b'{"text": "a"}\r\n{"text": "b"}\r\n'
    assert [d.text for d in extract_file(write(tmp_path, "c.jsonl", data))] == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"text": "ok"}\n{"text": "bad",}\n', "line 2 column"),
        ('{"text": "ok"}\n\n[1, 2]\n', r"line 3: a record must be a JSON object, not an array"),
        ('{"title": "no text"}\n', "line 1: the record has no 'text'"),
        ('{"text": "   "}\n', "line 1: 'text' is empty"),
        ('{"text": 5}\n', "'text' must be a string, not a number"),
        ('{"text": "x", "meta": [1]}\n', "'meta' must be a JSON object, not an array"),
        ('{"text": "x", "meta": "m"}\n', "'meta' must be a JSON object, not a string"),
        ('{"text": "x", "id": true}\n', "'id' must be a string or an integer"),
        ('{"text": "x", "id": 1.5}\n', "'id' must be a string or an integer"),
        ('{"text": "x", "title": 3}\n', "'title' must be a string"),
        ('{"text": "a\\u0000b"}\n', "NUL"),
        ('{"text": "x", "meta": {"v": NaN}}\n', "line 1 column 29: unexpected character"),
    ],
)
def test_jsonl_failures_fail_the_whole_file(tmp_path: Path, content: str, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason) as raised:
        extract_file(write(tmp_path, "bad.jsonl", content))
    assert str(raised.value).startswith("bad.jsonl ")


def test_json_single_object_and_array(tmp_path: Path) -> None:
    one = {"text": "Only one", "title": " Titled ", "id": "x", "meta": {"n": [1, 2]}}
    [document] = extract_file(write(tmp_path, "one.json", json.dumps(one)))
    assert (document.title, document.text, document.external_id) == ("Titled", "Only one", "x")
    assert document.meta == {"n": [1, 2]}
    assert document.format == "json"
    many = json.dumps([{"text": "a"}, {"text": "b\r\nc", "id": 2}], indent=2)
    documents = extract_file(write(tmp_path, "many.json", many))
    assert [(d.title, d.text, d.external_id) for d in documents] == [
        ("many #1", "a", None),
        ("many #2", "b\r\nc", "2"),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"text": "a",\n  "x": }', "invalid JSON at line 2 column 8"),
        ("[]", "empty array"),
        ('"just a string"', "must hold a JSON object or an array of objects, not a string"),
        ('[{"text": "a"}, 3]', "record 2: a record must be a JSON object, not a number"),
        ('[{"text": "a"}, {"text": ""}]', "record 2: 'text' is empty"),
    ],
)
def test_json_failures(tmp_path: Path, content: str, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        extract_file(write(tmp_path, "bad.json", content))


def test_csv_records_with_meta_columns(tmp_path: Path) -> None:
    content = (
        "id,title,text,source,date\r\n"
        '1,First,"Multi\r\nline, with comma",Agency,2024-01-01\r\n'
        '2,,"He said ""hi""",,\r\n'
        ",,,,\r\n"
    )
    documents = extract_file(write(tmp_path, "sheet.csv", content))
    assert [(d.title, d.text, d.external_id) for d in documents] == [
        ("First", "Multi\r\nline, with comma", "1"),
        ("sheet #2", 'He said "hi"', "2"),
    ]
    assert documents[0].meta == {"source": "Agency", "date": "2024-01-01"}
    assert documents[1].meta == {"source": "", "date": ""}
    assert {d.format for d in documents} == {"csv"}


def test_csv_semicolon_and_cp1252(tmp_path: Path) -> None:
    data = "text;lang\n“Ça va” – 5 €;fr\n".encode("cp1252")
    [document] = extract_file(write(tmp_path, "s.csv", data))
    assert document.text == "“Ça va” – 5 €"
    assert document.meta == {"lang": "fr"}
    assert document.external_id is None


def test_csv_long_field(tmp_path: Path) -> None:
    long_text = "word " * 60_000
    [document] = extract_file(write(tmp_path, "l.csv", f"text\n{long_text}\n"))
    assert document.text == long_text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("title,body\nA,B\n", "no 'text' column"),
        ("text,text\na,b\n", "duplicate columns in its header row: text"),
        ("text\n", "no rows to import"),
        ("text,x\nfine,1\n   ,2\n", "row at line 3: 'text' is empty"),
        ("text,x\nfine,1\nextra,2,3\n", "row at line 3: has 3 fields but the header has 2"),
        ('text\n"unclosed\n', "not valid CSV"),
    ],
)
def test_csv_failures(tmp_path: Path, content: str, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        extract_file(write(tmp_path, "bad.csv", content))


@pytest.mark.parametrize("name", ["e.jsonl", "e.json", "e.csv"])
def test_record_files_refuse_empty_and_binary(tmp_path: Path, name: str) -> None:
    with pytest.raises(ImportFailure, match="only whitespace"):
        extract_file(write(tmp_path, name, b"\n\n  \n"))
    with pytest.raises(ImportFailure, match="NUL"):
        extract_file(write(tmp_path, name, b'{"text": "a"}\x00'))
