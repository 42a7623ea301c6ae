"""Shared fixtures: the seed article, and the model loaded once per test session."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.articles import CleanArticle
from schemas.events import Event
from streams.extraction.stage import extract, warm_up

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "seed_article.txt"
FIRST = "Russian President Vladimir Putin has spoken"
LAST = "which started on Friday night."
PUBLISHED = datetime(2025, 6, 13, 18, 0, tzinfo=UTC)
CODED_AT = datetime(2025, 6, 14, 9, 30, tzinfo=UTC)


def make_article(text: str, *, article_id: str = "t", published: datetime | None = PUBLISHED) -> CleanArticle:
    """A CleanArticle from plain text, paragraphs split on blank lines."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "\n\n".join(paragraphs)
    return CleanArticle(
        id=article_id,
        url="https://example.test/seed" if article_id == "seed" else None,
        source="Example News" if article_id == "seed" else None,
        title=None,
        published_at=published,
        language="en",
        text=body,
        paragraphs=paragraphs,
        content_hash=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        input_format="text",
    )


@pytest.fixture(scope="session")
def warmed() -> None:
    """Load spaCy, the dictionaries and the gazetteer once for the whole session."""
    warm_up()


@pytest.fixture(scope="session")
def seed_article() -> CleanArticle:
    """The seed article body: from the Putin paragraph to "…started on Friday night."."""
    raw = SEED.read_text(encoding="utf-8")
    body = raw[raw.index(FIRST) : raw.index(LAST) + len(LAST)]
    return make_article(body, article_id="seed")


@pytest.fixture(scope="session")
def seed_events(warmed: None, seed_article: CleanArticle) -> list[Event]:
    """Events of the seed article, coded once."""
    return extract(seed_article, coded_at=CODED_AT)


@pytest.fixture(scope="session")
def code_text(warmed: None) -> Callable[[str], list[Event]]:
    """Extract events from a short text published on the seed's date."""

    def run(text: str) -> list[Event]:
        return extract(make_article(text), coded_at=CODED_AT)

    return run
