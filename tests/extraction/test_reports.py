"""A further report of a coded article raises its events' counts instead of coding new events."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import CleanArticle, Event
from streams.extraction.reports import record_coded, report_updates
from tests.alerting.factories import make_event

NOW = datetime(2025, 6, 24, 12, tzinfo=UTC)


def _article(article_id: str, source: str, duplicate_of: str | None = None) -> CleanArticle:
    return CleanArticle(
        id=article_id,
        url=None,
        source=source,
        title=None,
        published_at=None,
        language="en",
        text="Body.",
        paragraphs=["Body."],
        content_hash="0" * 64,
        duplicate_of=duplicate_of,
        input_format="text",
    )


def _coded(book: dict[str, bytes]) -> list[Event]:
    events = [make_event(), make_event("Israeli jets struck again overnight.")]
    record_coded(_article("a1", "Example Wire"), events, book, now=NOW)
    return events


def test_report_from_another_outlet_republishes_the_same_events_with_higher_counts() -> None:
    book: dict[str, bytes] = {}
    originals = _coded(book)
    updates = report_updates(_article("b1", "Other Wire", duplicate_of="a1"), book, now=NOW)
    assert [e.event_id for e in updates] == [e.event_id for e in originals]
    assert {(e.mentions, e.sources) for e in updates} == {(2, 2)}


def test_report_from_the_same_outlet_raises_mentions_not_sources() -> None:
    book: dict[str, bytes] = {}
    _coded(book)
    updates = report_updates(_article("b1", "Example Wire", duplicate_of="a1"), book, now=NOW)
    assert {(e.mentions, e.sources) for e in updates} == {(2, 1)}


def test_counts_keep_growing_with_each_report() -> None:
    book: dict[str, bytes] = {}
    _coded(book)
    report_updates(_article("b1", "Other Wire", duplicate_of="a1"), book, now=NOW)
    third = report_updates(_article("c1", "Third Wire", duplicate_of="a1"), book, now=NOW)
    assert {(e.mentions, e.sources) for e in third} == {(3, 3)}


def test_redelivered_report_changes_nothing() -> None:
    book: dict[str, bytes] = {}
    _coded(book)
    duplicate = _article("b1", "Other Wire", duplicate_of="a1")
    assert report_updates(duplicate, book, now=NOW)
    assert report_updates(duplicate, book, now=NOW) == []


def test_report_of_an_article_without_events_publishes_nothing() -> None:
    assert report_updates(_article("b1", "Other Wire", duplicate_of="unknown"), {}, now=NOW) == []
