"""The stage's own attribute ruler and lemmatizer passes give spaCy's annotations, and the
senter segmentation, numbering and prefilter keep every event."""

from __future__ import annotations

import pytest

from streams.extraction import sentences, stage
from streams.extraction.language import TOKENIZER_CACHE_CHUNKS, annotate, lemmatize, nlp, rule_attributes
from tests.extraction.conftest import CODED_AT, make_article

TRICKY = [
    "I ain't gonna do it, y'all.",
    "Let's go, c'mon! You gotta see it, but he won't.",
    "There is a problem and there are two; there's more.",
    "It gets worse; he got it and I saw you.",
    "  Spaces  \n\n here, and\ttabs .",
    "She doesn't have it; did he have it? Do they?",
    "Russia's foreign ministry said Sudan must return the Mi-26 helicopter to Moscow.",
    "The U.S. and Iran held talks in Geneva on Friday, which she had planned to attend.",
]


def _parsed(texts: list[str]) -> list:
    model = nlp()
    return list(annotate([model.make_doc(t) for t in texts], ("tok2vec", "tagger", "parser")))


def _attrs(doc) -> list[tuple]:
    return [(t.pos, t.tag, t.morph.key, t.lemma, t.dep, t.head.i) for t in doc]


def test_rule_attributes_and_lemmas_equal_spacys_own_components(seed_article) -> None:
    texts = TRICKY + [s.text for s in sentences.segment(seed_article.paragraphs)]
    ruler, lemmatizer = nlp().get_pipe("attribute_ruler"), nlp().get_pipe("lemmatizer")
    theirs = [lemmatizer(ruler(doc)) for doc in _parsed(texts)]
    ours = list(lemmatize(rule_attributes(_parsed(texts), ruler), lemmatizer))  # type: ignore[arg-type]
    assert [_attrs(d) for d in ours] == [_attrs(d) for d in theirs]


def test_segment_takes_back_a_start_after_an_opening_bracket() -> None:
    text = (
        "He said the refugees suffer because Russia and the [Syrian] Regime are blocking them. "
        "The regime must take responsibility."
    )
    found = sentences.segment([text])
    assert [s.text for s in found] == [
        "He said the refugees suffer because Russia and the [Syrian] Regime are blocking them.",
        "The regime must take responsibility.",
    ]
    assert [s.index for s in found] == [0, 1]


def test_segment_skips_the_bracket_pass_only_where_it_would_change_nothing() -> None:
    texts = ["No brackets here. Nor here.", "One (here. Two) there.", "Square [Rukban] residents. Left."]
    docs = list(sentences.run(texts, sentences.SEGMENTER))
    expected = [s.text for doc in docs for s in sentences.number([sentences._no_start_after_opening(doc)])]
    assert [s.text for s in sentences.segment(texts)] == expected


def test_tokenizer_remembers_the_chunks_of_thousands_of_articles() -> None:
    assert nlp().tokenizer.max_cache_size == TOKENIZER_CACHE_CHUNKS >= 100_000


def test_own_docs_keep_words_text_and_numbers() -> None:
    found = sentences.segment(['Hello  world, "quoted."  Next one.', "Second para here."])
    own = sentences.own_docs(found)
    assert [s.index for s in own] == [s.index for s in found]
    assert [s.span.text for s in own] == [s.span.text for s in found]
    assert all(s.span.start == 0 and s.span.end == len(s.span.doc) for s in own)


@pytest.mark.parametrize(
    ("text", "codable"),
    [
        ("Israel struck Iran.\n\nIt was late. The strikes hit Natanz.", [0, 2]),  # a definite event noun inherits
        ("Israel struck Iran.\n\nOfficials had a meal.", [0]),  # a light verb alone codes nothing
        ("Putin spoke on Friday.\n\nHe condemned the attacks.", [0, 1]),  # "he": the last-named person
        ("The recipe needs two eggs.\n\nBake it.", []),
    ],
)
def test_prefilter_keeps_what_can_give_an_event(text: str, codable: list[int]) -> None:
    article = make_article(text)
    _, found = stage._split(article.paragraphs)
    assert [s.index for s in found] == codable


def test_speech_with_must_is_codable_and_coded_as_without_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    article = make_article("Russia said Sudan must leave the region now.")  # "leave" is no lexicon verb
    events = [e.model_dump() for e in stage.extract(article, coded_at=CODED_AT)]
    assert [(e["code"], e["source"]["code"], e["target"]["code"]) for e in events] == [("100", "RUS", "SDN")]
    monkeypatch.setattr(stage, "PREFILTER", False)
    assert events == [e.model_dump() for e in stage.extract(article, coded_at=CODED_AT)]


def test_the_same_article_gives_the_same_events(seed_article) -> None:
    first = [e.model_dump() for e in stage.extract(seed_article, coded_at=CODED_AT)]
    again = [e.model_dump() for e in stage.extract(seed_article, coded_at=CODED_AT)]
    assert first and first == again


@pytest.mark.parametrize(
    "text",
    [
        "Iran has a new president.",  # "has": a light verb, by the attribute ruler's lemma
        "Russia plans to build a museum.",  # a framing verb with nothing codable under it
        "Iran took the train to Tehran.",  # "take" codes only with "hostage" or "control"
        "Israel called the minister a liar.",  # "call" codes only with its prepositions
    ],
)
def test_sentences_without_a_coding_word_are_not_parsed_and_would_give_nothing(text: str) -> None:
    found, parsed = stage._split(sentences.pieces([text]))
    assert [s.index for s in found] == [0] and parsed == []
    everything = stage._parse(found, stage.PARSE_COMPONENTS)
    assert [stage.coder.code_sentence(s.span, CODED_AT.date()) for s in everything] == [[]]


@pytest.mark.parametrize(
    "text", ["Iran took hostages.", "Israel called for talks.", "Iran held talks with Iraq.", "Russia threatened Iraq."]
)
def test_refinement_words_make_a_sentence_worth_parsing(text: str) -> None:
    _, parsed = stage._split([text])
    assert [s.index for s in parsed] == [0]


def test_an_unparsed_codable_sentence_still_lets_a_definite_event_noun_inherit() -> None:
    article = make_article("Iran has troops there.\n\nThe strikes hit Natanz.")
    _, parsed = stage._split(article.paragraphs)
    assert [s.index for s in parsed] == [1]  # "the strikes" after a codable sentence, as before
