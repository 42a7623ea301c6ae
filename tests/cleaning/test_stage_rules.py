"""Stage rules beyond the must-holds: ids, titles, truncation, refusals, language."""

from __future__ import annotations

import hashlib

import pytest

from schemas.articles import RawArticle
from streams.cleaning.errors import CleaningError
from streams.cleaning.stage import MAX_TEXT_CHARS, clean

PARAGRAPH = "The parliament approved the budget on Thursday after a debate that lasted more than twelve hours."


def test_producer_id_wins() -> None:
    assert clean(RawArticle(id="tass-123", url="https://example.test/a", text=PARAGRAPH)).id == "tass-123"


def test_url_id_is_a_prefix_of_the_url_sha256() -> None:
    url = "https://example.test/a"
    expected = "url-" + hashlib.sha256(url.encode()).hexdigest()[:20]
    assert clean(RawArticle(url=url, text=PARAGRAPH)).id == expected


def test_content_id_without_url() -> None:
    cleaned = clean(RawArticle(text=PARAGRAPH))
    assert cleaned.content_hash == hashlib.sha256(PARAGRAPH.encode()).hexdigest()
    assert cleaned.id == "sha-" + cleaned.content_hash[:20]


def test_producer_title_wins_and_its_repeat_leaves_the_body() -> None:
    cleaned = clean(RawArticle(title="Budget passes", text=f"Budget passes\n\n{PARAGRAPH}"))
    assert cleaned.title == "Budget passes"
    assert cleaned.paragraphs == [PARAGRAPH]


def test_first_line_ending_in_a_period_is_body_not_title() -> None:
    cleaned = clean(RawArticle(text=f"The budget passed.\n\n{PARAGRAPH}"))
    assert cleaned.title is None
    assert cleaned.paragraphs == ["The budget passed.", PARAGRAPH]


def test_ui_token_on_the_first_line_is_not_a_title() -> None:
    cleaned = clean(RawArticle(text=f"Close\n\n{PARAGRAPH}"))
    assert cleaned.title is None
    assert cleaned.paragraphs == [PARAGRAPH]


def test_long_body_is_cut_at_a_paragraph_boundary() -> None:
    paragraphs = [f"{PARAGRAPH} ({n})" for n in range(10)]
    cleaned = clean(RawArticle(text="\n\n".join(paragraphs)), max_chars=len(paragraphs[0]) * 3 + 4)
    assert cleaned.paragraphs == paragraphs[:3]
    truncated = [r for r in cleaned.removed if r.reason == "truncated"]
    assert len(truncated) == 1
    assert truncated[0].paragraph_index == 3
    assert truncated[0].text.startswith(paragraphs[3])


def test_single_overlong_paragraph_is_cut_at_a_space() -> None:
    cleaned = clean(RawArticle(text=PARAGRAPH), max_chars=30)
    assert cleaned.text == "The parliament approved the"
    assert cleaned.removed[-1].reason == "truncated"


def test_removal_texts_are_bounded() -> None:
    long_notice = "We use cookies to improve your experience. " + "Details follow here. " * 200
    cleaned = clean(RawArticle(text=f"{PARAGRAPH}\n\n{long_notice}"))
    assert cleaned.removed[0].reason == "cookie_notice"
    assert len(cleaned.removed[0].text) == 2_000


def test_nothing_left_raises_c001() -> None:
    with pytest.raises(CleaningError, match=r"^C001: "):
        clean(RawArticle(text="X\n\nWe use cookies to improve your experience.\n\nAccept"))


def test_oversized_text_raises_c002() -> None:
    with pytest.raises(CleaningError, match=r"^C002: "):
        clean(RawArticle(text="a" * (MAX_TEXT_CHARS + 1)))


def test_detected_language_overrides_a_wrong_claim() -> None:
    assert clean(RawArticle(language="de", text=PARAGRAPH)).language == "en"


def test_claimed_language_is_kept_when_detection_abstains() -> None:
    assert clean(RawArticle(language="de", text="Ja.")).language == "de"


def test_foreign_paragraph_at_the_tail_is_other_language() -> None:
    polish = "Rząd ogłosił w poniedziałek nowe przepisy dotyczące ochrony granic i migracji na wschodzie kraju."
    cleaned = clean(RawArticle(text=f"{PARAGRAPH}\n\n{PARAGRAPH}\n\n{polish}"))
    assert cleaned.paragraphs == [PARAGRAPH, PARAGRAPH]
    assert [r.reason for r in cleaned.removed] == ["other_language"]


def test_foreign_paragraph_inside_the_body_stays() -> None:
    polish = "Rząd ogłosił w poniedziałek nowe przepisy dotyczące ochrony granic i migracji na wschodzie kraju."
    cleaned = clean(RawArticle(text=f"{PARAGRAPH}\n\n{polish}\n\n{PARAGRAPH}"))
    assert cleaned.paragraphs == [PARAGRAPH, polish, PARAGRAPH]


def test_interior_markers_are_removed_but_prose_stays() -> None:
    text = f"{PARAGRAPH}\n\nAdvertisement\n\nRead more: Budget talks collapse\n\n{PARAGRAPH}"
    cleaned = clean(RawArticle(text=text))
    assert cleaned.paragraphs == [PARAGRAPH, PARAGRAPH]
    assert [r.reason for r in cleaned.removed] == ["advertisement", "related_links"]
