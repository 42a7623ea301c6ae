"""Must-hold 7: whatever text arrives, the stage either cleans it or raises CleaningError."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.articles import CleanArticle, RawArticle
from streams.cleaning.errors import CleaningError
from streams.cleaning.stage import clean

# Pieces that exercise the furniture rules, the headline rule and the paragraph split.
PIECES = [
    "X",
    "Kapat",
    "Accept",
    "We use cookies to improve your experience.",
    "Sitelerimizde çerezler kullanılmaktadır.",
    "Subscribe to our newsletter",
    "Read more: Talks resume",
    "© 2025 Example. All rights reserved.",
    "Advertisement",
    "Facebook Twitter WhatsApp",
    "Putin urges dialogue in phone calls",
    "The minister said the talks would resume next week in Geneva.",
    "Мы используем файлы cookie.",
    "donâ€™t",
    "\u200b",
    "\n",
    "\n\n",
    " ",
    "…",
    "“",
]

texts = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), min_size=1, max_size=25).map("".join),
).filter(lambda t: bool(t.strip()))


def _check(cleaned: CleanArticle) -> None:
    assert cleaned.paragraphs
    assert all(isinstance(p, str) and p.strip() for p in cleaned.paragraphs)
    assert cleaned.text == "\n\n".join(cleaned.paragraphs)
    assert re.fullmatch(r"[0-9a-f]{64}", cleaned.content_hash)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_random_text_is_cleaned_or_refused_with_cleaning_error(text: str) -> None:
    try:
        cleaned = clean(RawArticle(text=text))
    except CleaningError as error:
        assert re.match(r"^C\d{3}: ", str(error))
        return
    _check(cleaned)


@settings(max_examples=50, deadline=None)
@given(texts)
def test_random_html_is_cleaned_or_refused_with_cleaning_error(text: str) -> None:
    try:
        cleaned = clean(RawArticle(html=f"<html><body><p>{text}</p><div>{text}</div></body></html>"))
    except CleaningError as error:
        assert re.match(r"^C\d{3}: ", str(error))
        return
    _check(cleaned)


@settings(max_examples=50, deadline=None)
@given(texts, st.integers(min_value=1, max_value=300))
def test_body_never_exceeds_max_chars(text: str, max_chars: int) -> None:
    try:
        cleaned = clean(RawArticle(text=text), max_chars=max_chars)
    except CleaningError:
        return
    _check(cleaned)
    assert len(cleaned.text) <= max_chars
