"""Coding articles together (``extract_many``) gives each article the events it gets alone."""

from __future__ import annotations

import pytest

from schemas.articles import CleanArticle
from streams.cleaning.stage import clean
from streams.corpus import sample_articles
from streams.extraction import stage
from streams.extraction.stage import extract, extract_many
from tests.extraction.conftest import CODED_AT, make_article


@pytest.fixture(scope="module")
def articles(warmed: None) -> list[CleanArticle]:
    """The bundled sample articles as the clean stage leaves them, and two short ones."""
    cleaned = [clean(raw) for raw in sample_articles()]
    return [
        *cleaned,
        make_article("Iran fired missiles at Israel on Friday.", article_id="short"),
        make_article("Nothing happened here.", article_id="nothing"),
    ]


@pytest.fixture(scope="module")
def alone(articles: list[CleanArticle]) -> list[list[str]]:
    return [[e.to_json().decode() for e in extract(a, coded_at=CODED_AT)] for a in articles]


@pytest.mark.parametrize("size", [2, 5, 25])
def test_articles_coded_together_get_the_events_they_get_alone(
    articles: list[CleanArticle], alone: list[list[str]], size: int
) -> None:
    together = []
    for start in range(0, len(articles), size):
        batch = extract_many(articles[start : start + size], coded_at=CODED_AT)
        together.extend([e.to_json().decode() for e in events] for events in batch)
    assert together == alone
    assert sum(map(len, alone)) > 20  # the comparison is about real events


def test_without_the_prefilter_articles_coded_together_get_the_events_they_get_alone(
    articles: list[CleanArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage, "PREFILTER", False)
    few = articles[:3]
    alone = [extract(a, coded_at=CODED_AT) for a in few]
    assert extract_many(few, coded_at=CODED_AT) == alone


def test_no_articles_give_no_events() -> None:
    assert extract_many([], coded_at=CODED_AT) == []
