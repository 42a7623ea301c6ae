"""The user's actors file (WIREWATCH_ACTORS_FILE): validated, merged over the shipped dictionary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from streams.extraction import actors
from streams.extraction.dictionary import ActorsFileError, load_actors_file, parse_actors_file
from streams.extraction.stage import extract
from tests.extraction.conftest import make_article

ON = date(2026, 11, 27)
GOOD = """\
people:
  - name: Johnson Sakaja
    aliases: [Sakaja]
    country: KEN
    sector: GOV
    title: Governor of Nairobi
    terms: [[2022-08-25, null]]
organisations:
  - name: Acme Mining
    aliases: [Acme]
    country: ZAF
    sector: BUS
  - name: Kremlin
    aliases: [the Kremlin]
    country: RUS
    sector: SPY
"""


@pytest.fixture
def actors_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "actors.yaml"
    path.write_text(GOOD, encoding="utf-8")
    actors.configure(path)
    yield path
    actors.configure(None)


def test_a_valid_file_parses() -> None:
    parsed = parse_actors_file(GOOD)
    assert [p.name for p in parsed.people] == ["Johnson Sakaja"]
    assert parsed.organisations[0].full_code == "ZAFBUS"


def test_user_people_and_organisations_resolve(actors_file: Path) -> None:
    sakaja = actors.resolve_actor("Sakaja", on=ON)
    acme = actors.resolve_actor("Acme", on=ON)
    assert sakaja is not None and sakaja.code == "KENGOV" and sakaja.name == "Johnson Sakaja"
    assert acme is not None and acme.code == "ZAFBUS"


def test_a_user_entry_replaces_the_shipped_one_under_its_name(actors_file: Path) -> None:
    kremlin = actors.resolve_actor("the Kremlin", on=ON)
    assert kremlin is not None and kremlin.code == "RUSSPY"


def test_shipped_entries_under_other_names_stay(actors_file: Path) -> None:
    putin = actors.resolve_actor("Vladimir Putin", on=ON)
    assert putin is not None and putin.code == "RUSGOV"


def test_without_a_file_the_shipped_dictionary_applies() -> None:
    actors.configure(None)
    assert actors.resolve_actor("Sakaja", on=ON) is None
    kremlin = actors.resolve_actor("the Kremlin", on=ON)
    assert kremlin is not None and kremlin.code == "RUSGOV"


def test_user_actors_reach_coded_events(actors_file: Path) -> None:
    article = make_article(
        "Governor Johnson Sakaja condemned Acme Mining on Friday.", published=datetime(2026, 11, 27, 9, tzinfo=UTC)
    )
    events = extract(article, coded_at=datetime(2026, 11, 27, 9, tzinfo=UTC))
    assert [(e.source.code, e.target.code if e.target else None) for e in events] == [("KENGOV", "ZAFBUS")]


def test_a_bad_sector_names_the_line() -> None:
    text = "people:\n  - name: A\n    country: KEN\n    sector: GOV\n  - name: B\n    country: KEN\n    sector: XYZ\n"
    with pytest.raises(ActorsFileError, match=r"A003: .*line 7: people\.1\.sector"):
        parse_actors_file(text, "mine.yaml")


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(ActorsFileError, match=r"A002: mine.yaml: line 3 \(in what starts on line 2\): invalid YAML"):
        parse_actors_file("people:\n  - name: [unclosed\n", "mine.yaml")


def test_a_term_that_ends_before_it_starts_is_rejected() -> None:
    text = "people:\n  - name: A\n    country: KEN\n    sector: GOV\n    terms: [[2024-01-01, 2020-01-01]]\n"
    with pytest.raises(ActorsFileError, match="ends"):
        parse_actors_file(text)


def test_an_entry_without_country_needs_a_code() -> None:
    with pytest.raises(ActorsFileError, match="needs a code"):
        parse_actors_file("organisations:\n  - name: Some Body\n    sector: IGO\n")


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ActorsFileError, match="A003"):
        parse_actors_file("people:\n  - name: A\n    country: KEN\n    sector: GOV\n    office: x\n")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ActorsFileError, match="A001"):
        load_actors_file(tmp_path / "nope.yaml")


def test_configure_validates_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("people: 3\n", encoding="utf-8")
    with pytest.raises(ActorsFileError):
        actors.configure(bad)
