"""places.find on documents without coarse tags (the layer's): proper nouns from capitalisation and NER."""

from __future__ import annotations

from streams.extraction import layer, places


def test_places_tagless_mode_finds_a_city() -> None:
    (doc,) = layer.docs(["Protesters gathered in Nairobi after the vote."])
    assert places.tagless(doc)
    found = places.find(doc[:], every=True)
    assert [(doc[m.start : m.end].text, m.location.country) for m in found] == [("Nairobi", "KEN")]


def test_places_tagless_mode_skips_a_capitalised_sentence_start_outside_entities() -> None:
    (doc,) = layer.docs(["Police said the roads were closed."])
    assert not places.proper_nouns(doc).any()
