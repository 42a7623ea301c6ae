"""When: resolve the date expressions of a sentence against the article's anchor date.

The anchor is the article's publication date in the outlet's own offset (the local
date of ``published_at``), else the coding date. Rules, checked by
``tests/extraction/data/dated_sentences.jsonl`` (``python -m streams.extraction.evaluate_dates``):

- tense of the clause that governs an expression (:func:`tense`): "future" with
  will/'ll/shall/would or another modal, a to-infinitive ("is due to resume", "plans
  to hold", "is to visit"), schedule verbs (scheduled/set/due/expected), present
  progressive ("are meeting") or a present-tense non-reporting verb ("the summit
  opens", "the deadline is Monday"); "past" after "since", with a past-tense verb or
  a perfect; otherwise "neutral";
- bare weekday ("on Friday", "Friday night", "early Friday"): in a future clause the
  next such day on or after the anchor, else the most recent on or before it (wire
  style names the weekday even for the publication day); "last Friday" is strictly
  before the anchor, "next Friday" strictly after, "this Friday" on or after;
- yesterday / the day before yesterday / "N days ago" / "a week ago" count back; today,
  tonight, this morning…, overnight are the anchor; "last night" is the day before;
- week and month expressions resolve to the first day of the period (ISO weeks start on
  Monday): "last week" is the Monday of the previous week, "earlier/later this week" the
  Monday of the anchor's week, "next week" the following Monday, "earlier this month"
  the 1st, "last/next month" the 1st of that month. Their ``precision`` is "week" /
  "month"; the event schema has only day/article, so the stage still says "day";
- explicit dates with a year are taken as written; without a year, a past clause takes
  the latest occurrence on or before the anchor, a future clause the earliest on or
  after, a neutral one the nearer of the two (a January article's "December 30");
- numeric d/m/y or m/d/y dates resolve when one field is over 12, else to the reading
  nearer the anchor (day first on a tie).

:func:`primary` picks the sentence's date: the first expression that does not hang on
a reporting verb ("said on Friday that the strike hit on Wednesday" → Wednesday), else
the first. Work is bounded: at most ``MAX_CHARS`` characters of a sentence are
scanned, by linear patterns, and at most ``MAX_MENTIONS`` expressions are kept.

Without a dependency parse (the actor/place/date layer runs no parser), the tense
comes from part-of-speech tags alone (:func:`tense_from_tags`): the verb group
nearest the expression in its clause (left of it, else right of a fronted "On
Friday,") is read with the same rules, by word forms instead of lemmas. Without tags either (the layer runs only the
tokenizer and NER), :func:`tense_from_words` reads the expression's clause by word forms
alone: future markers (will/'ll/shall, "is/are to", "plans/set to", scheduled, next,
upcoming, tomorrow, a modal, "is/are …ing"), else past forms, else neutral.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Span, Token

MAX_CHARS = 1_000
MAX_MENTIONS = 12
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
NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
REPORTING = {
    "say",
    "tell",
    "report",
    "announce",
    "confirm",
    "state",
    "add",
    "claim",
    "deny",
    "warn",
    "note",
    "write",
    "accuse",
    "insist",
    "quote",
}
FUTURE_LEMMAS = {"schedule", "set", "due", "expect", "plan", "slate"}
FUTURE_AUX = {"will", "shall", "would", "can", "could", "may", "might", "must", "should", "wo"}
VERB_TAGS = {"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"}
GROUP_TAGS = VERB_TAGS | {"RB", "TO"}
CLAUSE_BREAK_TAGS = {",", ":", "-LRB-", "-RRB-", "``", "''", "."}
SCAN_TOKENS = 12
IRREGULAR = {"say": {"said"}, "tell": {"told"}, "write": {"wrote", "written"}, "set": {"set"}}
NAME_BEFORE = {"good", "black", "bloody", "super", "cyber", "ash", "palm", "easter"}

Tense = Literal["past", "future", "neutral"]
Precision = Literal["day", "week", "month"]

_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_EXPLICIT_AFTER = r"(?!,?\s+(?:the\s+)?(?:\d{1,2}" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r"|" + _MONTH + r"\s+\d))"
_N = r"(\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten)"
# Every pattern below needs one of these: sentences without any skip all eleven patterns.
_TRIGGER = re.compile(r"\d|day|ago|week|month|night|morning|afternoon|evening", re.I)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("numeric", re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b")),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})" + _ORD + r"\b(?:,?\s+(\d{4})\b)?")),
    ("day_month", re.compile(r"\b(\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4})\b)?")),
    (
        "weekday",
        re.compile(
            r"\b(?:(last|next|this|early|late)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
            + _EXPLICIT_AFTER
        ),
    ),
    ("yesterday", re.compile(r"\b(?:the day before yesterday|yesterday)\b", re.I)),
    ("last_night", re.compile(r"\blast night\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|overnight|this (?:morning|afternoon|evening))\b", re.I)),
    ("ago", re.compile(r"\b" + _N + r" (days?|weeks?) ago\b", re.I)),
    ("week", re.compile(r"\b(last|next|(?:earlier |later )?this) week\b", re.I)),
    ("month", re.compile(r"\b(last|next|(?:earlier |later )?this) month\b", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression and the document tokens it spans."""

    start: int
    end: int
    value: date
    text: str
    precision: Precision = "day"
    reporting: bool = False
    """True when the expression hangs on a reporting verb ("said on Friday")."""


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _path(tok: Token) -> list[Token]:
    """``tok`` and its heads up to the verb (or the root) that governs it."""
    path = [tok]
    for _ in range(12):
        node = path[-1]
        if (node.pos_ in ("VERB", "AUX") and node is not tok) or node.head.i == node.i:
            break
        path.append(node.head)
    return path


def _clause_verb(tok: Token) -> Token:
    """The verb (or the root) that governs ``tok``."""
    return _path(tok)[-1]


def tense(tok: Token) -> Tense:
    """Past, future or neutral: the time of the clause that governs ``tok``."""
    path = _path(tok)
    verb = path[-1]
    if any(t.lower_ == "since" for t in path):
        return "past"
    if any(t.lemma_.lower() in FUTURE_LEMMAS for t in path):
        return "future"
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lemmas = {c.lemma_.lower() for c in aux}
    if lemmas & FUTURE_AUX or any(c.lower_ == "'ll" for c in aux):
        return "future"
    if verb.lemma_.lower() in FUTURE_LEMMAS or ("to" in lemmas and verb.tag_ == "VB"):
        return "future"
    if "going" in {c.lower_ for c in aux}:
        return "future"
    if "have" in lemmas or verb.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in aux):
        return "past"
    if verb.tag_ == "VBG" and any(c.tag_ in ("VBZ", "VBP") for c in aux):
        return "future"
    on_noun = any(t.pos_ in ("NOUN", "PROPN") for t in path[1:-1])  # "the protest on Saturday is …"
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() not in REPORTING | {"have"} and not on_noun:
        return "future"
    return "neutral"


def _inflections(lemma: str) -> set[str]:
    """Regular English forms of a verb ("plan" → plans, planned, planning) plus listed irregulars."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", *IRREGULAR.get(lemma, ())}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # planned, slotted
    return forms


REPORTING_FORMS = {f for lemma in REPORTING for f in _inflections(lemma)}
FUTURE_FORMS = {f for lemma in FUTURE_LEMMAS for f in _inflections(lemma)}
HAVE_FORMS = {"have", "has", "had", "'ve", "having"}


def _verb_group(span: Span, start: int, end: int) -> tuple[list[Token], bool]:
    """Without a parse: the verb group governing the expression at document tokens ``start:end``.

    The nearest verb left of the expression within its clause (commas, colons and quotes end
    a clause), else — for a fronted expression ("On Friday, leaders will meet") — the first
    one right of it. Returns the group (modals, auxiliaries, adverbs, "to" and the verb) and
    whether it lies right of the expression.
    """
    doc = span.doc
    found = -1
    after = False
    for i in range(start - 1, max(span.start, start - SCAN_TOKENS) - 1, -1):
        tag = doc[i].tag_
        if tag in CLAUSE_BREAK_TAGS:
            break
        if tag in VERB_TAGS:
            found = i
            break
    if found < 0:
        seen_word = False
        for i in range(end, min(span.end, end + SCAN_TOKENS)):
            tag = doc[i].tag_
            if tag in CLAUSE_BREAK_TAGS:
                if seen_word:
                    break
                continue
            seen_word = True
            if tag in VERB_TAGS:
                found, after = i, True
                break
    if found < 0:
        return [], False
    lo = found
    while lo - 1 >= span.start and lo - 1 >= found - 5 and doc[lo - 1].tag_ in GROUP_TAGS:
        lo -= 1
    hi = found
    limit = span.end if after else start
    while hi + 1 < limit and hi + 1 <= found + 5 and doc[hi + 1].tag_ in GROUP_TAGS:
        hi += 1
    return list(doc[lo : hi + 1]), after


def _main_verb(group: list[Token]) -> Token | None:
    verbs = [t for t in group if t.tag_ in VERB_TAGS and t.tag_ != "MD"]
    return verbs[-1] if verbs else None


def tense_from_tags(span: Span, start: int, end: int) -> Tense:
    """:func:`tense` for a sentence without a dependency parse (tags and word forms only)."""
    doc = span.doc
    if start > span.start and doc[start - 1].lower_ == "since":
        return "past"
    group, after = _verb_group(span, start, end)
    if not group:
        return "neutral"
    words = [t.lower_ for t in group]
    tags = [t.tag_ for t in group]
    if any(w in FUTURE_FORMS for w in words):
        return "future"
    if any(tag == "MD" and (w in FUTURE_AUX or w == "'ll") for w, tag in zip(words, tags, strict=True)):
        return "future"
    if "going" in words and "to" in words:
        return "future"
    if any(tag == "TO" for tag in tags) and tags[-1] == "VB":
        return "future"
    if any(w in HAVE_FORMS for w in words[:-1]) or any(tag in ("VBD", "VBN") for tag in tags):
        return "past"
    if tags[-1] == "VBG" and any(tag in ("VBZ", "VBP") for tag in tags[:-1]):
        return "future"
    verb = _main_verb(group)
    present = verb is not None and verb.tag_ in ("VBZ", "VBP") and not after
    if present and verb is not None and verb.lower_ not in REPORTING_FORMS | HAVE_FORMS:
        return "future"
    return "neutral"


# --- without tags: word forms only (the actor/place/date layer runs only the tokenizer and NER) ---

CLAUSE_BREAK_WORDS = {",", ";", ":", "(", ")", "[", "]", '"', "“", "”", "—", "–", "--", "``", "''", ".", "!", "?"}
FUTURE_WORDS = {"will", "'ll", "shall", "wo", "would", "upcoming", "tomorrow", "next", "scheduled", "slated", "due"}
FUTURE_WORDS |= {"expected", "expects", "expect", "plans", "planned", "planning", "plan"}
FUTURE_BEFORE_TO = {"set", "going", "is", "are", "am", "'s", "'re", "was", "were"}  # "is to visit", "set to sign"
MODALS = {"can", "could", "may", "might", "must", "should"}
PRESENT_BE = {"is", "are", "am", "'s", "'re"}
PAST_WORDS = {"was", "were", "had", "did", "has", "have", "'ve", "since", "ago", "said", "told", "wrote", "met"}
PAST_WORDS |= {"struck", "hit", "began", "came", "went", "took", "made", "held", "led", "fled", "won", "lost"}
PAST_WORDS |= {"fell", "rose", "left", "sent", "gave", "saw", "spoke", "broke", "fought", "brought", "found"}
PAST_WORDS |= {"became", "ran", "shot", "stood", "sought", "kept", "paid", "sold", "built", "threw", "drew"}
NOT_PAST_ED = {"need", "speed", "seed", "feed", "bleed", "breed", "indeed", "red", "bed", "shed", "creed"}
NOT_PAST_ED |= FUTURE_WORDS


def _clause_words(span: Span, start: int, end: int) -> tuple[list[str], bool]:
    """Without tags: the lower-case words of the expression's clause left of it (nearest last);
    for a fronted expression ("On Friday, leaders will meet") the words right of it instead.
    Returns the words and whether they lie right of the expression."""
    doc = span.doc
    left: list[str] = []
    for i in range(start - 1, max(span.start, start - SCAN_TOKENS) - 1, -1):
        word = doc[i].lower_
        if word in CLAUSE_BREAK_WORDS:
            break
        left.append(word)
    left.reverse()
    if any(w not in FRONTING_WORDS for w in left):
        return left, False
    right: list[str] = []
    for i in range(end, min(span.end, end + SCAN_TOKENS)):
        word = doc[i].lower_
        if word in CLAUSE_BREAK_WORDS:
            if right:
                break
            continue
        right.append(word)
    return right, True


FRONTING_WORDS = {"on", "early", "late", "by", "from", "until", "till", "before", "after", "last", "this", "and"}


def tense_from_words(span: Span, start: int, end: int) -> Tense:
    """:func:`tense` for a sentence with neither parse nor tags: word forms of the clause.

    "future" with will/'ll/shall/would, "is/are to", "set/going to", plans/planned,
    scheduled/slated/due/expected, next/upcoming/tomorrow, a modal, or a present "is/are
    …ing"; "past" after "since" or with a past or perfect form (was/were/had/has, an -ed
    word, a common irregular past); "future" with a present "is/are" ("the deadline is
    Monday"); otherwise "neutral" (a bare weekday then resolves as in
    the past: the most recent one on or before the anchor)."""
    doc = span.doc
    if start > span.start and doc[start - 1].lower_ == "since":
        return "past"
    words, _ = _clause_words(span, start, end)
    for k, w in enumerate(words):
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if w in FUTURE_WORDS or (w in MODALS and w != "may"):
            return "future"
        if w in FUTURE_BEFORE_TO and nxt == "to":
            return "future"
        if w in PRESENT_BE and nxt.endswith("ing") and len(nxt) > 4:
            return "future"
    if any(w in PAST_WORDS or (len(w) > 4 and w.endswith("ed") and w not in NOT_PAST_ED) for w in words):
        return "past"
    if any(w in PRESENT_BE for w in words):  # "the deadline is Monday"
        return "future"
    return "neutral"


def _reporting_from_words(span: Span, start: int, end: int) -> bool:
    """Without tags: a reporting verb form ("said", "told") is the expression's nearest verb-like word."""
    words, after = _clause_words(span, start, end)
    near = words[:4] if after else words[-4:]
    return any(w in REPORTING_FORMS for w in near)


def _reporting_from_tags(span: Span, start: int, end: int) -> bool:
    verb = _main_verb(_verb_group(span, start, end)[0])
    return verb is not None and verb.lower_ in REPORTING_FORMS


def _no_year(month: int, day: int, anchor: date, when: Tense) -> date | None:
    before = next((v for y in (anchor.year, anchor.year - 1) if (v := _safe(y, month, day)) and v <= anchor), None)
    after = next((v for y in (anchor.year, anchor.year + 1) if (v := _safe(y, month, day)) and v >= anchor), None)
    if when == "past" or after is None:
        return before
    if when == "future" or before is None:
        return after
    return before if (anchor - before) <= (after - anchor) else after


def _numeric(a: int, b: int, year: int, anchor: date) -> date | None:
    readings = [v for v in (_safe(year, b, a), _safe(year, a, b)) if v is not None]  # day first, then month first
    return min(readings, key=lambda v: abs((v - anchor).days)) if readings else None


def _monday(anchor: date, weeks: int) -> date:
    return anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)


def _first(anchor: date, months: int) -> date:
    y, m = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    return date(y, m + 1, 1)


def resolve(kind: str, m: re.Match[str], anchor: date, when: Tense = "neutral") -> date | None:
    """One matched expression → calendar date (None when it does not make a valid date)."""
    if kind == "iso":
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    if kind == "numeric":
        return _numeric(int(m[1]), int(m[3]), int(m[4]), anchor)
    if kind in ("month_day", "day_month"):
        month_s, day_s = (m[1], m[2]) if kind == "month_day" else (m[2], m[1])
        month = MONTHS[month_s.lower().rstrip(".")]
        if m[3]:
            return _safe(int(m[3]), month, int(day_s))
        return _no_year(month, int(day_s), anchor, when)
    if kind == "weekday":
        target = WEEKDAYS.index(m[2].lower())
        back = (anchor.weekday() - target) % 7
        ahead = (target - anchor.weekday()) % 7
        mod = (m[1] or "").lower()
        if mod == "last":
            return anchor - timedelta(days=back or 7)
        if mod == "next":
            return anchor + timedelta(days=ahead or 7)
        if mod == "this" or when == "future":
            return anchor + timedelta(days=ahead)
        return anchor - timedelta(days=back)
    if kind == "yesterday":
        return anchor - timedelta(days=2 if m[0].lower().startswith("the day") else 1)
    if kind == "last_night":
        return anchor - timedelta(days=1)
    if kind == "today":
        return anchor
    if kind == "ago":
        n = NUMBERS.get(m[1].lower()) or int(m[1])
        return anchor - timedelta(days=n * (7 if m[2].lower().startswith("week") else 1))
    if kind in ("week", "month"):
        mod = m[1].lower()
        step = -1 if mod == "last" else 1 if mod == "next" else 0
        return _monday(anchor, step) if kind == "week" else _first(anchor, step)
    return None


def _is_name(text: str, a: int, b: int) -> bool:
    """A weekday inside a name: "Sunday Times", "Good Friday"."""
    after = text[b : b + 30].split(maxsplit=1)
    before = text[max(0, a - 12) : a].split()
    nxt = after[0].strip(".,;:'\"") if after and text[b : b + 1] == " " else ""
    if nxt[:1].isupper() and nxt.lower().rstrip(".") not in MONTHS and nxt != "I":
        return True
    return bool(before) and before[-1].lower() in NAME_BEFORE and before[-1][:1].isupper()


def may_mention(text: str) -> bool:
    """False when ``text`` cannot hold a date expression (a cheap check before :func:`find`)."""
    return _TRIGGER.search(text[:MAX_CHARS]) is not None


def find(span: Span, anchor: date, *, text: str | None = None) -> list[DateMention]:
    """Date expressions in a sentence, resolved, in text order, without overlaps (``text``: the
    span's text when the caller has it already)."""
    text = (span.text if text is None else text)[:MAX_CHARS]
    if _TRIGGER.search(text) is None:
        return []
    base = span.start_char
    parsed = span.doc.has_annotation("DEP")
    tagged = parsed or span.doc.has_annotation("TAG")
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if len(out) >= MAX_MENTIONS or any(a < y and x < b for x, y in taken):
                continue
            if kind == "weekday" and _is_name(text, m.start(2), m.end(2)):
                continue
            covering = span.doc.char_span(base + a, base + b, alignment_mode="expand")
            if covering is None:
                continue
            tokens = [t for t in covering if span.start <= t.i < span.end]
            if not tokens:
                continue
            head = tokens[-1] if kind in ("weekday", "month_day") else tokens[0]
            start, end = tokens[0].i, tokens[-1].i + 1
            if parsed:
                when = tense(head)
            else:
                when = tense_from_tags(span, start, end) if tagged else tense_from_words(span, start, end)
            value = resolve(kind, m, anchor, when)
            if value is None:
                continue
            taken.append((a, b))
            if parsed:
                reporting = _clause_verb(head).lemma_.lower() in REPORTING
            elif tagged:
                reporting = _reporting_from_tags(span, start, end)
            else:
                reporting = _reporting_from_words(span, start, end)
            precision: Precision = "week" if kind == "week" else "month" if kind == "month" else "day"
            if kind == "ago" and m[2].lower().startswith("week"):
                precision = "day"
            out.append(
                DateMention(
                    tokens[0].i,
                    tokens[-1].i + 1,
                    value,
                    m[0],
                    precision,
                    reporting,
                )
            )
    return sorted(out, key=lambda d: d.start)


def primary(mentions: list[DateMention]) -> DateMention | None:
    """The sentence's main date: the first not hanging on a reporting verb, else the first."""
    return next((d for d in mentions if not d.reporting), mentions[0] if mentions else None)


def sentence_date(span: Span, anchor: date) -> tuple[date, Literal["day", "article"]]:
    """The date the stage gives an event of this sentence that owns no date expression itself."""
    main = primary(find(span, anchor))
    return (main.value, "day") if main else (anchor, "article")
