"""The shipped dictionary files ``officials.json`` and ``groups.json`` are well-formed and consistent."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any, get_args

import pytest

from schemas.events import Sector
from streams.extraction.dictionary import DATA, Organisation, Person

ALLOWED_SECTORS = set(get_args(Sector))
CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
ISO3 = re.compile(r"^[A-Z]{3}$")
LEADER_KEYS = {"name", "aliases", "country", "sector", "title", "terms"}
ORG_KEYS = {"name", "aliases", "country", "sector", "code"}


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def _leaders() -> list[dict[str, Any]]:
    return list(_load("officials.json")["leaders"])


def _organisations() -> list[dict[str, Any]]:
    return list(_load("groups.json")["organisations"])


def _entries() -> list[dict[str, Any]]:
    return [*_leaders(), *_organisations()]


def _known_iso3() -> set[str]:
    return {c["iso3"] for c in _load("actors.json")["countries"]}


def test_files_hold_only_their_list() -> None:
    assert set(_load("officials.json")) == {"leaders"}
    assert set(_load("groups.json")) == {"organisations"}
    assert _leaders()
    assert _organisations()


def test_leader_entries_have_the_required_keys_and_types() -> None:
    bad = []
    for e in _leaders():
        keys = set(e)
        if not keys >= LEADER_KEYS or not keys <= LEADER_KEYS | {"code"}:
            bad.append((e.get("name"), sorted(keys ^ LEADER_KEYS)))
        elif not (
            isinstance(e["name"], str)
            and e["name"].strip() == e["name"] != ""
            and isinstance(e["aliases"], list)
            and all(isinstance(a, str) and a.strip() == a != "" for a in e["aliases"])
            and isinstance(e["title"], str)
            and e["title"]
            and isinstance(e["terms"], list)
            and e["terms"]
        ):
            bad.append((e.get("name"), "types"))
    assert not bad, bad


def test_organisation_entries_have_the_required_keys_and_types() -> None:
    bad = []
    for e in _organisations():
        if set(e) != ORG_KEYS:
            bad.append((e.get("name"), sorted(set(e) ^ ORG_KEYS)))
        elif not (
            isinstance(e["name"], str)
            and e["name"].strip() == e["name"] != ""
            and isinstance(e["aliases"], list)
            and all(isinstance(a, str) and a.strip() == a != "" for a in e["aliases"])
        ):
            bad.append((e.get("name"), "types"))
    assert not bad, bad


def test_entries_validate_with_the_dictionary_models() -> None:
    for e in _leaders():
        Person.model_validate(e)
    for e in _organisations():
        Organisation.model_validate(e)


def test_countries_are_known_iso3_codes_or_null_for_international_bodies() -> None:
    known = _known_iso3()
    bad = []
    for e in _entries():
        country = e["country"]
        if country is None:
            if e["sector"] != "IGO" and not e.get("code", "").startswith("IGO"):
                bad.append((e["name"], "null country outside an IGO"))
        elif not (isinstance(country, str) and ISO3.match(country) and country in known):
            bad.append((e["name"], country))
    assert not bad, bad


def test_sectors_are_in_the_allowed_set() -> None:
    bad = [(e["name"], e["sector"]) for e in _entries() if e["sector"] not in ALLOWED_SECTORS]
    assert not bad, bad


def test_codes_match_the_code_pattern() -> None:
    bad = [(e["name"], e["code"]) for e in _entries() if "code" in e and not CODE.match(str(e["code"]))]
    assert not bad, bad


def test_igo_entries_carry_an_igo_code() -> None:
    bad = [e["name"] for e in _entries() if e["sector"] == "IGO" and not str(e.get("code", "")).startswith("IGO")]
    assert not bad, bad


def test_terms_are_ordered_start_end_pairs() -> None:
    bad = []
    for e in _leaders():
        for term in e["terms"]:
            try:
                assert isinstance(term, list) and len(term) == 2
                start = date.fromisoformat(term[0])
                end = None if term[1] is None else date.fromisoformat(term[1])
                assert end is None or start < end
            except (AssertionError, TypeError, ValueError):
                bad.append((e["name"], e["title"], term))
    assert not bad, bad


def test_terms_of_one_office_do_not_overlap() -> None:
    by_office: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for e in _leaders():
        for start, end in e["terms"]:
            span = (date.fromisoformat(start), date.fromisoformat(end) if end else date.max)
            by_office[(e["name"], e["title"])].append(span)
    bad = []
    for office, spans in by_office.items():
        spans.sort()
        bad.extend((office, a, b) for a, b in pairwise(spans) if b[0] < a[1])
    assert not bad, bad


def test_no_alias_names_two_actors_of_different_countries() -> None:
    """A name or alias must not point at two different actors (by name) of different countries."""
    shipped = _load("actors.json")
    owners: dict[str, set[tuple[str, str | None, bool]]] = defaultdict(set)
    for mine, entries in ((False, [*shipped["leaders"], *shipped["organisations"]]), (True, _entries())):
        for e in entries:
            for alias in [e["name"], *e["aliases"]]:
                owners[alias.casefold()].add((e["name"], e["country"], mine))
    clashes = {}
    for alias, who in owners.items():
        if not any(m for _, _, m in who):
            continue  # only actors.json: not these files' business
        names = {n for n, _, _ in who}
        countries = {c for _, c, _ in who}
        if len(names) > 1 and len(countries) > 1:
            clashes[alias] = sorted((n, str(c)) for n, c, _ in who)
    for alias, who in sorted(clashes.items()):
        print(f"alias clash {alias!r}: {who}")
    assert not clashes, clashes


def test_aliases_differ_from_the_name_and_each_other() -> None:
    bad = [e["name"] for e in _entries() if e["name"] in e["aliases"] or len(set(e["aliases"])) != len(e["aliases"])]
    assert not bad, bad


@pytest.mark.parametrize("name", ["officials.json", "groups.json"])
def test_names_are_not_listed_twice_for_one_office(name: str) -> None:
    entries = _load(name)["leaders" if name == "officials.json" else "organisations"]
    seen: dict[tuple[str, str | None, str | None], int] = defaultdict(int)
    for e in entries:
        seen[(e["name"], e.get("title"), e["country"])] += 1
    assert not [k for k, n in seen.items() if n > 1]
