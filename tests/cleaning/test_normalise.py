"""Must-hold 4: unicode repair and normalisation, and the paragraph split."""

from __future__ import annotations

import unicodedata

from schemas.articles import RawArticle
from streams.cleaning.normalise import normalise_text, split_paragraphs
from streams.cleaning.stage import clean


def test_mojibake_is_repaired() -> None:
    assert normalise_text("I donâ€™t know.") == "I don’t know."


def test_curly_quotes_are_kept() -> None:
    assert normalise_text("“Never,” she said. ‘Not once.’") == "“Never,” she said. ‘Not once.’"


def test_output_is_nfc() -> None:
    decomposed = "Cafe\u0301 in Zu\u0308rich."
    assert normalise_text(decomposed) == unicodedata.normalize("NFC", decomposed) == "Café in Zürich."


def test_zero_width_and_control_characters_are_stripped() -> None:
    assert normalise_text("Te\u200bh\u00adran\u0007 said\ufeff.") == "Tehran said."


def test_zero_width_non_joiner_inside_a_word_is_kept() -> None:
    persian = "می\u200cخواهم"
    assert normalise_text(persian) == persian


def test_whitespace_inside_lines_is_collapsed_and_blank_lines_kept() -> None:
    assert normalise_text("  One\u00a0 \t two  \r\n\r\n\r\n\r\nthree ") == "One two\n\nthree"


def test_blank_line_separates_paragraphs() -> None:
    assert split_paragraphs("First one.\n\nSecond one.") == ["First one.", "Second one."]


def test_wrapped_lines_are_joined() -> None:
    text = "The minister said on Friday that the negotiations in Geneva would\nresume next week."
    assert split_paragraphs(text) == [
        "The minister said on Friday that the negotiations in Geneva would resume next week."
    ]


def test_short_unpunctuated_line_stays_a_block_of_its_own() -> None:
    assert split_paragraphs("It ended on Friday night.\nX\nSitelerimizde çerez var.") == [
        "It ended on Friday night.",
        "X",
        "Sitelerimizde çerez var.",
    ]


def test_html_lines_are_never_joined() -> None:
    assert split_paragraphs("a first line\nsecond", join_wrapped_lines=False) == ["a first line", "second"]


def test_stage_repairs_mojibake_end_to_end() -> None:
    cleaned = clean(RawArticle(text="The spokesman said they donâ€™t expect a deal before the summit in June."))
    assert cleaned.text == "The spokesman said they don’t expect a deal before the summit in June."
