"""Must-hold 2: cookie notices go, body paragraphs about cookies stay."""

from __future__ import annotations

from schemas.articles import RawArticle
from streams.cleaning.stage import clean

BODY = [
    "Brussels tightened its online privacy enforcement on Monday, ordering five large platforms to change "
    "how they ask users for consent within three months.",
    "The European Commission said the companies had ignored earlier warnings and could face fines of up to "
    "six percent of their global turnover if they failed to comply.",
]
EU_COOKIE_RULES = "The EU's new rules on cookies took effect on Monday, regulators said."
ENGLISH_NOTICE = (
    "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies. Accept"
)


def _article(*paragraphs: str) -> RawArticle:
    return RawArticle(text="\n\n".join(paragraphs))


def test_english_cookie_notice_at_the_tail_is_removed() -> None:
    cleaned = clean(_article(*BODY, ENGLISH_NOTICE))
    assert cleaned.paragraphs == BODY
    assert [r.reason for r in cleaned.removed] == ["cookie_notice"]


def test_cookie_notice_with_separate_accept_button_is_removed() -> None:
    notice = ENGLISH_NOTICE.removesuffix(" Accept")
    cleaned = clean(_article(*BODY, notice, "Accept"))
    assert cleaned.paragraphs == BODY
    assert [r.reason for r in cleaned.removed] == ["cookie_notice", "ui_token"]


def test_body_paragraph_about_eu_cookie_rules_is_kept_at_the_tail() -> None:
    cleaned = clean(_article(*BODY, EU_COOKIE_RULES))
    assert cleaned.paragraphs == [*BODY, EU_COOKIE_RULES]
    assert cleaned.removed == []


def test_body_paragraph_about_eu_cookie_rules_is_kept_in_the_middle() -> None:
    cleaned = clean(_article(BODY[0], EU_COOKIE_RULES, BODY[1]))
    assert cleaned.paragraphs == [BODY[0], EU_COOKIE_RULES, BODY[1]]


def test_body_paragraph_about_cookies_survives_a_following_cookie_notice() -> None:
    cleaned = clean(_article(*BODY, EU_COOKIE_RULES, ENGLISH_NOTICE))
    assert cleaned.paragraphs == [*BODY, EU_COOKIE_RULES]


def test_cookie_notice_at_the_head_is_removed() -> None:
    cleaned = clean(_article("X", ENGLISH_NOTICE, *BODY))
    assert cleaned.paragraphs == BODY
    assert [r.reason for r in cleaned.removed] == ["ui_token", "cookie_notice"]
