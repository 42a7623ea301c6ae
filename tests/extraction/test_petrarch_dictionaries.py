"""Converting PETRARCH's unit-test dictionaries into an actors file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streams.extraction import actors, dictionary
from streams.extraction.petrarch_dictionaries import PETRARCH_JSON, convert, parse_code, write_actors_file


def test_dated_codes_parse() -> None:
    assert parse_code("HOBGOV 19950601 - 19990815") == ("HOBGOV", [(date(1995, 6, 1), date(1999, 8, 15))])
    assert parse_code("HOB < 950601") == ("HOB", [(date(1, 1, 1), date(1995, 6, 1))])
    assert parse_code("HOBREB > 990816") == ("HOBREB", [(date(1999, 8, 16), None)])


def test_three_letter_codes_are_countries_with_aliases_and_demonyms() -> None:
    data = {
        "actors": [
            {"phrase": "GONDOR", "synonyms": ["MINAS TIRITH"], "codes": ["GON"]},
            {"phrase": "GONDORIAN", "synonyms": [], "codes": ["GON"]},
        ]
    }
    (gondor,) = convert(data).actors["countries"]
    assert gondor == {"name": "Gondor", "iso3": "GON", "aliases": ["Minas Tirith"], "demonyms": ["Gondorian"]}


def test_longer_codes_split_into_country_and_sector_when_it_is_one_of_ours() -> None:
    data = {
        "actors": [
            {"phrase": "HAMAS", "synonyms": [], "codes": ["PSEREBHMS"]},
            {"phrase": "AMROTH TANKS", "synonyms": [], "codes": ["AMRTNK"]},
        ]
    }
    hamas, tanks = convert(data).actors["organisations"]
    assert (hamas["country"], hamas["sector"], hamas["code"]) == ("PSE", "REB", "PSEREBHMS")
    assert (tanks["country"], tanks["sector"], tanks["code"]) == ("AMR", None, "AMRTNK")


def test_codes_we_cannot_hold_are_skipped_and_listed() -> None:
    out = convert({"actors": [{"phrase": "ISILDUR", "synonyms": [], "codes": ["+++"]}], "agents": []})
    assert out.actors == {"countries": [], "people": [], "organisations": []}
    assert "ISILDUR" in out.skipped[0]


def test_the_shared_dictionaries_convert_to_a_valid_file_the_index_uses(tmp_path: Path) -> None:
    path = tmp_path / "actors.yaml"
    write_actors_file(PETRARCH_JSON, path)
    user = dictionary.load_actors_file(path)
    index = actors.build_index(user)
    (arnor,) = index[("arnor",)]
    assert (arnor.kind, arnor.country, arnor.code) == ("country", "ARN", "ARN")
