"""The line pass after trafilatura: headline/dateline/byline trim, unframed table rows."""

from __future__ import annotations

from streams.cleaning.html import _fold, trim_lines

BODY = "The ministers met in Geneva on Tuesday and agreed to resume the talks next week."


def test_headline_url_byline_and_dateline_at_the_top_go() -> None:
    lines = [
        "https://example.test/news/talks",
        "Talks resume in Geneva",
        "- Print Article",
        "By Anna Smith",
        "November 19, 2019 11:28 AM",
        BODY,
    ]
    assert trim_lines(lines, {_fold("Talks resume in Geneva | Example News"), _fold("Talks resume in Geneva")}) == [
        BODY
    ]


def test_the_trim_stops_at_the_first_body_line_and_keeps_the_last_line() -> None:
    assert trim_lines([BODY, "By Anna Smith"]) == [BODY, "By Anna Smith"]
    assert trim_lines(["By Anna Smith"]) == ["By Anna Smith"]


def test_table_rows_lose_their_borders() -> None:
    assert trim_lines([BODY, "| 1 | Kyle Busch | 5040 |", "|---|---|---|"]) == [BODY, "1\tKyle Busch\t5040"]
