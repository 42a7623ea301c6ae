"""Geoparsing context rules: what an article says about where its places are."""

from __future__ import annotations

from spacy.tokens import Doc

from streams.extraction import places
from streams.extraction.language import nlp


def _parsed(text: str) -> list[tuple[str, str | None, str]]:
    doc: Doc = nlp()(text)
    return [(doc[m.start : m.end].text, m.location.country, m.location.precision) for m in places.geoparse(doc)]


def test_name_is_not_its_own_evidence(warmed: None) -> None:
    # "Paris" makes France an article country (a capital), but not for "Paris" itself:
    # three towns in Illinois make the United States the article's country.
    found = _parsed("The mayor of Paris met officials from Urbana, Danville and Champaign.")
    assert found[0] == ("Paris", "USA", "city")


def test_support_records_which_name_gave_a_country(warmed: None) -> None:
    ctx = places.context(nlp()("The fire in Paris was put out."))
    assert ctx.support["FRA"] == {"paris"}
    assert _parsed("The fire in Paris was put out.") == [("Paris", "FRA", "city")]  # nothing else: the capital


def test_named_county_gives_its_state(warmed: None) -> None:
    ctx = places.context(nlp()("The mayor of Paris met officials in Edgar County on Monday."))
    assert ("USA", "IL") in ctx.regions
    assert _parsed("The mayor of Paris met officials in Edgar County on Monday.")[0] == ("Paris", "USA", "city")


def test_county_settles_a_country_homonym(warmed: None) -> None:
    found = _parsed("Residents of Palestine were warned, the Anderson County sheriff said.")
    assert found[0] == ("Palestine", "USA", "city")


def test_parish_counts_as_a_county(warmed: None) -> None:
    found = _parsed("The Rapides Parish fire district investigated the fire in Alexandria.")
    assert found == [("Alexandria", "USA", "city")]


def test_county_in_many_states_says_only_the_country(warmed: None) -> None:
    ctx = places.context(nlp()("Crews cleared roads in Washington County overnight."))
    assert ("USA", "*") in ctx.regions
    assert not any(r[0] == "USA" and r[1] not in ("*",) for r in ctx.regions)
