"""The layer's tagless path: tokenizer and NER only, proper nouns and tense from word forms."""

from __future__ import annotations

from datetime import date

from streams.extraction import layer

ANCHOR = date(2025, 6, 11)  # a Wednesday


def test_tagless_layer_finds_actors_places_and_dates_in_a_small_text() -> None:
    (sentence,) = layer.extract_mentions(["French President Emmanuel Macron arrived in Kyiv on Monday."], ANCHOR)
    assert not sentence.span.doc.has_annotation("TAG")
    assert "FRAGOV" in {m.actor.code for m in sentence.actors}
    assert [(p.location.name, p.location.country) for p in sentence.places] == [("Kyiv", "UKR")]
    assert [d.value for d in sentence.dates] == [date(2025, 6, 9)]


def test_tagless_dates_resolve_past_and_future_weekdays() -> None:
    found = layer.extract_mentions(
        [
            "Rebels attacked the town on Tuesday.",
            "Talks are scheduled to resume on Tuesday.",
            "The ministers plan to meet on Thursday.",
            "Police said on Monday that two men were arrested.",
        ],
        ANCHOR,
    )
    assert [[d.value for d in s.dates] for s in found] == [
        [date(2025, 6, 10)],
        [date(2025, 6, 17)],
        [date(2025, 6, 12)],
        [date(2025, 6, 9)],
    ]
