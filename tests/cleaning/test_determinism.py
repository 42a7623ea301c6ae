"""Must-hold 5: the stage is a pure function of its input."""

from __future__ import annotations

from schemas.articles import CleanArticle, RawArticle
from streams.cleaning.stage import clean

HTML = """<html><head><title>Talks resume in Geneva</title>
<meta property="article:published_time" content="2025-06-13T08:00:00Z"></head>
<body><article><h1>Talks resume in Geneva</h1>
<p>Negotiators from both sides returned to Geneva on Friday for a third round of talks on a ceasefire.</p>
<p>The United Nations envoy said the atmosphere was constructive, but warned that gaps remained.</p>
<p>Both delegations are expected to stay in the city until at least Wednesday, officials said.</p>
</article></body></html>"""


def test_same_text_input_gives_identical_json(seed_text: str) -> None:
    raw = RawArticle(text=seed_text, url="https://example.test/seed")
    assert clean(raw).to_json() == clean(raw).to_json()


def test_same_html_input_gives_identical_json() -> None:
    raw = RawArticle(html=HTML)
    assert clean(raw).to_json() == clean(raw).to_json()


def test_equal_bodies_have_equal_hashes_and_content_ids() -> None:
    a = clean(RawArticle(text="Same body text, twice over, for the hash test."))
    b = clean(RawArticle(text="Same body text,   twice over, for the hash test.  "))
    assert a.content_hash == b.content_hash
    assert a.id == b.id == "sha-" + a.content_hash[:20]


def test_an_article_made_of_clean_paragraphs_has_the_text_and_hash_cleaning_gives(seed_text: str) -> None:
    cleaned = clean(RawArticle(id="a1", text=seed_text))
    made = CleanArticle.of_paragraphs("a1", cleaned.paragraphs, published_at=None)
    assert (made.text, made.content_hash, made.language) == (cleaned.text, cleaned.content_hash, cleaned.language)
