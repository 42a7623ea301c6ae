"""Geoparsing with administrative areas worldwide and the outlet's country as a prior."""

from __future__ import annotations

from spacy.tokens import Doc

from streams.extraction import places
from streams.extraction.language import nlp
from streams.extraction.outlets import outlet_country


def _parsed(text: str, url: str | None = None) -> list[tuple[str, str | None, str]]:
    doc: Doc = nlp()(text)
    found = places.geoparse(doc, outlet_country=outlet_country(url))
    return [(doc[m.start : m.end].text, m.location.country, m.location.precision) for m in found]


def test_country_code_tld_gives_the_outlet_country() -> None:
    assert outlet_country("https://lfpress.ca/news/local") == "CAN"
    assert outlet_country("https://www.nlhnews.co.uk/story") == "GBR"
    assert outlet_country("http://www.dailystar.com.lb/News") == "LBN"
    assert outlet_country("https://www.independent.ie/x") == "IRL"


def test_generic_tlds_give_no_outlet_country() -> None:
    for url in ("https://www.nytimes.com/a", "https://ctv.news/a", "https://example.org", "https://x.tv/a"):
        assert outlet_country(url) is None
    assert outlet_country("https://startup.io/a") is None  # a ccTLD sold as a generic one
    assert outlet_country(None) is None
    assert outlet_country("http://127.0.0.1:8080/a") is None


def test_canadian_outlet_prior_picks_london_ontario(warmed: None) -> None:
    found = _parsed("Police in London said the man was arrested on Tuesday.", "https://lfpress.ca/news/local")
    assert found == [("London", "CAN", "city")]


def test_british_outlet_prior_picks_london_uk(warmed: None) -> None:
    found = _parsed("Police in London said the man was arrested on Tuesday.", "https://www.example.co.uk/news")
    assert found == [("London", "GBR", "city")]


def test_generic_outlet_keeps_the_population_prior(warmed: None) -> None:
    assert _parsed("Police in Edmonton said the man was arrested.", "https://www.example.com/a") == [
        ("Edmonton", "CAN", "city")
    ]


def test_outlet_prior_picks_a_local_homonym(warmed: None) -> None:
    found = _parsed("Police in Edmonton said the man was arrested.", "https://www.example.co.uk/news")
    assert found[0][:2] == ("Edmonton", "GBR")


def test_outlet_town_beats_a_foreign_state_of_that_name(warmed: None) -> None:
    found = _parsed("The festival returns to Virginia this weekend.", "https://www.anglocelt.ie/news")
    assert found == [("Virginia", "IRL", "city")]
