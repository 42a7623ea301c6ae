"""The text path on the labelled text-furniture set, and targeted rules behind it."""

from __future__ import annotations

import json

import pytest

from schemas.articles import RawArticle
from streams.cleaning.bench_text import DEFAULT_SET, TextScore, load_set, render_text_score, score_text_set
from streams.cleaning.furniture import LEXICON_PATH, classify, is_byline
from streams.cleaning.normalise import split_paragraphs
from streams.cleaning.stage import clean

ALL_LANGUAGES = {
    "en", "de", "fr", "es", "it", "pt", "nl", "tr", "ru", "uk", "ar", "pl",
    "hr", "sr", "bs", "sv", "no", "da", "fi", "el", "ro", "hu", "cs", "zh", "ja", "ko",
}  # fmt: skip
BODY = [
    "The parliament approved the budget on Thursday after a debate that lasted more than twelve hours.",
    "Opposition parties said they would challenge several tax measures before the constitutional court.",
]


@pytest.fixture(scope="module")
def score() -> TextScore:
    return score_text_set(DEFAULT_SET)


def test_set_is_large_and_multilingual() -> None:
    records = load_set(DEFAULT_SET)
    assert len(records) >= 60
    furniture_languages = {f["language"] for r in records for f in r["furniture"]}  # type: ignore[attr-defined]
    assert len(furniture_languages - {"any"}) >= 15
    assert sum(bool(r["mentions"]) for r in records) >= 8


def test_furniture_is_removed(score: TextScore) -> None:
    assert score.furniture_removed >= 0.98, [m for m in score.misses if m.kind == "furniture_left"]


def test_body_is_kept(score: TextScore) -> None:
    assert score.body_kept >= 0.99, [m for m in score.misses if m.kind == "body_dropped"]
    assert score.errors == []


def test_score_renders_as_a_table(score: TextScore) -> None:
    table = render_text_score(score)
    assert table.row_count >= 1 + len(score.body_by_language)


def test_lexicon_covers_all_languages_in_every_category() -> None:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    assert set(data["ui_tokens"]) >= ALL_LANGUAGES - {"bs"}
    for reason, spec in data["categories"].items():
        covered = set(spec["whole"]) | set(spec["start"])
        assert covered >= ALL_LANGUAGES - {"bs"}, reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Vi använder cookies för att ge dig en bättre upplevelse. Genom att fortsätta godkänner du det.",
            "cookie_notice",
        ),
        ("Käytämme evästeitä parantaaksemme sivuston toimivuutta.", "cookie_notice"),
        ("Χρησιμοποιούμε cookies για να βελτιώσουμε την εμπειρία σας.", "cookie_notice"),
        ("Weboldalunk sütiket használ a jobb felhasználói élmény érdekében.", "cookie_notice"),
        ("Tento web používá soubory cookies k poskytování služeb.", "cookie_notice"),
        ("Acest site folosește cookie-uri pentru a vă oferi o experiență mai bună.", "cookie_notice"),
        ("Ova web stranica koristi kolačiće kako bi vam pružila bolje iskustvo.", "cookie_notice"),
        ("本网站使用Cookie以改善您的浏览体验。", "cookie_notice"),
        ("当サイトでは、利便性向上のためにCookieを使用しています。", "cookie_notice"),
        ("이 웹사이트는 더 나은 서비스 제공을 위해 쿠키를 사용합니다.", "cookie_notice"),
        ("Hyväksy kaikki", "ui_token"),
        ("Stäng", "ui_token"),
        ("Bezárás", "ui_token"),
        ("閉じる", "ui_token"),
        ("닫기", "ui_token"),
        ("Затвори", "ui_token"),
        ("Prenumerera på vårt nyhetsbrev och få nyheterna varje morgon.", "subscription_prompt"),
        ("この記事は有料会員限定です。", "subscription_prompt"),
        ("Mohlo by vás zajímat", "related_links"),
        ("相关阅读", "related_links"),
        ("Διαβάστε επίσης", "related_links"),
        ("Mainos", "advertisement"),
        ("광고", "advertisement"),
        ("© 2025 Pohjolan Sanomat. Kaikki oikeudet pidätetään.", "legal_footer"),
        ("ⓒ 한빛일보, 무단 전재 및 재배포 금지", "legal_footer"),
        ("Kuva: Heikki Saukkomaa / Lehtikuva", "photo_credit"),
        ("Megosztás Facebook Twitter", "share_bar"),
        ("Partager Facebook Twitter E-mail Copier le lien", "share_bar"),
        ("Home › World › Middle East", "related_links"),
        ("Impressum | Datenschutz | AGB | Kontakt", "legal_footer"),
        ("Rescuers search the rubble on Tuesday. REUTERS/Jane Doe", "photo_credit"),
    ],
)
def test_new_language_and_shape_rules(text: str, reason: str) -> None:
    assert classify(text, at_edge=True) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Facebook and Twitter were fined by the regulator on Monday.",
        "The survey was carried out by Reuters/Ipsos in March.",
        "Five / six / seven people were hurt in the crash, police said.",
    ],
)
def test_prose_with_furniture_words_is_not_classified(text: str) -> None:
    assert classify(text, at_edge=True) is None


@pytest.mark.parametrize(
    "text",
    [
        "By Hannah Clarke",
        "Von Julia Weber, Berlin",
        "MOSCOW, June 13 -",
        "Updated 14:32 GMT",
        "김민수 기자 minsu@example.kr",
    ],
)
def test_bylines_and_datelines(text: str) -> None:
    assert is_byline(text)


def test_byline_between_head_furniture_and_body_is_kept() -> None:
    cleaned = clean(RawArticle(text="\n\n".join(["Menu", "By Anna Smith", "Share this article", *BODY])))
    assert cleaned.paragraphs == ["By Anna Smith", *BODY]


def test_related_headlines_under_a_heading_at_the_tail_go() -> None:
    tail = ["Most read", "Central bank holds rates steady as inflation cools", "Storm warning issued for the coast"]
    cleaned = clean(RawArticle(text="\n\n".join([*BODY, *tail])))
    assert cleaned.paragraphs == BODY


def test_prose_mentioning_advertising_before_an_ad_marker_stays() -> None:
    first = "Advertising spending fell for the second quarter running, an industry survey showed on Thursday."
    cleaned = clean(RawArticle(text="\n\n".join([first, "Advertisement", *BODY])))
    assert cleaned.paragraphs == [first, *BODY]


def test_turkish_body_about_cookie_rules_stays() -> None:
    body = [
        "Kişisel Verileri Koruma Kurulu, açık rıza almadan reklam amaçlı çerez kullanan bir siteye ceza verdi.",
        "Şirketin, çerez politikasını üç ay içinde mevzuata uygun hale getirmesi istendi.",
        "Uzmanlar, benzer uygulamaların Türkiye'deki pek çok sitede sürdüğünü belirtiyor.",
    ]
    cleaned = clean(RawArticle(text="\n\n".join([*body, "Kapat"])))
    assert cleaned.paragraphs == body


def test_long_link_line_is_not_joined_to_the_next_paragraph() -> None:
    text = f"{BODY[0]}\nREAD MORE: Why the port strike could hit supermarket shelves\n{BODY[1]}"
    assert split_paragraphs(text) == [BODY[0], "READ MORE: Why the port strike could hit supermarket shelves", BODY[1]]


def test_fixed_width_wrapped_text_is_still_joined() -> None:
    text = "The minister said on Friday that talks with the delegation from\nGeneva would resume next week."
    assert split_paragraphs(text) == [text.replace("\n", " ")]
