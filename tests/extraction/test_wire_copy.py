"""Wire copy: datelines are not subjects, and "an attack on X that killed" is not done by X."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.extraction.sentences import without_dateline
from streams.extraction.stage import extract
from tests.extraction.conftest import make_article

CODED_AT = datetime(2025, 6, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("DOHA, June 23 - Iran fired missiles", "Iran fired missiles"),
        ("KYIV, June 17 — Russia attacked", "Russia attacked"),
        ("NEW YORK — The UN Security Council", "The UN Security Council"),
        ("LONDON (Reuters) - Britain said", "Britain said"),
        ("CEBU CITY: -- Cordova Mayor", "Cordova Mayor"),
        ("GAZA CITY, Gaza Strip — Israeli jets", "Israeli jets"),
    ],
)
def test_a_leading_dateline_is_dropped(text: str, rest: str) -> None:
    assert without_dateline(text) == rest


@pytest.mark.parametrize("text", ["Iran - the country said", "NATO - the alliance said", "US officials said"])
def test_text_that_only_looks_like_a_dateline_is_kept(text: str) -> None:
    assert without_dateline(text) == text


def test_the_dateline_city_does_not_become_the_attacker() -> None:
    article = make_article(
        "DOHA, June 23 - Iran fired missiles at the Al Udeid air base in Qatar on Monday evening, "
        "Qatar's Defence Ministry said."
    )
    fired = [e for e in extract(article, coded_at=CODED_AT) if e.root_code == "19"]
    assert fired and {e.source.country for e in fired} == {"IRN"}


def test_the_victims_of_an_attack_that_killed_are_not_its_authors() -> None:
    article = make_article(
        "The UN Security Council on Thursday condemned an attack on a World Food Programme convoy "
        "in North Darfur that killed five aid workers."
    )
    killers = [e.source.name for e in extract(article, coded_at=CODED_AT) if e.root_code in ("18", "19", "20")]
    assert "World Food Programme" not in killers
