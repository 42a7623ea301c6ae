"""Unit tests of the parts: code table, dates, actors, places, bounds, and the dev-set score."""

from __future__ import annotations

from datetime import date

import pytest

from streams.extraction import actors, coder, codes, dates, evaluate, places, sentences
from streams.extraction.language import nlp


def test_code_table_covers_every_root_and_lexicon_codes_exist() -> None:
    table = codes.table()
    assert {f"{i:02d}" for i in range(1, 21)} <= set(table)
    assert table["195"].label == "Employ aerial weapons" and table["195"].plover == "ASSAULT"
    assert table["010"].plover is None
    lex = coder.lexicon()
    used: set[str] = set()
    for entry in [*lex["verbs"].values(), *lex["nouns"].values()]:
        used |= {entry.get("code")} | set(entry.get("obj", {}).values()) | set(entry.get("prep", {}).values())
        used |= set(entry.get("prt", {}).values()) | set(entry.get("mod", {}).values())
    for frame in lex["frames"].values():
        used |= {frame.get("default")} | {v for v in frame.get("map", {}).values() if v != "="}
    used.discard(None)
    assert all(codes.is_known(c) for c in used), sorted(c for c in used if not codes.is_known(c))
    assert {codes.lookup(c).root_code for c in used} == {f"{i:02d}" for i in range(1, 21)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Friday", date(2025, 6, 13)),
        ("Friday night", date(2025, 6, 13)),
        ("on Monday", date(2025, 6, 9)),
        ("last Friday", date(2025, 6, 6)),
        ("yesterday", date(2025, 6, 12)),
        ("last week", date(2025, 6, 2)),
        ("on June 13", date(2025, 6, 13)),
        ("on 30 December", date(2024, 12, 30)),
        ("on March 3, 2020", date(2020, 3, 3)),
    ],
)
def test_dates(warmed: None, text: str, expected: date) -> None:
    found = dates.find(nlp()(f"It happened {text}.")[:], date(2025, 6, 13))
    assert [d.value for d in found] == [expected]


@pytest.mark.parametrize(
    ("text", "word", "code"),
    [
        ("Russian President Vladimir Putin spoke.", "Putin", "RUSGOV"),
        ("Israel's prime minister spoke.", "minister", "ISRGOV"),
        ("Iranian President Masoud Pezeshkian spoke.", "Pezeshkian", "IRNGOV"),
        ("The Kremlin spoke.", "Kremlin", "RUSGOV"),
        ("The White House spoke.", "House", "USAGOV"),
        ("The Pentagon spoke.", "Pentagon", "USAMIL"),
        ("The Iranian army spoke.", "army", "IRNMIL"),
        ("Hezbollah spoke.", "Hezbollah", "LBNREB"),
        ("NATO spoke.", "NATO", "IGONAT"),
        ("Moscow spoke.", "Moscow", "RUSGOV"),
    ],
)
def test_actors(warmed: None, text: str, word: str, code: str) -> None:
    doc = nlp()(text)
    head = next(t for t in doc if t.text == word)
    assert [a.code for a in actors.resolve_all(head, date(2025, 6, 13))] == [code]


def test_leader_terms(warmed: None) -> None:
    head = next(t for t in nlp()("Pezeshkian spoke.") if t.text == "Pezeshkian")
    assert actors.resolve(head, date(2024, 8, 1))[0].code == "IRNGOV"
    assert actors.resolve(head, date(2020, 1, 1))[0].sector is None


def test_places_prefer_actor_countries(warmed: None) -> None:
    doc = nlp()("Troops arrived in Moscow and Tripoli.")
    found = {p.location.name: p.location.country for p in places.find(doc[:], prefer={"LBN"})}
    assert found["Moscow"] == "RUS"
    assert found["Tripoli"] == "LBN"


def test_bounds(warmed: None) -> None:
    long_sentence = "Israel attacked Iran " + "and more " * 200 + "."
    parsed = sentences.split([long_sentence, "Russia condemned Israel."])
    assert [s.index for s in parsed] == [1]
    many = ["Russia condemned Israel."] * (sentences.MAX_SENTENCES + 5)
    assert len(sentences.split(many)) == sentences.MAX_SENTENCES


def test_dev_set_score_is_measured(warmed: None, capsys: pytest.CaptureFixture[str]) -> None:
    records = evaluate.load()[::4]
    result = evaluate.score(records).rates()
    print(result)
    assert result["coverage"] > 0.2
    assert result["event_type_accuracy"] > 0.15
    assert result["source_country_accuracy"] > 0.15
