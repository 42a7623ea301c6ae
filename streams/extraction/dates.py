"""When: resolve the date expressions of a sentence against the article's anchor date.

The anchor is the article's publication date (else the coding date). A bare
weekday ("on Friday", "Friday night", "early Friday") is the most recent such day
on or before the anchor; "last Friday" is strictly before it, "next Friday" after.
Explicit dates without a year take the anchor's year unless that lands more than
``FUTURE_DAYS`` after the anchor, then the year before (a January article talking
about "December 30"). "last week" resolves to seven days back: the schema has no
week precision, so this is approximate (see the report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Span

FUTURE_DAYS = 180
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("month_day", re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?")),
    ("day_month", re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4})\b)?")),
    (
        "weekday",
        re.compile(
            r"\b(?:(last|next|this|early|late)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    ("yesterday", re.compile(r"\b(?:the day before yesterday|yesterday)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("last_week", re.compile(r"\blast week\b", re.I)),
    ("ago", re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|ten) days ago\b", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression and the document tokens it spans."""

    start: int
    end: int
    value: date
    text: str


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _no_year(month: int, day: int, anchor: date) -> date | None:
    value = _safe(anchor.year, month, day)
    if value is not None and (value - anchor).days > FUTURE_DAYS:
        value = _safe(anchor.year - 1, month, day)
    return value


def resolve(kind: str, m: re.Match[str], anchor: date) -> date | None:
    """One matched expression → calendar date (None when it does not make a valid date)."""
    if kind == "iso":
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    if kind in ("month_day", "day_month"):
        month_s, day_s = (m[1], m[2]) if kind == "month_day" else (m[2], m[1])
        month = MONTHS[month_s.lower().rstrip(".")]
        if m[3]:
            return _safe(int(m[3]), month, int(day_s))
        return _no_year(month, int(day_s), anchor)
    if kind == "weekday":
        target = WEEKDAYS.index(m[2].lower())
        back = (anchor.weekday() - target) % 7
        if m[1] == "last" and back == 0:
            back = 7
        if m[1] == "next":
            ahead = (target - anchor.weekday()) % 7 or 7
            return anchor + timedelta(days=ahead)
        return anchor - timedelta(days=back)
    if kind == "yesterday":
        return anchor - timedelta(days=2 if m[0].lower().startswith("the day") else 1)
    if kind == "today":
        return anchor
    if kind == "last_week":
        return anchor - timedelta(days=7)
    if kind == "ago":
        n = NUMBERS.get(m[1].lower()) or int(m[1])
        return anchor - timedelta(days=n)
    return None


def find(span: Span, anchor: date) -> list[DateMention]:
    """Date expressions in a sentence, resolved, in text order, without overlaps."""
    text = span.text
    base = span.start_char
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            value = resolve(kind, m, anchor)
            if value is None:
                continue
            tokens = [t for t in span if t.idx < base + b and t.idx + len(t) > base + a]
            if not tokens:
                continue
            taken.append((a, b))
            out.append(DateMention(tokens[0].i, tokens[-1].i + 1, value, m[0]))
    return sorted(out, key=lambda d: d.start)
