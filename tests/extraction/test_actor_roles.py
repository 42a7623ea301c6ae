"""Actor roles beyond country + government: former office holders, titles, qualifiers, new sectors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from streams.extraction.actors import resolve_actor
from streams.extraction.stage import extract
from tests.extraction.conftest import make_article

ON = date(2026, 11, 27)


def _code(text: str, on: date = ON) -> str | None:
    actor = resolve_actor(text, on=on)
    return actor.code if actor else None


def test_a_leader_out_of_office_is_a_former_office_holder() -> None:
    assert _code("Angela Merkel") == "DEUELI"


def test_a_leader_in_office_keeps_the_office_sector() -> None:
    assert _code("Angela Merkel", date(2019, 3, 1)) == "DEUGOV"


def test_a_leader_before_taking_office_has_only_a_country() -> None:
    assert _code("Masoud Pezeshkian", date(2020, 1, 1)) == "IRN"


def test_the_sentence_title_beats_the_dictionary_dates() -> None:
    assert _code("Prime Minister Scott Morrison", date(2023, 1, 1)) == "AUSGOV"


def test_a_former_official_is_an_elite() -> None:
    assert _code("a former CIA official") == "USAELI"


def test_a_defence_minister_is_civilian_government() -> None:
    assert _code("Chile's Defense Ministry") == "CHLGOV"


def test_a_dated_organisation_changes_role() -> None:
    assert _code("the Taliban", date(2010, 1, 1)) == "AFGINS"
    assert _code("the Taliban", date(2022, 1, 1)) == "AFGGOV"


def test_a_religious_community_leader_is_religious() -> None:
    assert _code("Muslim leaders in France") == "FRAREL"


def test_an_indigenous_leader_is_a_civilian() -> None:
    assert _code("an indigenous leader") == "CVL"


def test_state_media_speak_for_the_government() -> None:
    assert _code("the official Iranian news agency") == "IRNGOV"


def test_a_city_as_actor_is_its_people_and_a_capital_its_government() -> None:
    assert _code("Mariupol") == "UKRCVL"
    assert _code("Canberra") == "AUSGOV"


def test_a_capital_inside_a_phrase_is_only_a_place() -> None:
    assert _code("an amusement park in Kabul") == "AFG"


def test_an_igo_with_a_role_word_keeps_its_code() -> None:
    actor = resolve_actor("European Union legislators", on=ON)
    assert actor is not None and actor.code == "IGOEURLEG" and actor.sector == "LEG" and actor.country is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("smuggling gang", "CRM"),
        ("Ukrainian farmers", "UKRAGR"),
        ("trade unions in Denmark", "DNKLAB"),
        ("Burkina Faso's displaced people", "BFAREF"),
        ("a Somalia-based paramilitary group", "SOMPRM"),
        ("breakaway state", "PRE"),
        ("the ruling party in Hungary", "HUNPTY"),
    ],
)
def test_plover_sectors(text: str, code: str) -> None:
    assert _code(text) == code


def test_a_name_the_tagger_takes_for_a_verb_still_resolves() -> None:
    assert _code("FDLR") == "RWAREB"


def test_a_country_and_title_name_the_office_holder_of_the_day() -> None:
    actor = resolve_actor("the Israeli prime minister", on=date(2025, 6, 13))
    assert actor is not None and actor.name == "Benjamin Netanyahu" and actor.code == "ISRGOV"
    earlier = resolve_actor("the British prime minister", on=date(2023, 6, 1))
    assert earlier is not None and earlier.name == "Rishi Sunak"


def test_a_title_without_a_single_holder_stays_generic() -> None:
    actor = resolve_actor("Iranian officials", on=date(2025, 6, 13))
    assert actor is not None and actor.name == "Iran government"


def test_he_in_a_later_sentence_is_the_last_named_person() -> None:
    text = (
        "Israeli Prime Minister Benjamin Netanyahu met Jordanian officials on Monday.\n\n"
        "The meeting ran late into the night, aides said.\n\n"
        "On Tuesday he condemned Iran over the attack."
    )
    article = make_article(text, published=datetime(2025, 6, 13, tzinfo=UTC))
    events = [e for e in extract(article, coded_at=datetime(2025, 6, 14, tzinfo=UTC)) if e.code == "111"]
    assert [(e.source.name, e.source.text, e.target.code if e.target else None) for e in events] == [
        ("Benjamin Netanyahu", "he", "IRN")
    ]
    assert events[0].confidence <= 0.6


def test_he_without_an_earlier_person_codes_nothing() -> None:
    article = make_article("On Tuesday he condemned Iran over the attack.", published=datetime(2025, 6, 13, tzinfo=UTC))
    assert extract(article, coded_at=datetime(2025, 6, 14, tzinfo=UTC)) == []
