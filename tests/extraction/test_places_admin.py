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


def test_english_county_is_an_admin2_place(warmed: None) -> None:
    assert _parsed("Flooding closed roads across Hampshire on Monday.") == [("Hampshire", "GBR", "admin2")]


def test_irish_county_written_county_x(warmed: None) -> None:
    found = _parsed("The crash happened in County Clare on Sunday.", "https://www.independent.ie/news")
    assert [(c, p) for _, c, p in found] == [("IRL", "admin2")]


def test_first_order_division_outside_the_hand_table(warmed: None) -> None:
    assert _parsed("Fighting resumed in Chechnya overnight.") == [("Chechnya", "RUS", "admin1")]


def test_area_named_like_its_city_gives_the_city(warmed: None) -> None:
    assert _parsed("Rockets hit Herat on Friday.") == [("Herat", "AFG", "city")]


def test_area_over_a_same_named_city_only_where_the_article_points(warmed: None) -> None:
    # Norfolk, England (600,000 people) vs Norfolk, Virginia: a US article keeps the city
    found = _parsed("The ship docked in Norfolk after leaving Virginia Beach and Chesapeake.")
    assert found[0] == ("Norfolk", "USA", "city")


def test_county_name_in_many_states_needs_the_article_to_pick_one(warmed: None) -> None:
    assert _parsed("Deputies searched a farm in Henry County overnight.") == []


def test_relative_area_names_are_not_toponyms() -> None:
    for name in ("west coast", "south east", "central", "western"):
        assert name not in places.areas()
