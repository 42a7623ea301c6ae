"""The seed article must yield the who-did-what-to-whom events a reader sees in it."""

from __future__ import annotations

from datetime import date

from schemas.articles import CleanArticle
from schemas.events import Event
from streams.extraction.places import fold
from streams.extraction.stage import extract
from tests.extraction.conftest import CODED_AT


def _find(events: list[Event], root: str, src: str, tgt: str | None) -> list[Event]:
    return [
        e
        for e in events
        if e.root_code == root and e.source.country == src and (e.target.country if e.target else None) == tgt
    ]


def test_seed_text_is_the_body(seed_article: CleanArticle) -> None:
    assert seed_article.text.startswith("Russian President Vladimir Putin has spoken")
    assert seed_article.text.endswith("which started on Friday night.")
    assert "Sitelerimizde" not in seed_article.text


def test_russia_consults_iran_and_israel_by_phone(seed_events: list[Event]) -> None:
    iran = _find(seed_events, "04", "RUS", "IRN")
    israel = _find(seed_events, "04", "RUS", "ISR")
    assert any(e.code == "041" and e.source.code == "RUSGOV" and e.target and e.target.code == "IRNGOV" for e in iran)
    assert any(e.source.name == "Vladimir Putin" for e in iran)
    assert any(e.target and e.target.name == "Masoud Pezeshkian" for e in iran)
    assert israel


def test_israel_strikes_iran_with_the_four_cities(seed_events: list[Event]) -> None:
    strikes = _find(seed_events, "19", "ISR", "IRN")
    assert any(e.code == "195" for e in strikes)
    wanted = {"tehran", "natanz", "tabriz", "isfahan"}
    with_places = [e for e in strikes if wanted <= {fold(p.name) for p in e.places}]
    assert with_places, "one strike event must carry all four cities"
    for place in with_places[0].places:
        assert place.country == "IRN" and place.geonames_id
        assert place.precision == "country" or (place.lat is not None and place.lon is not None)
    assert {fold(p.name) for p in with_places[0].places if p.precision == "city"} == wanted
    assert with_places[0].location is not None and with_places[0].location.precision == "city"


def test_the_strikes_told_five_times_are_one_event(seed_events: list[Event]) -> None:
    strikes = _find(seed_events, "19", "ISR", "IRN")
    assert [e.code for e in strikes] == ["195"], [(e.code, e.predicate, e.sentence_index) for e in strikes]


def test_no_event_is_told_twice(seed_events: list[Event]) -> None:
    dyads = [(e.code, e.source.code, e.target.code if e.target else None) for e in seed_events]
    assert len(set(dyads)) == len(dyads), dyads
    told = [e for e in seed_events if e.target is None]
    assert all(
        not any(o.target and o.root_code == e.root_code and o.source.code == e.source.code for o in seed_events)
        for e in told
    )


def test_russia_condemns_israel(seed_events: list[Event]) -> None:
    assert any(e.code == "111" for e in _find(seed_events, "11", "RUS", "ISR"))


def test_sensible_others(seed_events: list[Event]) -> None:
    assert any(e.code == "039" for e in _find(seed_events, "03", "RUS", "ISR"))
    assert any(e.code == "039" for e in _find(seed_events, "03", "RUS", "IRN"))
    assert any(e.code == "018" for e in _find(seed_events, "01", "RUS", "IRN"))
    assert _find(seed_events, "02", "RUS", "ISR")  # urged a return to negotiations
    threats = _find(seed_events, "13", "IRN", "ISR")
    assert threats and all(e.modality == "threatened" for e in threats)
    planned = [e for e in seed_events if e.modality == "planned" and e.source.country == "ISR"]
    assert planned and planned[0].target and planned[0].target.country == "RUS"


def test_friday_resolves_to_the_13th(seed_events: list[Event]) -> None:
    dated = [e for e in seed_events if "Friday" in e.sentence]
    assert dated
    assert all(e.date == date(2025, 6, 13) and e.date_precision == "day" for e in dated)


def test_no_absurd_events(seed_events: list[Event]) -> None:
    place_only = {"tehran", "natanz", "tabriz", "isfahan"}
    for e in seed_events:
        assert fold(e.source.text) not in place_only
        assert e.source.country or e.source.sector == "IGO"
        assert e.target is None or e.target.code != e.source.code
        assert 0 < e.confidence <= 1
        assert e.mentions == 1 and e.sources == 1
        assert e.article_url == "https://example.test/seed" and e.outlet == "Example News"


def test_places_only_where_named(seed_article: CleanArticle, seed_events: list[Event]) -> None:
    # a happening told in several sentences carries the places of every telling
    for e in seed_events:
        for p in e.places:
            assert fold(p.name) in fold(seed_article.text)
        if e.location is not None:
            assert e.location == e.places[0]
    single = [e for e in seed_events if e.code != "195"]
    for e in single:
        assert all(fold(p.name) in fold(e.sentence) for p in e.places)


def test_deterministic_ids(seed_article: CleanArticle, seed_events: list[Event]) -> None:
    again = extract(seed_article, coded_at=CODED_AT)
    assert [e.event_id for e in again] == [e.event_id for e in seed_events]
    assert [e.to_json() for e in again] == [e.to_json() for e in seed_events]
    assert len({e.event_id for e in seed_events}) == len(seed_events)


def test_round_trips_through_json(seed_events: list[Event]) -> None:
    for e in seed_events:
        assert Event.from_json(e.to_json()) == e
