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


def test_big_city_anchors_its_neighbourhood(warmed: None) -> None:
    # Dallas is 50 times bigger than any other Dallas: Paris next to it is Paris, Texas.
    found = _parsed("Kay, 18, of Paris died in a Dallas hospital after the crash.")
    assert ("Paris", "USA", "city") in found


def test_country_homonym_town_next_to_article_places(warmed: None) -> None:
    text = "She is survived by a son of Lebanon and a sister of Myerstown."
    assert ("Lebanon", "USA", "city") in _parsed(text)


def test_country_homonym_stays_a_country_with_its_own_evidence(warmed: None) -> None:
    text = "Lebanese officials in Lebanon met a delegation from Myerstown."
    assert ("Lebanon", "LBN", "country") in _parsed(text)


def test_leading_lowercase_word_is_not_part_of_the_name(warmed: None) -> None:
    found = _parsed("Storms pushed toward metro Atlanta and north Georgia on Tuesday.")
    assert ("Atlanta", "USA", "city") in found
    assert ("Georgia", "USA", "admin1") in found


def test_state_form_with_country_is_one_country(warmed: None) -> None:
    found = _parsed("The ambassador of the Republic of Armenia spoke.")
    assert found == [("Republic of Armenia", "ARM", "country")]


def test_short_form_of_upon_name(warmed: None) -> None:
    found = _parsed("The UK regulator approved a treatment developed by doctors in Newcastle.")
    assert ("Newcastle", "GBR", "city") in found


def test_tied_top_countries_all_count(warmed: None) -> None:
    # Edmonton (Canada) and Clacton (England) tie with one vote each: both are article
    # countries, so Edmonton resolves with Clacton's evidence, not its own.
    found = _parsed("A fire broke out in Edmonton. A man was arrested in Clacton on Friday.")
    assert ("Edmonton", "GBR", "city") in found


def test_place_bound_to_a_state_stays_in_it(warmed: None) -> None:
    assert ("Paris", "USA", "city") in _parsed("A fire broke out in Paris, Texas, on Friday.")


def test_place_bound_to_a_state_without_such_town_is_left_out(warmed: None) -> None:
    found = _parsed("A woman was found dead in Belgrade, Minn., after a house fire.")
    assert [f for f in found if f[0] == "Belgrade"] == []
    assert ("Minn.", "USA", "admin1") in found
