"""One awkward project, exported once per format, for every interoperability test.

Its documents hold what breaks offsets in other tools (CRLF, lone CR, U+2028/2029/0085,
emoji and ZWJ sequences, combining marks, CJK, tabs, NBSP), two annotators tag them
(same spans with different labels too), the labels have non-ASCII characters and
punctuation, the notes every character a file format has to escape, and relations link
annotations across line breaks and annotators (one of a type with an accent and a slash).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import annotator
from annotator.records import AnnotationRecord, RelationRecord
from annotator.service.exchange import ExportResult
from tests.core.formats_support import FILE_NAMES

# Every label that a tool has to carry: accents, a slash, a dot, a colon, quotes,
# spaces, an ampersand and angle brackets.
AWKWARD_LABELS = ("opinião", "a/b", "a.b", "x:y", 'say "hi" & <go>')
NOTE = 'He said "no"\tthen\nleft \\ back & <b>bold</b> 😀\r\nend\u2028sep\u00a0nbsp\rcr'

TEXTS = {
    "crlf": "Officials said on Monday\r\nthat the dam is safe.\r\n"
    "The mayor, Zoë Müller, disagreed.\r\n",
    "lone cr": "Breaking:\rThe river rose 2 m overnight.\rResidents were told to leave.\r",
    "separators": "Alpha said\u2028the bridge is closed.\u2029Beta replied\u0085it is open.",
    "emoji": "The 👩\u200d💻 team said 😀 the results are final. Cafe\u0301 owners "
    "disagree. 東京都は安全だと述べた。 Photos of 👨\u200d👩\u200d👧 went viral.",
    "tabs": "Name:\tJoão\u00a0Silva\tsaid 10\u00a0000 people came.\tSource: AP.",
    "untagged": "Nothing to see here.",
}

# (document, passage, occurrence, label, annotator, note): every label alone on some
# passage; the same passage tagged by both annotators with different labels; passages
# across every kind of line break; and the first and last characters of a text.
TAGS: tuple[tuple[str, str, int, str, str, str | None], ...] = (
    ("crlf", "Officials", 0, "source", "alice", NOTE),
    ("crlf", "Monday\r\nthat the dam", 0, "claim", "alice", None),
    ("crlf", "the dam is safe", 0, "claim", "zoë", 'quote "x" & <y>'),
    ("crlf", "Zoë Müller", 0, "source", "alice", None),
    ("crlf", "Zoë Müller", 0, "opinião", "zoë", None),
    ("crlf", "disagreed", 0, "fact", "zoë", None),
    ("lone cr", "Breaking", 0, "a/b", "alice", "tab\there"),
    ("lone cr", "river rose 2 m overnight.\rResidents", 0, "fact", "zoë", None),
    ("lone cr", "leave", 0, "x:y", "alice", None),
    ("separators", "said\u2028the bridge", 0, "claim", "alice", None),
    ("separators", "bridge is closed", 0, "a.b", "zoë", "back\\slash\\n"),
    ("separators", "Beta", 0, "a.b", "alice", None),
    ("separators", "replied\u0085it is open", 0, "source", "zoë", None),
    ("separators", "open", 0, "fact", "alice", None),
    ("emoji", "👩\u200d💻 team", 0, 'say "hi" & <go>', "alice", "emoji 😀\u200d"),
    ("emoji", "😀 the results", 0, "claim", "zoë", None),
    ("emoji", "Cafe\u0301 owners", 0, "opinião", "alice", None),
    # No spaces in Japanese: the whole run is one \w+ token of the token-based formats.
    ("emoji", "東京都は安全だと述べた", 0, "source", "zoë", "CJK 東京"),
    ("emoji", "👨\u200d👩\u200d👧", 0, "fact", "alice", None),
    ("tabs", "João\u00a0Silva", 0, "source", "alice", None),
    ("tabs", "10\u00a0000 people came", 0, "claim", "zoë", "nbsp\u00a0\u2029para"),
    ("tabs", "10\u00a0000 people came", 0, "fact", "alice", None),
    ("tabs", "AP", 0, "a/b", "zoë", None),
)

# A relation type whose name no tool takes as it is (an accent and a slash).
AWKWARD_RELATION_TYPE = "cité/par"
# (from tag, to tag, type, annotator), tags by their place in TAGS: links across a CRLF and
# a U+2028, and one claim attributed to the source of another annotator.
RELATIONS: tuple[tuple[int, int, str, str], ...] = (
    (1, 0, "attributed_to", "alice"),
    (2, 3, "attributed_to", "zoë"),
    (5, 2, "contradicts", "zoë"),
    (13, 9, "contradicts", "alice"),
    (14, 16, AWKWARD_RELATION_TYPE, "alice"),
    (17, 15, AWKWARD_RELATION_TYPE, "zoë"),
)


@dataclass
class Awkward:
    """The project's truth (texts, annotations, labels) and its exports, made on demand."""

    project: annotator.Project
    folder: Path
    texts: dict[str, str]
    titles: dict[str, str]
    annotations: list[AnnotationRecord]
    labels: list[str]
    relations: list[RelationRecord]
    _exports: dict[str, tuple[Path, ExportResult]] = field(default_factory=dict)

    def export(self, fmt: str) -> tuple[Path, ExportResult]:
        if fmt not in self._exports:
            out = self.folder / fmt / FILE_NAMES[fmt]
            out.parent.mkdir(parents=True)
            self._exports[fmt] = (out, self.project.export(fmt, out))
        return self._exports[fmt]

    def passage(self, record: AnnotationRecord) -> str:
        return self.texts[record.document_id][record.start : record.end]

    def by_document(self) -> dict[str, list[AnnotationRecord]]:
        grouped: dict[str, list[AnnotationRecord]] = {d: [] for d in self.texts}
        for record in self.annotations:
            grouped[record.document_id].append(record)
        return grouped


def _occurrence(text: str, passage: str, nth: int) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(passage, at + 1)
    return at


@pytest.fixture(scope="session")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Awkward]:
    folder = tmp_path_factory.mktemp("interop")
    path = folder / "awkward.annotator.db"
    with annotator.open_project(path, user="alice") as alice, \
            annotator.open_project(path, user="zoë") as zoe:
        for name in AWKWARD_LABELS:
            alice.add_label(name)
        ids = {title: alice.add_document(text, title) for title, text in TEXTS.items()}
        alice.add_relation_type(AWKWARD_RELATION_TYPE)
        users = {"alice": alice, "zoë": zoe}
        tags = []
        for title, passage, nth, label, user, note in TAGS:
            start = _occurrence(TEXTS[title], passage, nth)
            tags.append(users[user].add_annotation(ids[title], start, start + len(passage),
                                                   label, note))
        for source, target, kind, user in RELATIONS:
            users[user].add_relation(tags[source], tags[target], kind)
        yield Awkward(
            project=alice, folder=folder,
            texts={ids[title]: text for title, text in TEXTS.items()},
            titles={ids[title]: title for title in TEXTS},
            annotations=alice.annotations(), labels=[label.name for label in alice.labels()],
            relations=alice.relations(),
        )


def universal_newlines(text: str) -> str:
    """``text`` as Python's text mode reads it by default: CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


TOKEN = re.compile(r"\w+|[^\w\s]")


def token_spans(text: str) -> list[tuple[int, int]]:
    """The README's tokens of token-based formats: the matches of ``\\w+|[^\\w\\s]``."""
    return [m.span() for m in TOKEN.finditer(text)]


def label_mapping(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The one name a tool shows for each project label, given (label, name) pairs seen
    on the same passages. A label shown under two names, or two labels under one name,
    means the tool cannot tell them apart (or the pairing is wrong): the test fails."""
    seen: dict[str, set[str]] = defaultdict(set)
    for label, name in pairs:
        seen[label].add(name)
    mapping = {}
    for label, names in seen.items():
        assert len(names) == 1, f"label {label!r} appears as {sorted(names)}"
        mapping[label] = names.pop()
    clashes = Counter(mapping.values())
    assert all(n == 1 for n in clashes.values()), f"labels merged into one name: {mapping}"
    return mapping


def match_by_span(
    truth: Iterable[tuple[Hashable, str]], found: Iterable[tuple[Hashable, str]]
) -> dict[str, str]:
    """Pair what a tool read with the project's annotations by their exact spans.

    ``truth`` and ``found`` are ``(span, label)``, a span being any key that places a
    passage exactly (document, start, end); every span must hold as many
    annotations in both. Spans holding one annotation fix the label names; the mapping
    must then explain the labels on every span. Returns the mapping."""
    expected: dict[Hashable, list[str]] = defaultdict(list)
    actual: dict[Hashable, list[str]] = defaultdict(list)
    for span, label in truth:
        expected[span].append(label)
    for span, name in found:
        actual[span].append(name)
    assert set(actual) == set(expected), "the tool reads other spans than the project"
    for span, labels in expected.items():
        assert len(actual[span]) == len(labels), f"span {span}: {actual[span]} vs {labels}"
    mapping = label_mapping(
        (labels[0], actual[span][0]) for span, labels in expected.items() if len(labels) == 1
    )
    for span, labels in expected.items():
        assert sorted(mapping[label] for label in labels) == sorted(actual[span]), span
    return mapping



def check_token_entities(
    awkward: Awkward, entities: Iterable[tuple[str, tuple[str, ...], int, int, str]]
) -> dict[str, str]:
    """Check entities a token-based reader found against the project.

    Each entity is ``(document id, the document's tokens as read, first token, end token,
    tag)``. The tokens must be the README's tokens of the document's text (so token
    positions are character offsets), each entity's characters must be exactly one of
    the project's annotations, under one consistent name per label, and every annotation
    that overlaps no other must be there. Returns the label mapping."""
    found: list[tuple[str, tuple[int, int], str]] = []
    for document_id, words, first, end, tag in entities:
        text = awkward.texts[document_id]
        spans = token_spans(text)
        assert words == tuple(text[s:e] for s, e in spans), awkward.titles[document_id]
        found.append((document_id, (spans[first][0], spans[end - 1][1]), tag))
    truth: dict[tuple[str, tuple[int, int]], list[str]] = defaultdict(list)
    for record in awkward.annotations:
        truth[record.document_id, (record.start, record.end)].append(record.label)
    for document_id, span, tag in found:
        assert (document_id, span) in truth, f"{tag} at {span} is no annotation"
    mapping = label_mapping(
        (truth[d, span][0], tag) for d, span, tag in found if len(truth[d, span]) == 1
    )
    named = {name: label for label, name in mapping.items()}
    for document_id, span, tag in found:
        assert named[tag] in truth[document_id, span], (span, tag)
    seen = {(d, span) for d, span, _tag in found}
    for record in awkward.annotations:
        alone = not any(
            other.document_id == record.document_id and other.id != record.id
            and other.start < record.end and record.start < other.end
            for other in awkward.annotations
        )
        if alone:
            assert (record.document_id, (record.start, record.end)) in seen, record
    return mapping


def document_of_tokens(awkward: Awkward, words: tuple[str, ...]) -> str:
    """The project document whose README tokens are ``words``."""
    for document_id, text in awkward.texts.items():
        if tuple(text[s:e] for s, e in token_spans(text)) == words:
            return document_id
    raise AssertionError(f"no document has the tokens {words[:8]}...")
