"""The clean stage on random and adversarial HTML and text: a CleanArticle or a CleaningError, in bounded time.

tests/cleaning/test_properties.py covers furniture-shaped text; these add hostile markup (unclosed
and deeply nested tags, scripts, entities, huge attributes), control characters and the wire round trip.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.articles import CleanArticle, RawArticle
from streams.cleaning.errors import CleaningError
from streams.cleaning.stage import clean
from tests.properties.strategies import PROSE, examples, html_documents, nasty_text

texts = st.lists(st.one_of(nasty_text, st.sampled_from([*PROSE, "\n", "\n\n", "\r\n", "\t"])), max_size=30).map("".join)


def _cleaned_or_refused(raw: RawArticle, max_chars: int = 200_000) -> CleanArticle | None:
    try:
        article = clean(raw, max_chars=max_chars)
    except CleaningError as error:
        assert re.match(r"^C\d{3}: ", str(error))
        return None
    assert article.paragraphs and all(p.strip() for p in article.paragraphs)
    assert article.text == "\n\n".join(article.paragraphs)
    assert len(article.text) <= max_chars
    assert CleanArticle.from_json(article.to_json()) == article
    return article


@settings(max_examples=examples(150))
@given(html_documents, st.one_of(st.none(), nasty_text))
def test_adversarial_html_is_cleaned_or_refused(html: str, title: str | None) -> None:
    if html.strip():
        _cleaned_or_refused(RawArticle(html=html, title=title or None, url="https://example.test/x"))


@settings(max_examples=examples(200))
@given(texts, st.integers(min_value=1, max_value=500))
def test_adversarial_text_is_cleaned_or_refused(text: str, max_chars: int) -> None:
    if text.strip():
        _cleaned_or_refused(RawArticle(text=text), max_chars=max_chars)


@settings(max_examples=examples(20))
@given(html_documents)
def test_html_and_text_together_take_the_html_path(html: str) -> None:
    if not html.strip():
        return
    article = _cleaned_or_refused(RawArticle(html=html, text="Ignored text body."))
    assert article is None or article.input_format == "html"
