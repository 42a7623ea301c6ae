"""The actor/place/date layer: mentions without a parse, from only the components it needs."""

from __future__ import annotations

from datetime import date

from streams.extraction import layer
from streams.extraction.language import run

ANCHOR = date(2025, 6, 11)  # a Wednesday


def test_layer_finds_actors_places_and_dates_in_a_short_text() -> None:
    found = layer.extract_mentions(
        [
            "Iranian President Masoud Pezeshkian met Putin in Moscow on Friday.",
            "The Israeli army said it struck targets in Gaza yesterday.",
        ],
        ANCHOR,
    )
    assert [s.index for s in found] == [0, 1]
    first, second = found
    assert {m.actor.code for m in first.actors} >= {"IRNGOV", "RUSGOV"}
    assert "Moscow" in {p.location.name for p in first.places}
    assert [d.value for d in first.dates] == [date(2025, 6, 6)]
    assert "ISRMIL" in {m.actor.code for m in second.actors}
    assert "Gaza" in {p.location.name for p in second.places}
    assert [d.value for d in second.dates] == [date(2025, 6, 10)]


def test_layer_runs_only_the_tokenizer_and_ner() -> None:
    (sentence,) = layer.extract_mentions(["Russia condemned the strikes on Friday."], ANCHOR)
    doc = sentence.span.doc
    for annotation in ("DEP", "LEMMA", "TAG", "POS"):
        assert not doc.has_annotation(annotation), annotation
    assert doc.has_annotation("ENT_IOB") and doc.has_annotation("SENT_START")


def test_layer_coarse_tags_equal_the_attribute_rulers_without_a_parse() -> None:
    texts = [
        "Gunmen attacked a police post in northern Mali, officials said on Monday.",
        "He's going to Paris - again!",
    ]
    ruled = list(run(texts, ("tok2vec", "tagger", "attribute_ruler")))
    fast = [layer.coarse_tags(doc) for doc in run(texts, ("tok2vec", "tagger"))]
    assert [[t.pos_ for t in d] for d in fast] == [[t.pos_ for t in d] for d in ruled]


def test_layer_splits_sentences_inside_a_paragraph_and_numbers_them_across_paragraphs() -> None:
    found = layer.extract_mentions(["China warned Japan. Japan replied on Monday.", "Talks resume."], ANCHOR)
    assert [(s.index, s.text) for s in found] == [
        (0, "China warned Japan."),
        (1, "Japan replied on Monday."),
        (2, "Talks resume."),
    ]


def test_dates_without_a_parse_still_resolve_weekday_names_by_tense() -> None:
    past, future = layer.extract_mentions(
        ["Israel struck Iran on Friday.", "Putin will visit Paris on Friday."], ANCHOR
    )
    assert not past.span.doc.has_annotation("DEP")
    assert [d.value for d in past.dates] == [date(2025, 6, 6)]  # the Friday before
    assert [d.value for d in future.dates] == [date(2025, 6, 13)]  # the Friday after
