"""Convert PETRARCH's unit-test dictionaries (``petrarch_unit_dictionaries.json``) to an actors file.

The JSON has ``actors`` (phrase, synonyms, codes), ``agents`` (phrase, plural, ``~XXX`` code)
and a ``note``; it has no verbs, so no patterns file comes out of it. Rules:

- Names: the phrase and its synonyms, upper case in PETRARCH, are title-cased ("MINAS
  TIRITH" → "Minas Tirith"); one-word acronyms (at most three letters, a dot, or no vowel:
  "IMF", "U.N.", "USSR") stay in capitals and so only match capitals, as shipped ones do.
- Codes are upper-cased ("pse" → "PSE"). A code may carry a date restriction: ``X <D``
  (before D), ``X >D`` (from D on), ``X D1 - D2``; dates are YYYYMMDD or YYMMDD (YY < 30:
  20YY, else 19YY). A restricted code becomes a person entry with that term; an actor
  whose codes are all unrestricted becomes a country or an organisation.
- A code of three letters is a country: one ``countries`` entry per code, named by the
  first phrase with it; later phrases with the same code are aliases, or demonyms when they
  end like one (-AN, -ESE, -ISH, -CH, -I). PETRARCH uses such codes for non-state actors
  too (HOB for hobbits, UNO, IMF); they all become "countries", which codes them the same.
- A longer code: country = its first three letters, sector = the next three when they are
  one of our sectors (``schemas.events.Sector``), else none; the entry keeps the code as
  given ("PSEREBHMS": PSE, REB, code PSEREBHMS; "AMRTNK": AMR, no sector, code AMRTNK).
  Codes starting IGO/NGO/IMG/NGM have no country (sector IGO or NGO).
- Skipped, and listed in the result's ``skipped``: codes our actor code cannot hold
  (lengths not a multiple of three: "ITHTV", "YEMNO"; placeholders "---", "+++", "###";
  digits "G77"), and multi-actor codes "FRO/BIL/SAM" keep only their first actor.
- Agents (``~GOV`` appended to the actor: "Arnor ambassador" → ARNGOV) are not converted:
  the actors file has no sector words; the shipped sector words ("minister", "police",
  "troops", "government", …) stand in for them, and the agents they miss are listed in
  ``skipped``.
- An actor with several names in the index uses the first entry under a name (actors.find),
  so of PETRARCH's dated alternatives only the first one written applies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args

import yaml

from schemas.events import Sector
from streams.extraction import dictionary

PETRARCH_JSON = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "petrarch_unit_dictionaries.json"

SECTORS = frozenset(get_args(Sector))
NO_COUNTRY = {"IGO": "IGO", "NGO": "NGO", "IMG": "IGO", "NGM": "NGO"}
DEMONYM_ENDINGS = ("AN", "ESE", "ISH", "CH", "I")
_CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
_RESTRICTED = re.compile(r"^(?P<code>\S+)\s*(?:(?P<op>[<>])\s*(?P<d>\d{6,8})|(?P<d1>\d{6,8})\s*-\s*(?P<d2>\d{6,8}))?$")


@dataclass
class Converted:
    """The actors-file mapping and what could not be converted (with the reason)."""

    actors: dict[str, Any]
    skipped: list[str] = field(default_factory=list)


def _date(text: str) -> date:
    if len(text) == 6:
        yy = int(text[:2])
        text = f"{2000 + yy if yy < 30 else 1900 + yy}{text[2:]}"
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _name(phrase: str) -> str:
    letters = [c for c in phrase if c.isalpha()]
    if " " not in phrase and ("." in phrase or len(letters) <= 3 or not set(letters) & set("AEIOUY")):
        return phrase
    return " ".join(w.capitalize() if w.isalpha() else w.title() for w in phrase.split())


def parse_code(raw: str) -> tuple[str, list[tuple[date, date | None]]] | None:
    """``"HOBGOV 19950601 - 19990815"`` → ("HOBGOV", [(start, end)]); None when unreadable."""
    m = _RESTRICTED.match(raw.strip())
    if m is None:
        return None
    code = m["code"].upper().split("/")[0]
    if m["op"] == "<":
        return code, [(date(1, 1, 1), _date(m["d"]))]
    if m["op"] == ">":
        return code, [(_date(m["d"]), None)]
    if m["d1"]:
        return code, [(_date(m["d1"]), _date(m["d2"]))]
    return code, []


def _entry(name: str, aliases: list[str], code: str) -> dict[str, Any]:
    head, rest = code[:3], code[3:6]
    if head in NO_COUNTRY:
        return {"name": name, "aliases": aliases, "country": None, "sector": NO_COUNTRY[head], "code": code}
    sector = rest if rest in SECTORS else None
    return {"name": name, "aliases": aliases, "country": head, "sector": sector, "code": code}


def convert(data: dict[str, Any]) -> Converted:
    """PETRARCH's dictionaries (the JSON's mapping) → an actors-file mapping (validated)."""
    countries: dict[str, dict[str, Any]] = {}
    people: list[dict[str, Any]] = []
    organisations: list[dict[str, Any]] = []
    skipped: list[str] = []
    for actor in data.get("actors", []):
        phrases = [str(actor["phrase"]), *[str(s) for s in actor.get("synonyms") or []]]
        names = list(dict.fromkeys(_name(p) for p in phrases))
        parsed = []
        for raw in actor.get("codes") or []:
            found = parse_code(str(raw))
            if found is None or not _CODE.match(found[0]):
                skipped.append(f"{actor['phrase']}: code {raw!r} is not a letters-only code of 3, 6, 9… letters")
                continue
            if "/" in str(raw):
                skipped.append(f"{actor['phrase']}: code {raw!r} names several actors; kept the first")
            parsed.append(found)
        if not parsed:
            continue
        dated = any(terms for _, terms in parsed)
        for code, terms in parsed:
            if len(code) == 3 and not dated and code not in NO_COUNTRY:
                country = countries.get(code)
                if country is None:
                    country = countries[code] = {"name": names[0], "iso3": code, "aliases": [], "demonyms": []}
                for n in phrases:
                    name = _name(n)
                    if name == country["name"] or name in country["aliases"] or name in country["demonyms"]:
                        continue
                    kind = "demonyms" if n.upper().endswith(DEMONYM_ENDINGS) else "aliases"
                    country[kind].append(name)
            elif dated:
                people.append({**_entry(names[0], names[1:], code), "terms": [list(t) for t in terms]})
            else:
                organisations.append(_entry(names[0], names[1:], code))
    for agent in data.get("agents", []):
        skipped.append(f"agent {agent['phrase']} ({agent['code']}): agents are not converted")
    out = {"countries": list(countries.values()), "people": people, "organisations": organisations}
    dictionary.ActorsFile.model_validate(out)
    return Converted(out, skipped)


def write_actors_file(source: Path, target: Path) -> Converted:
    """Convert the JSON at ``source`` and write the actors file (YAML) to ``target``."""
    converted = convert(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(yaml.safe_dump(converted.actors, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return converted
