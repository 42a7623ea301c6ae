"""Further reports of an article already coded: update its events' counts instead of coding again.

When the clean stage flags an article as a duplicate of one already coded (the same
wire story from another outlet), the events of the original are published again with
the same ids and higher ``mentions`` / ``sources`` counts — one event per happening, not
one per report. The book of coded articles is an injected key-value store (a Faust table
in the stream, a dict offline), keyed by the original article's id; duplicates are keyed
by that id on ``articles.clean`` so both land on the same partition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson

from schemas import CleanArticle, Event
from streams.kvstore import KeyValueStore

#: Reports remembered per article: enough to recognise re-deliveries without growing without bound.
MAX_REPORTS = 200


def _outlet(article: CleanArticle) -> str:
    return article.source or article.url or article.id


def record_coded(article: CleanArticle, events: Sequence[Event], book: KeyValueStore, *, now: datetime) -> None:
    """Remember what an original article was coded into, for later reports of it."""
    if not events:
        return
    book[article.id] = orjson.dumps(
        {
            "t": now.timestamp(),
            "outlets": [_outlet(article)],
            "reports": [article.id],
            "events": [e.model_dump(mode="json") for e in events],
        }
    )


def report_updates(duplicate: CleanArticle, book: KeyValueStore, *, now: datetime) -> list[Event]:
    """The original's events with counts raised by this report; none for a re-delivery or an unknown original."""
    if duplicate.duplicate_of is None:
        return []
    raw = book.get(duplicate.duplicate_of)
    if raw is None:  # the original had no events, or is older than the window
        return []
    entry = orjson.loads(raw)
    if duplicate.id in entry["reports"]:
        return []
    reports = [*entry["reports"], duplicate.id][-MAX_REPORTS:]
    outlets = sorted({*entry["outlets"], _outlet(duplicate)})
    updated = [
        Event.from_obj({**event, "mentions": len(reports), "sources": len(outlets), "coded_at": now.isoformat()})
        for event in entry["events"]
    ]
    book[duplicate.duplicate_of] = orjson.dumps(
        {
            "t": now.timestamp(),
            "outlets": outlets,
            "reports": reports,
            "events": [e.model_dump(mode="json") for e in updated],
        }
    )
    return updated
