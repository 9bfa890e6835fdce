"""The rule-based suggester: reported speech to source, claim and ``attributed_to``; dates,
figures and named events to ``fact``. Pure ``re`` over patterns compiled once per language.

Each rule's name travels with what it proposes, so a caller can measure and keep each rule's
proposals on their own. Last, the language's claim check (``claim_check.py``) lowers the
confidence of weaker claims and leaves out those under its threshold.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from annotator.suggest.grammar import Grammar, grammar
from annotator.suggest.language import detect_language
from annotator.suggest.records import ATTRIBUTED_TO, ProposedRelation, Suggestion, Suggestions
from annotator.suggest.text_units import Quote, Sentences, find_quotes, trim, word_count

CLAIM, SOURCE, FACT = "claim", "source", "fact"
# A pronoun or a bare verb ("”, concluiu.") names the nearest speaker no further back than this.
_PRONOUN_REACH = 2000
_WINDOW = 220
_MIN_CLAIM_WORDS = 3


class _Builder:
    """Collects proposals, keeping the first of identical spans and one claim per passage."""

    def __init__(self, text: str, rules: Grammar) -> None:
        self.text = text
        self.rules = rules
        self.spans: dict[tuple[str, int, int], str] = {}
        self.links: dict[tuple[tuple[str, int, int], tuple[str, int, int]], str] = {}
        # Claims never overlap one another, so sorted starts find a clash by bisection.
        self.claims: list[tuple[int, int]] = []

    def add(self, label: str, start: int, end: int, rule: str) -> tuple[str, int, int]:
        key = (label, start, end)
        self.spans.setdefault(key, rule)
        return key

    def attribute(self, claim: tuple[int, int], source: tuple[int, int], rule: str) -> bool:
        start, end = trim(self.text, *claim)
        if word_count(self.text, start, end) < _MIN_CLAIM_WORDS:
            return False
        s_start, s_end = trim(self.text, *source)
        if s_end <= s_start or (s_start < end and start < s_end):
            return False
        at = bisect.bisect_left(self.claims, (start, end))
        if (at > 0 and self.claims[at - 1][1] > start) or (
                at < len(self.claims) and self.claims[at][0] < end):
            return False
        self.claims.insert(at, (start, end))
        claim_key = self.add(CLAIM, start, end, rule)
        source_key = self.add(SOURCE, s_start, s_end, rule)
        self.links.setdefault((claim_key, source_key), rule)
        return True

    def result(self, language: str, direct: Callable[[int], bool],
               min_confidence: float | None = None) -> Suggestions:
        """Everything proposed, less the claims the language's claim check puts under its
        threshold (with their links, and sources left without a link)."""
        confidence = self.rules.confidence
        check = self.rules.claim_check
        least = check.min_confidence if min_confidence is None else min_confidence
        said_by = {claim: source for claim, source in self.links}
        sure: dict[tuple[str, int, int], float] = {}
        for key, rule in self.spans.items():
            base = confidence.get(rule, 0.5)
            label, start, end = key
            if label == CLAIM:
                source = said_by.get(key)
                base = check.confidence(base, self.text[start:end], direct(start), least,
                                        self.text[source[1]:source[2]] if source else "")
            sure[key] = base
        links = {pair: rule for pair, rule in self.links.items()
                 if sure[pair[0]] >= least}
        linked = {key for pair in links for key in pair}
        kept = [key for key in self.spans if key in linked or key[0] == FACT
                or (key[0] == CLAIM and sure[key] >= least)]
        ordered = sorted(kept, key=lambda k: (k[1], k[2], k[0]))
        index = {key: i for i, key in enumerate(ordered)}
        annotations = tuple(
            Suggestion(label, start, end, self.text[start:end], sure[(label, start, end)],
                       self.spans[(label, start, end)])
            for label, start, end in ordered
        )
        relations = tuple(sorted(
            (ProposedRelation(ATTRIBUTED_TO, index[c], index[s], rule)
             for (c, s), rule in links.items()),
            key=lambda r: (r.source, r.target),
        ))
        return Suggestions(language, annotations, relations)


class RuleSuggester:
    """The suggester shipped with Annotator: no model, English and Portuguese lexicons."""

    def suggest(self, text: str, language: str | None = None) -> Suggestions:
        return suggest_text(text, language)


def suggest_text(text: str, language: str | None = None, *,
                 min_confidence: float | None = None) -> Suggestions:
    """Proposed sources, claims, ``attributed_to`` links and facts for ``text``.

    ``language`` ("en", "pt") defaults to :func:`detect_language`. Offsets are code points.
    Claims under ``min_confidence`` (by default the language's own threshold, see
    ``claim_check.py``) are left out with their links; 0 keeps every proposal.
    """
    language = language or detect_language(text)
    rules = grammar(language)
    return _Pass(text, rules).run(min_confidence)


class _Pass:
    def __init__(self, text: str, rules: Grammar) -> None:
        self.text = text
        self.rules = rules
        self.sentences = Sentences(text, rules)
        self.quotes = find_quotes(text, rules)
        self.quote_starts = [q.inner_start for q in self.quotes]
        self.out = _Builder(text, rules)
        # (start, end) of every speaker seen before or after a reporting verb, in text order.
        self.mentions: list[tuple[int, int]] = []
        self.verbs = [m for m in rules.verb.finditer(text) if not self._in_quote(m.start())]
        self.verb_starts = [m.start() for m in self.verbs]
        self._speakers: dict[int, tuple[int, int] | None] = {}

    def run(self, min_confidence: float | None = None) -> Suggestions:
        self._collect_mentions()
        self._quotes()
        self._according_to()
        self._view_of()
        self._passive()
        self._that_clauses()
        self._clause_then_speaker()
        self._participles()
        self._facts()
        return self.out.result(self.rules.language, self._in_quote, min_confidence)

    # -- helpers ------------------------------------------------------------------------

    def _in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, offset) - 1
        return i >= 0 and self.quotes[i].inner_start <= offset < self.quotes[i].inner_end

    def _is_speaker(self, start: int, end: int) -> bool:
        words = self.text[start:end].split()
        return bool(words) and not all(w.strip(",.") in self.rules.not_speakers for w in words) \
            and words[0] not in self.rules.pronouns

    def _speaker_before(self, lo: int, hi: int) -> tuple[int, int] | None:
        if hi not in self._speakers:
            self._speakers[hi] = self._find_speaker_before(lo, hi)
        return self._speakers[hi]

    def _find_speaker_before(self, lo: int, hi: int) -> tuple[int, int] | None:
        match = self.rules.speaker_before.search(self.text, max(lo, hi - _WINDOW), hi)
        if match is None:
            return None
        start, end = self._clean_speaker(*match.span("speaker"))
        return (start, end) if self._is_speaker(start, end) else None

    def _clean_speaker(self, start: int, end: int) -> tuple[int, int]:
        # A name match may begin with a capitalised word that is no name ("The", "Meanwhile").
        words = list(re.finditer(r"\S+", self.text[start:end]))
        drop = 0
        while drop < len(words) - 1:
            word = words[drop].group().strip(",")
            if word not in self.rules.not_speakers or word.lower() in self.rules.determiners:
                break
            drop += 1
        if drop:
            start += words[drop].start()
        return trim(self.text, start, end)

    def _nearest_mention(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.mentions, (offset, offset)) - 1
        if i >= 0 and offset - self.mentions[i][0] <= _PRONOUN_REACH:
            return self.mentions[i]
        return None

    def _claims_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """A quotation's sentences, each its own claim."""
        parts = Sentences(self.text, self.rules, start, end).spans
        return [trim(self.text, s, e) for s, e in parts]

    def _claim_to_sentence_end(self, start: int) -> tuple[int, int]:
        return start, self.sentences.around(start)[1]

    # -- rules ------------------------------------------------------------------------------

    def _collect_mentions(self) -> None:
        seen: set[tuple[int, int]] = set()
        for verb in self.verbs:
            sentence_start = self.sentences.around(verb.start())[0]
            found = self._speaker_before(sentence_start, verb.start())
            if found is None:
                after = self.rules.speaker_after.match(
                    self.text, verb.end() + 1, min(len(self.text), verb.end() + _WINDOW))
                if after is not None and self.text[verb.end():verb.end() + 1].isspace():
                    cleaned = self._clean_speaker(*after.span("speaker"))
                    found = cleaned if self._is_speaker(*cleaned) else None
            if found is not None and found not in seen:
                seen.add(found)
                self.mentions.append(found)
        self.mentions.sort()

    def _quotes(self) -> None:
        text = self.text
        previous: tuple[tuple[int, int], int] | None = None  # (source, end of attribution)
        for quote in self.quotes:
            source, rule, attribution_end = self._quote_speaker(quote, previous)
            if source is None:
                continue
            added = False
            for claim in self._claims_in(quote.inner_start, quote.inner_end):
                added |= self.out.attribute(claim, source, rule)
            if added:
                end = max(attribution_end, quote.close)
                sentence_end = self.sentences.around(end)[1] if end < len(text) else end
                previous = (source, max(sentence_end, end) if rule != "continued_quote"
                            else quote.close)

    def _quote_speaker(
        self, quote: Quote, previous: tuple[tuple[int, int], int] | None
    ) -> tuple[tuple[int, int] | None, str, int]:
        text, rules = self.text, self.rules
        after = rules.after_quote.match(text, quote.close, min(len(text), quote.close + _WINDOW))
        if after is not None and quote.closed:
            for group in ("speaker", "speaker2"):
                if after.group(group):
                    span = self._clean_speaker(*after.span(group))
                    if self._is_speaker(*span):
                        return span, "quote_then_speaker", after.end()
            bare = after.group("nverb") and rules.null_subject
            if after.group("pronoun") or bare or (after.group("verb") and not after.group(
                    "speaker")):
                return self._nearest_mention(quote.open), "pronoun_speaker", after.end()
        before = rules.before_quote.search(text, max(0, quote.open - _WINDOW), quote.open)
        if before is not None:
            if before.group("speaker"):
                span = self._clean_speaker(*before.span("speaker"))
                if self._is_speaker(*span):
                    return span, "speaker_then_quote", quote.close
            elif before.group("participle"):
                return self._nearest_mention(before.start()), "saying_that", quote.close
        if previous is not None and previous[1] <= quote.open \
                and not text[previous[1]:quote.open].strip():
            return previous[0], "continued_quote", quote.close
        sentence = self.sentences.index(quote.open)
        if sentence > 0 and self.sentences.spans[sentence][0] >= quote.open - 1:
            lo, hi = self.sentences.spans[sentence - 1]
            first = bisect.bisect_left(self.mentions, (lo, lo))
            has_verb = bisect.bisect_left(self.verb_starts, lo) < bisect.bisect_left(
                self.verb_starts, hi)
            if has_verb and first < len(self.mentions) and self.mentions[first][0] < hi:
                return self.mentions[first], "quote_after_speaker_sentence", quote.close
        return None, "", quote.close

    def _according_to(self) -> None:
        text, rules = self.text, self.rules
        for match in rules.according_to.finditer(text):
            lo, hi = self.sentences.around(match.start())
            lead = text[lo:match.start()].strip()
            if lead and not lead.endswith(","):
                continue
            speaker = rules.speaker_at.match(text, *match.span("source"))
            if speaker is None:
                continue
            self.out.attribute((match.end(), hi), speaker.span(), "according_to")
        for lo, hi in self.sentences.spans:
            after = rules.according_after.search(text, max(lo, hi - 140), hi)
            if after is None:
                continue
            speaker = rules.speaker_at.match(text, *after.span("source"))
            if speaker is None:
                continue
            self.out.attribute((lo, after.start()), speaker.span(), "according_to_after")

    def _view_of(self) -> None:
        text = self.text
        # Only a sentence's opening: "para" means much else, and anchoring keeps it cheap.
        for lo, hi in self.sentences.spans:
            match = self.rules.view_of.match(text, lo, hi)
            if match is None:
                continue
            start, end = match.span("source")
            speaker = self.rules.speaker_at.match(text, start, end)
            if speaker is None or speaker.end() != end or not self._is_speaker(start, end):
                continue
            if " " not in text[start:end] and text[start].isupper():
                continue  # one capitalised word may be a place ("Para Portugal, …")
            self.out.attribute((match.end(), hi), (start, end), "view_of")

    def _passive(self) -> None:
        for match in self.rules.passive.finditer(self.text):
            self.out.attribute(self._claim_to_sentence_end(match.end()), match.span("source"),
                               "passive_reported")
        for match in self.rules.passive_bare.finditer(self.text):
            start, end = trim(self.text, *self._claim_to_sentence_end(match.end()))
            if word_count(self.text, start, end) >= _MIN_CLAIM_WORDS:
                self.out.add(CLAIM, start, end, "passive_unattributed")

    def _that_clauses(self) -> None:
        for verb in self.verbs:
            lo, hi = self.sentences.around(verb.start())
            speaker = self._speaker_before(lo, verb.start())
            if speaker is None:
                continue
            clause = self.rules.that_clause.match(self.text, verb.end(), hi)
            if clause is None:
                continue
            between = self.text[speaker[1]:verb.start()]
            rule = "who_said_that" if between.lstrip().startswith(",") else "said_that"
            self.out.attribute((clause.end(), hi), speaker, rule)

    def _clause_then_speaker(self) -> None:
        text = self.text
        for verb in self.verbs:
            lo, hi = self.sentences.around(verb.start())
            if hi - verb.end() > 60:
                continue
            match = self.rules.clause_tail.search(text, max(lo, verb.start() - _WINDOW), hi)
            if match is None or not match.start() <= verb.start() < match.end():
                continue
            if text[match.start() - 1:match.start()] in "”»\"’":
                continue  # a quotation: the quotation rules decide
            group = "speaker" if match.group("speaker") else "speaker2"
            speaker = self._clean_speaker(*match.span(group))
            if self._is_speaker(*speaker):
                self.out.attribute((lo, match.start()), speaker, "clause_then_speaker")

    def _participles(self) -> None:
        text, rules = self.text, self.rules
        for match in rules.participle.finditer(text):
            lo, hi = self.sentences.around(match.start())
            for found in rules.speaker_any.finditer(text, lo, match.start()):
                span = self._clean_speaker(*found.span("speaker"))
                # The sentence's subject: a lone capitalised word may be any first word.
                if self._is_speaker(*span) and (" " in text[span[0]:span[1]]
                                                or found.group("speaker")[0].islower()):
                    self.out.attribute((match.end(), hi), span, "saying_that")
                    break

    def _facts(self) -> None:
        for match in self.rules.facts.finditer(self.text):
            group = match.lastgroup or "date"
            start, end = match.span(group)
            rule = {"date": "date", "year": "date", "event": "named_event"}.get(group, "figure")
            self.out.add(FACT, start, end, rule)
