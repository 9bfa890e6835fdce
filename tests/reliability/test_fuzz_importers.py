"""Bounded fuzzing of every importer: whatever the bytes, the answer is documents or one
AnnotatorError with a reason, never another exception; and what imports round-trips."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import annotator
from annotator import AnnotatorError
from annotator.importing import ImportFailure, extract_file

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
)
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=30,
)
_keys = st.sampled_from(["text", "title", "id", "meta", "spans", "label", "entities",
                         "start", "end", "annotator", "note", "created", "status"])
_record = st.dictionaries(_keys, _json, max_size=6)
_noise = st.binary(max_size=300)
_structural = st.text(alphabet='{}[]":,0123456789eE.-+ \n\\tunrlfasNIy\x00\x1b', max_size=300)


def _payload(data: object) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    return json.dumps(data).encode()  # json, not orjson: integers past 64 bits too


@SETTINGS
@given(
    suffix=st.sampled_from([".jsonl", ".json", ".csv", ".html", ".txt", ".md", ".docx", ".pdf"]),
    data=st.one_of(_noise, _structural, _record, st.lists(_record, max_size=3)),
)
@example(suffix=".json", data="[" * 5000 + "]" * 5000)
@example(suffix=".jsonl", data='{"text": "x", "id": ' + "9" * 5000 + "}")
@example(suffix=".csv", data="text\n" + "x" * 10 + "\x00")
@example(suffix=".html", data="<div>" * 20_000)
def test_document_importers_answer_with_a_reason(suffix: str, data: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "f" + suffix)
        path.write_bytes(_payload(data))
        try:
            documents = extract_file(path)
        except ImportFailure as failure:
            assert failure.reason and "\n" not in failure.reason.strip()
            return
        assert documents and all(d.text.strip() for d in documents)


@SETTINGS
@given(
    format=st.sampled_from(["jsonl", "doccano", "labelstudio", "webannotation", "csv"]),
    data=st.one_of(_structural, _record, st.lists(_record, max_size=3)),
)
@example(format="jsonl", data={"text": "abc", "spans": [{"start": 0, "end": 2**70,
                                                          "label": "x"}]})
@example(format="csv", data="document_id,start,end,label\nx,99999999999999999999999,1,a\n")
def test_annotation_importers_answer_with_a_reason(format: str, data: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "in." + ("csv" if format == "csv" else "json"))
        if format in ("jsonl", "doccano") and isinstance(data, list):
            path.write_bytes(b"\n".join(_payload(item) for item in data))
        else:
            path.write_bytes(_payload(data))
        with annotator.open_project(Path(folder, "p.db"), user="fuzz") as project:
            project.add_document("abc def", "Seed")
            try:
                project.import_annotations(path, format)
            except AnnotatorError as error:
                assert str(error).strip()
                return
            out = Path(folder, "out")
            project.export(format, out)
            with annotator.open_project(Path(folder, "q.db"), user="fuzz") as other:
                other.import_annotations(out, format)
