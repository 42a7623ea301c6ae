"""Language detection abstains instead of guessing."""

from __future__ import annotations

from streams.cleaning.language import detect_language, detect_paragraph_language, dominant_language, same_language

ENGLISH = "The parliament approved the budget on Thursday after a debate that lasted more than twelve hours."
TURKISH = "Sitelerimizde reklam ve pazarlama faaliyetlerinin yürütülmesi amaçları ile çerezler kullanılmaktadır."


def test_english_paragraph_is_english() -> None:
    assert detect_paragraph_language(ENGLISH) == "en"


def test_turkish_paragraph_is_turkish() -> None:
    assert detect_paragraph_language(TURKISH) == "tr"


def test_short_text_abstains() -> None:
    assert detect_paragraph_language("Kapat") is None
    assert detect_language("X") is None


def test_legacy_hebrew_code_is_mapped() -> None:
    hebrew = "הממשלה אישרה ביום חמישי את התקציב לאחר דיון שנמשך יותר משתים עשרה שעות בכנסת בירושלים."
    assert detect_language(hebrew) == "he"


def test_longest_language_wins_the_vote() -> None:
    assert dominant_language([ENGLISH, ENGLISH, TURKISH]) == "en"


def test_malay_and_indonesian_count_as_the_same_language() -> None:
    assert same_language("ms", "id")
    assert not same_language("en", "tr")
