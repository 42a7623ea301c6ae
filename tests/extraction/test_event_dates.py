"""Event dates in coded events: the sentence's own date, its precision, else the article's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streams.extraction.stage import extract
from tests.extraction.conftest import make_article

PUBLISHED = datetime(2025, 6, 13, 18, tzinfo=UTC)  # a Friday
CODED_AT = datetime(2025, 6, 14, tzinfo=UTC)


def _dates(text: str) -> list[tuple[date, str]]:
    return [(e.date, e.date_precision) for e in extract(make_article(text, published=PUBLISHED), coded_at=CODED_AT)]


def test_a_weekday_dates_the_event_to_the_day() -> None:
    assert _dates("Russia condemned Israel on Wednesday.") == [(date(2025, 6, 11), "day")]


def test_last_week_is_a_week_starting_on_its_monday() -> None:
    assert _dates("Russia condemned Israel last week.") == [(date(2025, 6, 2), "week")]


def test_earlier_this_month_is_a_month() -> None:
    assert _dates("Russia condemned Israel earlier this month.") == [(date(2025, 6, 1), "month")]


def test_an_undated_sentence_takes_the_article_date() -> None:
    assert _dates("Russia condemned Israel.") == [(date(2025, 6, 13), "article")]
