"""The HTML path carries the page's own metadata: title, author, publication time."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import RawArticle
from streams.cleaning.stage import clean

PAGE = """<!doctype html><html><head>
<title>Talks resume in Geneva | Example Post</title>
<meta property="og:title" content="Talks resume in Geneva">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-06-12T08:30:00Z">
</head><body><nav><a href="/">Home</a></nav><article>
<h1>Talks resume in Geneva</h1>
<p>Negotiators from both governments met in Geneva on Thursday for the first time in four months, diplomats said.</p>
<p>The talks focused on a prisoner exchange and on reopening two border crossings closed since the spring.</p>
<p>A spokesman for the foreign ministry said the atmosphere was constructive
but that no agreement was expected this week.</p>
</article><footer>© 2025 Example Post</footer></body></html>"""


def test_title_author_and_publication_time_come_from_the_page() -> None:
    article = clean(RawArticle(html=PAGE, url="https://example.test/geneva"))
    assert article.title == "Talks resume in Geneva"
    assert article.author == "Jane Doe"
    assert article.published_at == datetime(2025, 6, 12, 8, 30, tzinfo=UTC)


def test_producer_fields_win_over_page_metadata() -> None:
    published = datetime(2025, 6, 13, tzinfo=UTC)
    article = clean(RawArticle(html=PAGE, title="Given title", published_at=published))
    assert (article.title, article.published_at) == ("Given title", published)


def test_text_input_has_no_author() -> None:
    assert clean(RawArticle(text="Negotiators met in Geneva on Thursday, diplomats said.")).author is None
