"""Must-hold 1: the seed article the project started from."""

from __future__ import annotations

import re

import pytest

from schemas.articles import CleanArticle, RawArticle
from streams.cleaning.stage import clean

HEADLINE = "Putin urges dialogue in phone calls with leaders of Iran and Israel"


@pytest.fixture(scope="module")
def cleaned(seed_text: str) -> CleanArticle:
    return clean(RawArticle(text=seed_text, url="https://example.test/seed"))


def _body_paragraphs(seed_text: str) -> list[str]:
    """The seed's body paragraphs, from "Russian President…" to "Iran's Supreme Leader…"."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", seed_text)]
    start = next(i for i, b in enumerate(blocks) if b.startswith("Russian President Vladimir Putin has spoken"))
    end = next(i for i, b in enumerate(blocks) if b.startswith("Iran's Supreme Leader"))
    # The last body block carries the "X" line after it in the same block.
    return [*blocks[start:end], blocks[end].split("\n")[0]]


def test_text_ends_with_the_last_body_sentence(cleaned: CleanArticle) -> None:
    assert cleaned.text.endswith("which started on Friday night.")


def test_close_button_is_removed_as_ui_token(cleaned: CleanArticle) -> None:
    assert [r.reason for r in cleaned.removed if r.text == "X"] == ["ui_token"]


def test_first_turkish_cookie_paragraph_is_a_cookie_notice(cleaned: CleanArticle) -> None:
    first = next(r for r in cleaned.removed if r.text.startswith("Sitelerimizde reklam"))
    assert first.reason == "cookie_notice"


def test_all_turkish_paragraphs_are_removed_with_a_cookie_or_language_reason(cleaned: CleanArticle) -> None:
    turkish = [r for r in cleaned.removed if r.text != "X"]
    assert len(turkish) == 4
    assert {r.reason for r in turkish} <= {"cookie_notice", "other_language"}
    assert "çerez" not in cleaned.text


def test_body_paragraphs_are_kept_verbatim(cleaned: CleanArticle, seed_text: str) -> None:
    assert cleaned.paragraphs == _body_paragraphs(seed_text)


def test_quotes_and_apostrophes_are_preserved(cleaned: CleanArticle) -> None:
    assert '"to prevent further escalation."' in cleaned.text
    assert "Russia's readiness" in cleaned.text


def test_language_is_english(cleaned: CleanArticle) -> None:
    assert cleaned.language == "en"


def test_headline_becomes_title_and_leaves_the_body(cleaned: CleanArticle) -> None:
    assert cleaned.title == HEADLINE
    assert HEADLINE not in cleaned.paragraphs


def test_removals_point_at_their_input_paragraphs(cleaned: CleanArticle) -> None:
    # Headline is paragraph 0, then ten body paragraphs, then "X" at 11.
    assert [r.paragraph_index for r in cleaned.removed] == [11, 12, 13, 14, 15]


def test_id_is_derived_from_the_url(cleaned: CleanArticle) -> None:
    assert re.fullmatch(r"url-[0-9a-f]{20}", cleaned.id)
    assert cleaned.input_format == "text"
    assert cleaned.duplicate_of is None
