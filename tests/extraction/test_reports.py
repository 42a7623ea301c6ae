"""A duplicate article is not coded again: its original's events come back as reports by the duplicate."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import CleanArticle, Event
from streams.extraction.reports import record_coded, reported_again
from streams.extraction.stories import StoryRules, continue_story
from tests.alerting.factories import make_event

NOW = datetime(2025, 6, 24, 12, tzinfo=UTC)


def _article(article_id: str, source: str, duplicate_of: str | None = None) -> CleanArticle:
    return CleanArticle(
        id=article_id,
        url=f"https://{article_id}.example/story",
        source=source,
        title=None,
        published_at=datetime(2025, 6, 24, 10, tzinfo=UTC),
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


def test_duplicate_reports_the_originals_events_under_the_same_ids_with_its_own_article() -> None:
    book: dict[str, bytes] = {}
    originals = _coded(book)
    reports = reported_again(_article("b1", "Other Wire", duplicate_of="a1"), book)
    assert [e.event_id for e in reports] == [e.event_id for e in originals]
    assert {(e.article_id, e.outlet, e.article_url) for e in reports} == {
        ("b1", "Other Wire", "https://b1.example/story")
    }


def test_duplicate_from_another_outlet_raises_mentions_and_sources_of_the_original_events() -> None:
    reports: dict[str, bytes] = {}
    stories: dict[str, bytes] = {}
    originals = _coded(reports)
    for event in originals:
        continue_story(event, stories, rules=StoryRules(), now=NOW)
    copies = reported_again(_article("b1", "Other Wire", duplicate_of="a1"), reports)
    updates = [continue_story(e, stories, rules=StoryRules(), now=NOW).event for e in copies]
    assert [e.event_id for e in updates] == [e.event_id for e in originals]
    assert {(e.mentions, e.sources, e.article_id) for e in updates} == {(2, 2, "b1")}  # the update names its report


def test_report_of_an_article_without_events_publishes_nothing() -> None:
    assert reported_again(_article("b1", "Other Wire", duplicate_of="unknown"), {}) == []


def test_an_original_is_not_a_report() -> None:
    book: dict[str, bytes] = {}
    _coded(book)
    assert reported_again(_article("a1", "Example Wire"), book) == []
