"""Main text and metadata from an HTML page.

The page is parsed once (trafilatura's own loader) and that tree serves everything:

- title, publication time and author come from meta tags read with a few XPaths
  (htmldate only when no meta tag states the time), not from trafilatura's metadata
  pass, which costs about as much as the extraction itself;
- trafilatura extracts the body in ``fast`` mode (no readability/jusText comparison)
  with comments off and tables on; see ``EXTRACTION_OPTIONS`` for the measured choice;
- a cheap line pass (``trim_lines``) drops the headline, dateline and byline lines
  trafilatura keeps at the top and unframes table rows; the stage's furniture
  classifier then runs on the paragraphs.

Measured on the ScrapingHub benchmark (../shared/eval/aeb, ``python -m
streams.cleaning.bench_html``): see the module docstring of ``bench_html`` for the
method and the commit message for the figures.

When trafilatura finds nothing, a plain pass over ``<p>`` elements keeps the article
from being lost.

Determinism: htmldate's date search is bounded by "today" unless told otherwise, so
``max_date`` is pinned; nothing here reads the clock or the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

import htmldate
import lxml.etree
import lxml.html
import trafilatura
from trafilatura.utils import load_html

from streams.cleaning.errors import INPUT_TOO_LARGE, CleaningError

MAX_HTML_CHARS: Final = 4_000_000
"""Larger pages are refused (the agent already refuses messages over 2 MB)."""

EXTRACTION_OPTIONS: Final[dict[str, Any]] = {
    # fast: skips the readability/jusText comparison. On the benchmark that comparison
    # costs ~10 ms a page and, with comments off, buys nothing (F1 0.962 fast vs 0.960).
    "fast": True,
    # Recall focus: in fast mode the precision focus loses recall (F1 0.946) and the
    # balanced one keeps more boilerplate; the furniture pass after us trims the edges.
    "favor_precision": False,
    "favor_recall": True,
    # Comments are not article prose; tables are (0.958 → 0.971 recall with them).
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "deduplicate": False,
    "with_metadata": False,
}
PRECISION_OPTIONS: Final[dict[str, Any]] = {**EXTRACTION_OPTIONS, "favor_recall": False, "favor_precision": True}
"""The second, precision-focused extraction of a suspicious page (see ``_precision_recheck``)."""
# A recall extraction is suspicious when at least this share of its characters lies in
# lines that do not end like prose (link lists, labels, teasers, widget text), but less
# than the upper bound: a text mostly made of such lines is list-shaped (a schedule, a
# product list) and the precision focus cuts the list itself ...
RECHECK_MIN_UNPUNCTUATED_SHARE: Final = 0.15
RECHECK_MAX_UNPUNCTUATED_SHARE: Final = 0.40
# ... and the precision extraction replaces it when it keeps at least this share of the
# text (shorter, but not a different, smaller block of the page) and is not longer.
RECHECK_MIN_KEPT_SHARE: Final = 0.5

# Pinned upper bound for htmldate instead of its default "today": same page, same
# answer, whatever the day. Far enough ahead never to reject a real date.
_MAX_DATE: Final = "2099-12-31"

# Meta tags that state a full publication timestamp, in order of trust.
_PUBLISHED_XPATH: Final = (
    "//meta[@property='article:published_time']/@content"
    " | //meta[@name='article:published_time']/@content"
    " | //meta[@itemprop='datePublished']/@content"
    " | //meta[@property='og:published_time']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)
_TITLE_XPATH: Final = (
    "//meta[@property='og:title']/@content"
    " | //meta[@name='twitter:title']/@content"
    " | //meta[@property='twitter:title']/@content"
)
_AUTHOR_XPATH: Final = "//meta[@name='author']/@content | //meta[@property='article:author']/@content"
_BOILERPLATE_XPATH: Final = (
    "//body//text()[not(ancestor::p) and not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)
_SPACE: Final = re.compile(r"\s+")
# "Headline | Site", "Headline - Site", "Site: Headline": the parts of a <title>.
_TITLE_SEPARATORS: Final = re.compile(r"\s+[|–—:»·-]\s+")


@dataclass(frozen=True)
class HtmlExtraction:
    """What the page yields: body text (one block per line) and metadata."""

    text: str
    title: str | None
    published_at: datetime | None
    author: str | None
    used_fallback: bool
    """True when trafilatura found nothing and the ``<p>`` fallback produced ``text``."""
    boilerplate: str | None
    """With the fallback: the page text outside ``<p>`` (what was dropped), for the record."""


def _load(html: str) -> lxml.html.HtmlElement | None:
    """The tree trafilatura would build itself (same decoding, repairs and parser)."""
    try:
        tree = load_html(html)
    except (lxml.etree.ParserError, ValueError, TypeError):
        return None
    return tree if isinstance(tree, lxml.html.HtmlElement) else None


def _parse_timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # A naive timestamp is taken as UTC so downstream comparisons never mix kinds.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _published_at(tree: lxml.html.HtmlElement | None) -> datetime | None:
    if tree is None:
        return None
    for value in tree.xpath(_PUBLISHED_XPATH):
        parsed = _parse_timestamp(str(value))
        if parsed is not None:
            return parsed
    try:
        day = htmldate.find_date(tree, original_date=True, extensive_search=False, max_date=_MAX_DATE)
    except Exception:  # noqa: BLE001 - a date htmldate cannot read is simply unknown
        return None
    if not day:
        return None
    try:
        # Only a calendar day is known: midnight UTC of that day.
        d = date.fromisoformat(day)
    except ValueError:
        return None
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _clean(value: object) -> str:
    return _SPACE.sub(" ", str(value)).strip()


def _headings(tree: lxml.html.HtmlElement) -> list[str]:
    return [h for h in (_clean(e.text_content()) for e in tree.iter("h1")) if h]


def _title(tree: lxml.html.HtmlElement | None) -> str | None:
    """og:/twitter: title, else the single ``<h1>``, else ``<title>``."""
    if tree is None:
        return None
    for value in tree.xpath(_TITLE_XPATH):
        if title := _clean(value):
            return title
    headings = _headings(tree)
    if len(headings) == 1:
        return headings[0]
    for value in tree.xpath("//title/text()"):
        if title := _clean(value):
            return title
    return None


def _title_variants(tree: lxml.html.HtmlElement | None) -> set[str]:
    """Every way the page states its headline, case-folded: meta titles, ``<h1>``s,
    ``<title>`` and its parts around " | " or " - "."""
    if tree is None:
        return set()
    variants = [str(v) for v in tree.xpath(_TITLE_XPATH + " | //title/text()")]
    variants += _headings(tree)
    for value in list(variants):
        variants += _TITLE_SEPARATORS.split(value)
    return {folded for folded in (_fold(v) for v in variants) if len(folded.split()) >= 2}


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _author(tree: lxml.html.HtmlElement | None) -> str | None:
    if tree is None:
        return None
    for value in tree.xpath(_AUTHOR_XPATH):
        if author := _clean(value):
            return author
    return None


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """A lenient parse for the fallback (trafilatura's loader rejects bare fragments)."""
    # Bytes plus an explicit encoding: lxml refuses str input that carries an
    # XML encoding declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def _paragraph_fallback(tree: lxml.html.HtmlElement | None) -> tuple[str, str | None]:
    """The text of every non-empty ``<p>``, and of what lies outside them."""
    if tree is None:
        return "", None
    paragraphs = [_clean(p.text_content()) for p in tree.iter("p")]
    text = "\n".join(p for p in paragraphs if p)
    rest = _clean(" ".join(_clean(t) for t in tree.xpath(_BOILERPLATE_XPATH)))
    return text, rest or None


# --- the line pass ------------------------------------------------------------------------

_WORD: Final = re.compile(r"\w+")
# Lines that end like prose; the rest are labels, links, headings.
_SENTENCE_END: Final = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
# A dateline or byline opening the text: a date, a time, "By ...", "Published ...".
_MONTHS: Final = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATELINE: Final = re.compile(
    rf"\b(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?)\b",
    re.IGNORECASE,
)
_BYLINE: Final = re.compile(r"^(?:by|written by|posted by|published|updated|von|par|por|publicado)\b", re.IGNORECASE)
_URL_LINE: Final = re.compile(r"^(?:https?://|www\.)\S+$")
# Head lines at most this long may be a dateline/byline.
HEAD_LINE_MAX_CHARS: Final = 120
# A list item of at most this many words at the head is a control ("- Print Article").
HEAD_ITEM_MAX_WORDS: Final = 3


def _is_head_furniture(line: str, titles: set[str]) -> bool:
    if _fold(line) in titles or _URL_LINE.match(line):
        return True
    if line.startswith("- ") and len(line.split()) <= HEAD_ITEM_MAX_WORDS + 1:
        return True
    if len(line) > HEAD_LINE_MAX_CHARS or _SENTENCE_END.search(line):
        return False
    return bool(_DATELINE.search(line) or _BYLINE.match(line))


def _table_row(line: str) -> str:
    """A table row as trafilatura renders it ("| 1 | Kyle Busch | 5040 |") becomes its
    cells separated by tabs (spaces once normalised): the "|" would make it look like a
    row of links ("Home | World | Europe") to the furniture classifier."""
    if line.startswith("|") and not line.strip("|-: "):
        return ""  # a Markdown header separator ("|---|---|")
    if len(line) < 4 or not (line.startswith("| ") and line.endswith(" |")):
        return line
    cells = [cell.strip() for cell in line[2:-2].split(" | ")]
    return "\t".join(cell for cell in cells if cell.strip("-: "))


def trim_lines(lines: Sequence[str], titles: Iterable[str] = ()) -> list[str]:
    """Drop the headline, dateline and byline lines opening ``lines`` (never the last
    line); table rows lose their "|" borders.

    ``titles`` are case-folded word sequences (see ``_fold``) of the page's headlines.
    The tail is left to the furniture classifier: trimming a trailing run of short
    unpunctuated lines cost more recall (tour dates, product lists, tables) than it
    gained precision (measured: F1 0.965 with, 0.968 without).
    """
    folded_titles = set(titles)
    kept = [line for line in (_table_row(line.strip()) for line in lines) if line]
    start = 0
    while start < len(kept) - 1 and _is_head_furniture(kept[start], folded_titles):
        start += 1
    return kept[start:]


def _extract(tree: lxml.html.HtmlElement | str, url: str | None, options: dict[str, Any] = EXTRACTION_OPTIONS) -> str:
    try:
        document = trafilatura.bare_extraction(tree, url=url, **options)
    # trafilatura raises assorted exceptions on pathological markup; any of them
    # means "nothing extracted", and the fallback takes over.
    except Exception:  # noqa: BLE001 - any trafilatura failure falls back, by design
        return ""
    if document is None or isinstance(document, dict):
        return ""
    return document.text or ""


def _unpunctuated_share(text: str) -> float:
    """Share of the characters of ``text`` in lines that do not end like a sentence."""
    lines = [line.strip() for line in text.split("\n")]
    return sum(len(line) for line in lines if line and not _SENTENCE_END.search(line)) / max(1, len(text))


def _precision_recheck(tree: lxml.html.HtmlElement | str, url: str | None, text: str) -> str:
    """The recall extraction, or the precision one when the recall text looks padded.

    Running trafilatura's precision focus on every page (a precision → recall cascade)
    gained F1 but cost ~12 ms a page; here it runs only on pages whose recall text has
    between ``RECHECK_MIN_UNPUNCTUATED_SHARE`` and ``RECHECK_MAX_UNPUNCTUATED_SHARE`` of
    its characters in unpunctuated lines, and its text is taken when it keeps
    ``RECHECK_MIN_KEPT_SHARE`` to 100% of the recall text. Precision results much
    shorter than that are a different (wrong) block: several AEB pages keep 0-10% and
    lose nearly all their recall.

    Measured on AEB (181 pages, full clean(), extractions cached; F1 without the
    recheck 0.9695), by share band → pages rechecked, F1:
    [0.15, 0.40) → 9%, 0.9708 (chosen: the median time stays at trafilatura default's);
    [0.12, 0.40) → 14%, 0.9719; [0.10, 0.40) → 17%, 0.9726; [0.10, 0.50) → 22%, 0.9730;
    [0.10, 1] → 28%, 0.9730; [0.08, 1] → 31%, 0.9732; [0.20, 1] → 15%, 0.9699.
    Every page rechecked (same kept-share rule): 0.9717. Kept share 0.5-0.6 give the
    same result, 0.7 less. On the timed bench, [0.10, 0.40) cost ~1.5 ms of median.
    """
    if not text or not RECHECK_MIN_UNPUNCTUATED_SHARE <= _unpunctuated_share(text) < RECHECK_MAX_UNPUNCTUATED_SHARE:
        return text
    precise = _extract(tree, url, PRECISION_OPTIONS)
    if RECHECK_MIN_KEPT_SHARE * len(text) <= len(precise) <= len(text):
        return precise
    return text


def extract_html(html: str, *, url: str | None = None) -> HtmlExtraction:
    """Extract the article text and metadata from ``html``.

    Raises ``CleaningError`` (C002) for pages over ``MAX_HTML_CHARS``.
    """
    if len(html) > MAX_HTML_CHARS:
        raise CleaningError(INPUT_TOO_LARGE, f"html of {len(html)} characters exceeds {MAX_HTML_CHARS}")
    tree = _load(html)
    # Metadata first: trafilatura works on a copy, but read the pristine tree anyway.
    title, published_at, author = _title(tree), _published_at(tree), _author(tree)
    titles = _title_variants(tree)
    source = tree if tree is not None else html
    text = _precision_recheck(source, url, _extract(source, url))
    lines = trim_lines(text.split("\n"), titles)
    text = "\n".join(lines)
    used_fallback = False
    boilerplate = None
    if not text.strip():
        text, boilerplate = _paragraph_fallback(tree if tree is not None else _parse(html))
        used_fallback = True
    return HtmlExtraction(
        text=text,
        title=title,
        published_at=published_at,
        author=author,
        used_fallback=used_fallback,
        boilerplate=boilerplate,
    )
