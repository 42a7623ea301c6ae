"""Hand-built events for alerting tests (alerting is tested apart from extraction)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from schemas import Actor, Event, Location

ISR = Actor(text="Israel", name="Israel", country="ISR", sector="GOV", code="ISRGOV")
IRN = Actor(text="Iran", name="Iran", country="IRN", sector="GOV", code="IRNGOV")
NATANZ = Location(name="Natanz", country="IRN", lat=33.51, lon=51.92, geonames_id=115770, precision="city")


def make_event(sentence: str = "Israeli airstrikes hit nuclear facilities in Iran.", **fields: Any) -> Event:
    values: dict[str, Any] = {
        "event_id": "ev-" + hashlib.sha256(sentence.encode()).hexdigest()[:20],
        "article_id": "a1",
        "article_url": "https://example.test/a1",
        "outlet": "Example Wire",
        "published_at": datetime(2025, 6, 13, 18, tzinfo=UTC),
        "story_id": "st-" + "0" * 20,
        "sentence": sentence,
        "sentence_index": 0,
        "date": date(2025, 6, 13),
        "date_precision": "day",
        "code": "195",
        "root_code": "19",
        "label": "Employ aerial weapons",
        "quad_class": 4,
        "goldstein": -10.0,
        "plover": "ASSAULT",
        "predicate": "airstrikes",
        "source": ISR,
        "target": IRN,
        "location": None,
        "places": [],
        "confidence": 0.9,
        "coded_at": datetime(2025, 6, 13, 18, 0, 5, tzinfo=UTC),
    }
    values.update(fields)
    return Event(**values)
