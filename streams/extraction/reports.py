"""Further reports of an article already coded: its events again, as reported by the copy, instead of coding it.

When the clean stage flags an article as a duplicate of one already coded (the same
wire story from another outlet), it is not coded again: the original's events are
handed on under the same ids, with the duplicate's article fields (id, URL, outlet,
publication time). The story step (:mod:`streams.extraction.stories`) then counts each
as one more report of the story its original went to — raising ``mentions`` and
``sources`` of that story's event — so a duplicate only adds mentions, never an event.
The book of coded articles is an injected key-value store (a Faust table in the stream,
a dict offline), keyed by the original article's id; duplicates are keyed by that id on
``articles.clean`` so both land on the same partition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson

from schemas import CleanArticle, Event
from streams.kvstore import KeyValueStore


def record_coded(article: CleanArticle, events: Sequence[Event], book: KeyValueStore, *, now: datetime) -> None:
    """Remember what an original article was coded into, for later reports of it."""
    if not events:
        return
    book[article.id] = orjson.dumps({"t": now.timestamp(), "events": [e.model_dump(mode="json") for e in events]})


def reported_again(duplicate: CleanArticle, book: KeyValueStore) -> list[Event]:
    """The original's events as reported by ``duplicate`` (same event ids, its article fields); none if unknown."""
    if duplicate.duplicate_of is None:
        return []
    raw = book.get(duplicate.duplicate_of)
    if raw is None:  # the original had no events, or is older than the window
        return []
    copy = {
        "article_id": duplicate.id,
        "article_url": duplicate.url,
        "outlet": duplicate.source,
        "published_at": duplicate.published_at.isoformat() if duplicate.published_at else None,
        "copy_of": duplicate.duplicate_of,
    }
    return [Event.from_obj({**event, **copy}) for event in orjson.loads(raw)["events"]]
