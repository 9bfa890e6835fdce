"""Each suggestion rule on its own pattern, and not on near misses (synthetic sentences)."""

from __future__ import annotations

import pytest

from annotator.errors import AnnotatorError
from annotator.suggest import (
    ATTRIBUTED_TO,
    RuleSuggester,
    Suggestions,
    detect_language,
    occurrences,
    suggest_text,
)
from annotator.suggest.claim_check import build_check


def links(result: Suggestions) -> list[tuple[str, str, str]]:
    """(rule, source text, claim text) of every proposed link."""
    return [
        (r.rule, result.annotations[r.target].text, result.annotations[r.source].text)
        for r in result.relations
        if r.type == ATTRIBUTED_TO
    ]


FIRES = [
    ("en", "According to a senior official, the talks collapsed after midnight.",
     "according_to", "a senior official", "the talks collapsed after midnight"),
    ("en", "The bridge was closed for three weeks, according to the city council.",
     "according_to_after", "the city council", "The bridge was closed for three weeks"),
    ("en", "Maria Lopez said that the factory would close in March.",
     "said_that", "Maria Lopez", "the factory would close in March"),
    ("en", "The minister told reporters that prices had fallen sharply.",
     "said_that", "The minister", "prices had fallen sharply"),
    ("en", "John Smith, who led the inquiry for two years, warned that the dam was unsafe.",
     "who_said_that", "John Smith", "the dam was unsafe"),
    ("en", "“The dam was never inspected properly,” the engineer said.",
     "quote_then_speaker", "the engineer", "The dam was never inspected properly"),
    ("en", "“The dam was never inspected properly,” said Anna Berg.",
     "quote_then_speaker", "Anna Berg", "The dam was never inspected properly"),
    ("en", "Anna Berg said: “The dam was never inspected properly.”",
     "speaker_then_quote", "Anna Berg", "The dam was never inspected properly"),
    ("en", "Anna Berg spoke at the hearing. “The dam was never inspected,” she said.",
     "pronoun_speaker", "Anna Berg", "The dam was never inspected"),
    ("en", "“The dam leaked,” a source close to the ministry said. “Nobody was told about it.”",
     "continued_quote", "a source close to the ministry", "Nobody was told about it"),
    ("en", "The shelling continued through the night, the source said.",
     "clause_then_speaker", "the source", "The shelling continued through the night"),
    ("en", "Officials for the port authority said that cargo traffic had doubled.",
     "said_that", "Officials for the port authority", "cargo traffic had doubled"),
    ("en", "It was reported by the state broadcaster that the border had been closed.",
     "passive_reported", "the state broadcaster", "the border had been closed"),
    ("en", "On Monday, President Lee spoke to students, saying the exams would be delayed.",
     "saying_that", "President Lee", "the exams would be delayed"),
    ("en", "A spokesperson for the Ministry of Health relayed the government’s position. "
     "“No hospital has run out of oxygen.”",
     "quote_after_speaker_sentence", "A spokesperson for the Ministry of Health",
     "No hospital has run out of oxygen"),
    ("pt", "Segundo o ministro das Finanças, o défice caiu para metade este ano.",
     "according_to", "o ministro das Finanças", "o défice caiu para metade este ano"),
    ("pt", "“A maioria absoluta fechou hospitais e urgências”, disse Mariana Mortágua.",
     "quote_then_speaker", "Mariana Mortágua", "A maioria absoluta fechou hospitais e urgências"),
    ("pt", "“O desemprego desceu em todas as regiões”, afirmou hoje à Lusa o presidente da "
     "câmara.", "quote_then_speaker", "o presidente da câmara",
     "O desemprego desceu em todas as regiões"),
    ("pt", "O autarca Rui Costa falou aos jornalistas. “As obras terminam em maio”, concluiu.",
     "pronoun_speaker", "O autarca Rui Costa", "As obras terminam em maio"),
    ("pt", "A ministra Ana Lopes disse que as escolas vão reabrir na segunda-feira.",
     "said_that", "A ministra Ana Lopes", "as escolas vão reabrir na segunda-feira"),
    ("pt", "O ministro declarou: “O hospital fechou em maio.”",
     "speaker_then_quote", "O ministro", "O hospital fechou em maio"),
    ("pt", "«O acordo está fechado desde ontem», disse uma fonte próxima do Governo.",
     "quote_then_speaker", "uma fonte próxima do Governo", "O acordo está fechado desde ontem"),
    ("pt", "“O hospital fechou em maio”, disse à Lusa fonte oficial do ministério.",
     "quote_then_speaker", "fonte oficial do ministério", "O hospital fechou em maio"),
    ("pt", "De acordo com a Polícia Judiciária, o suspeito fugiu para Espanha.",
     "according_to", "a Polícia Judiciária", "o suspeito fugiu para Espanha"),
    ("pt", "O hospital fechou em maio, segundo o ministro.",
     "according_to_after", "o ministro", "O hospital fechou em maio"),
    ("pt", "O hospital fechou em maio, declarou o ministro da Saúde.",
     "clause_then_speaker", "o ministro da Saúde", "O hospital fechou em maio"),
    ("pt", "Rui Costa, que lidera a câmara desde 2017, afirmou que a obra atrasou.",
     "who_said_that", "Rui Costa", "a obra atrasou"),
    ("pt", "Para o presidente da câmara, a obra atrasou dois anos por falta de verbas.",
     "view_of", "o presidente da câmara", "a obra atrasou dois anos por falta de verbas"),
    ("pt", "Na opinião do ministro, o défice caiu para metade.",
     "view_of", "ministro", "o défice caiu para metade"),
    ("pt", "Foi dito pelo ministro que o hospital fechou em maio.",
     "passive_reported", "ministro", "o hospital fechou em maio"),
    ("en", "In the view of the ministry, the dam was safe for years.",
     "view_of", "the ministry", "the dam was safe for years"),
]


@pytest.mark.parametrize(("language", "text", "rule", "source", "claim"), FIRES,
                         ids=[f"{case[0]}-{case[2]}" for case in FIRES])
def test_rule_fires_on_its_pattern(
    language: str, text: str, rule: str, source: str, claim: str
) -> None:
    assert (rule, source, claim) in links(suggest_text(text, language, min_confidence=0))


NEAR_MISSES = [
    ("en", "The report was written according to the rules of the court."),  # not a speaker
    ("en", "Maria Lopez said nothing at the meeting."),  # no that-clause, no quotation
    ("en", "The soldiers were told to prepare for war."),  # a directive, not a claim
    ("en", "Others said that the war was coming."),  # a generic crowd is no source
    ("en", "Some say that “the system would come to an end”."),  # a generic crowd again
    ("en", "The order asked for “all means of attack” to be ready."),  # a scare quote
    ("en", "“The dam was never inspected properly.”"),  # a quotation nobody is said to say
    ("en", "“Dams leak,” he said."),  # a pronoun with no named speaker before it
    ("en", "The shelling continued through the night, the town said nothing."),
    ("pt", "O relatório foi feito de acordo com as regras do tribunal."),
    ("pt", "“Vamos ganhar”, gritava a multidão nas ruas."),  # gritar is no reporting verb here
    ("pt", "Para Portugal, a crise foi longa e dura para todos."),  # one word: maybe a place
    ("pt", "Para encontrar soluções, é preciso investir mais."),  # "para" + a verb
    ("pt", "A obra, para o presidente, atrasou dois anos."),  # not the sentence's opening
    ("en", "For years, the dam was safe from floods."),
]


@pytest.mark.parametrize(("language", "text"), NEAR_MISSES)
def test_no_link_on_a_near_miss(language: str, text: str) -> None:
    assert links(suggest_text(text, language, min_confidence=0)) == []


@pytest.mark.parametrize(("language", "text", "rule", "fact"), [
    ("en", "The order was delivered on Oct. 23 to the officials.", "date", "Oct. 23"),
    ("en", "It was published on November 05, 2024 at dawn.", "date", "November 05, 2024"),
    ("en", "The state was founded in 1948 after the war.", "date", "1948"),
    ("en", "Inflation rose to 7.5% last year.", "figure", "7.5%"),
    ("en", "The fund lost $4.2 billion in a week.", "figure", "$4.2 billion"),
    ("en", "Nobody wants World War III to start.", "named_event", "World War III"),
    ("pt", "A guerra começou em 07 de outubro de 2023, após o ataque.", "date",
     "07 de outubro de 2023"),
    ("pt", "As vagas por ocupar chegaram a 35% em 2022.", "figure", "35%"),
])
def test_confident_facts(language: str, text: str, rule: str, fact: str) -> None:
    facts = [(a.rule, a.text) for a in suggest_text(text, language).annotations
             if a.label == "fact"]
    assert (rule, fact) in facts


@pytest.mark.parametrize("text", [
    "He scored 3 goals.",  # a bare number is no confident figure
    "The may be a problem in March.",  # a month without a day or year is no date
    "Chapter 12 begins in the morning.",
])
def test_no_fact_where_unsure(text: str) -> None:
    assert [a for a in suggest_text(text, "en").annotations if a.label == "fact"] == []


def test_offsets_are_code_points_after_emoji_and_crlf() -> None:
    text = "🙂👍🏽 Intro.\r\n“Prices fell by half last year,” said Anna Berg."
    result = suggest_text(text, "en")
    assert result.annotations, result
    for annotation in result.annotations:
        assert text[annotation.start:annotation.end] == annotation.text
    assert ("quote_then_speaker", "Anna Berg", "Prices fell by half last year") in links(result)


def test_relations_index_the_annotations_from_claim_to_source() -> None:
    result = suggest_text("“The dam leaked badly,” said Anna Berg.", "en")
    (relation,) = result.relations
    assert result.annotations[relation.source].label == "claim"
    assert result.annotations[relation.target].label == "source"
    assert result.as_json()["relations"] == [
        {"type": "attributed_to", "from": relation.source, "to": relation.target,
         "rule": "quote_then_speaker"}
    ]


def test_a_shared_source_is_proposed_once() -> None:
    text = "“Prices fell sharply,” the source said. “Wages did not follow them.”"
    result = suggest_text(text, "en")
    assert [a.text for a in result.annotations if a.label == "source"] == ["the source"]
    assert len(result.relations) == 2


def test_language_detection_is_simple_and_deterministic() -> None:
    assert detect_language("O ministro disse que a economia cresceu e que o défice caiu.") == "pt"
    assert detect_language("The minister said that the economy grew and the deficit fell.") == "en"
    assert detect_language("") == "en"
    assert RuleSuggester().suggest("Segundo a polícia, o suspeito fugiu de carro.").language == "pt"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(AnnotatorError, match="no suggestion rules for language 'xx'"):
        suggest_text("text", "xx")


def test_occurrences_whole_words_and_skipping_tagged_ones() -> None:
    text = "Kim met Kimberley. Later Kim left; kim stayed. Kim"
    found = occurrences("d", text, "Kim", "source", taken={(0, 3)})
    assert [(p.start, p.end) for p in found] == [(25, 28), (47, 50)]
    assert all(text[p.start:p.end] == "Kim" and p.label == "source" for p in found)
    assert occurrences("d", text, "   ", "source") == []
    assert [p.start for p in occurrences("d", "(a) and (a)", "(a)", "fact")] == [0, 8]


# The Portuguese claim check (lexicons/pt.json "claim_check"): ClaimPT's claims are complete,
# checkable sentences in direct speech. (text, kept by default?) — every case has a link
# when nothing is filtered.
CLAIM_CHECK = [
    ("“A maioria absoluta fechou hospitais e urgências”, disse Mariana Mortágua.", True),
    ("“As urgências fecharam em maio”, afirmou o ministro da Saúde.", True),  # a month
    ("“Os médicos saem do país há anos”, declarou o bastonário.", True),  # "há anos"
    ("“O défice caiu 3% no ano passado\", disse Rui Costa.", True),  # “ closed by "
    ("“O Governo tem de investir nas escolas”, disse Mariana Mortágua.", False),  # obligation
    ("“Acredito que as escolas fecharam cedo”, disse Mariana Mortágua.", False),  # belief
    ("“O Governo investirá 20 milhões nas escolas”, disse Rui Costa.", False),  # future
    ("“Se o Governo investir, as escolas abrem em 2025”, disse Rui Costa.", False),  # if
    ("“A escola é o coração da aldeia”, disse Mariana Mortágua.", False),  # nothing to check
    ("Mariana Mortágua disse: “e as escolas fecharam em 2020”.", False),  # a fragment
    ("A ministra Ana Lopes disse que as escolas fecharam em 2020.", False),  # indirect
    ("Segundo o ministro das Finanças, o défice caiu para metade em 2023.", False),  # indirect
    # ClaimPT leaves out official sources taken as credible (the police, courts, reports)
    # and anonymous ones.
    ("“O suspeito fugiu em maio”, disse um porta-voz da PSP.", False),
    ("“O acordo foi assinado em maio”, disse fonte diplomática.", False),
    ("“Os arguidos agiram em 2020 sem dolo”, afirmou a juíza.", False),
    ("“O suspeito fugiu em maio”, disse o presidente da câmara.", True),  # a politician
    # Personal positions: the speaker's own saying and seeing, and feelings.
    ("“Dissemos ao ministro que a escola fechou em 2020”, afirmou Rui Costa.", False),
    ("“Estamos satisfeitos com os resultados de 2023”, disse Rui Costa.", False),
    # Motives and intentions are states of mind, not facts anyone can check.
    ("“Os protestos de 2020 foram motivados por razões políticas”, disse Rui Costa.", False),
]


@pytest.mark.parametrize(("text", "kept"), CLAIM_CHECK)
def test_portuguese_claim_check(text: str, kept: bool) -> None:
    assert links(suggest_text(text, "pt", min_confidence=0)), "the rule should fire"
    assert bool(links(suggest_text(text, "pt"))) is kept


def test_the_claim_check_lowers_confidence_and_drops_orphan_sources() -> None:
    text = "“A escola é o coração da aldeia”, disse Mariana Mortágua."
    every = suggest_text(text, "pt", min_confidence=0)
    claim = next(a for a in every.annotations if a.label == "claim")
    assert claim.confidence == 0.4  # quote_then_speaker 0.9, less 0.5 with nothing to check
    assert suggest_text(text, "pt").annotations == ()  # the source goes with its only claim
    kept = suggest_text("“A escola fechou em 2020”, disse Mariana Mortágua.", "pt")
    assert [a.confidence for a in kept.annotations if a.label == "claim"] == [0.9]


def test_english_has_no_claim_check() -> None:
    """The English reference counts indirect speech and opinions: nothing is filtered."""
    result = suggest_text("Maria Lopez said that the factory should stay open.", "en")
    assert links(result) == [("said_that", "Maria Lopez", "the factory should stay open")]
    assert build_check(None, ["May"]).confidence(0.7, "x may", False) == 0.7


def test_claim_check_markers_words_phrases_endings_openings() -> None:
    check = build_check({
        "penalties": {"opinion": 0.5, "unverifiable": 0.3},
        "opinion_words": ["tem de", "talvez"], "opinion_openings": ["se"],
        "opinion_endings": {"min_stem": 1, "endings": ["ará"]},
        "factual_words": ["ontem"], "factual_digits": True,
        "factual_endings": {"min_stem": 3, "endings": ["ou"]}, "not_factual": ["estou"],
    }, ["maio"])
    sure = 0.9
    assert check.confidence(sure, "A obra fechou", True) == 0.9  # a past tense
    assert check.confidence(sure, "A obra estou", True) == 0.6  # an exception
    assert check.confidence(sure, "A obra sou", True) == 0.6  # too short a stem
    assert check.confidence(sure, "Em maio", True) == 0.9  # a date
    assert check.confidence(sure, "Custa 40%", True) == 0.9  # a figure
    assert check.confidence(sure, "Tem  de fechar ontem", True) == 0.4  # a phrase
    assert check.confidence(sure, "Temde fechar ontem", True) == 0.9  # not the phrase
    assert check.confidence(sure, "Se fechou ontem", True) == 0.4  # an opening
    assert check.confidence(sure, "Depois se fechou", True) == 0.9  # not at the opening
    assert check.confidence(sure, "Fechará ontem", True) == 0.4  # a future ending


def test_the_exempt_source_penalty_reads_the_source_not_the_claim() -> None:
    check = build_check({"penalties": {"exempt_source": 0.5},
                         "exempt_source_words": ["tribunal", "Ministério Público"]}, [])
    assert check.confidence(0.9, "O tribunal fechou", True) == 0.9  # in the claim: no matter
    assert check.confidence(0.9, "Fechou", True, source="o Tribunal de Contas") == 0.4
    assert check.confidence(0.9, "Fechou", True, source="fonte do Ministério  Público") == 0.4
    assert check.confidence(0.9, "Fechou", True, source="o ministério") == 0.9
