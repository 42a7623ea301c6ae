"""Main text and metadata from an HTML page.

trafilatura does the extraction (``favor_precision=True``: on the ScrapingHub
benchmark in ../shared/eval/aeb it scores F1 0.964 against 0.953 for the default;
comments and tables off, because neither is article prose). When it finds nothing,
a plain pass over ``<p>`` elements keeps the article from being lost.

Determinism: trafilatura's date search is bounded by "today" unless told otherwise,
so ``max_date`` is pinned; nothing here reads the clock or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

import lxml.etree
import lxml.html
import trafilatura

from streams.cleaning.errors import INPUT_TOO_LARGE, CleaningError

MAX_HTML_CHARS: Final = 4_000_000
"""Larger pages are refused (the agent already refuses messages over 2 MB)."""

# Pinned upper bound for htmldate instead of its default "today": same page, same
# answer, whatever the day. Far enough ahead never to reject a real date.
_DATE_PARAMS: Final = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}

# Meta tags that state a full publication timestamp, in order of trust.
_PUBLISHED_XPATH: Final = (
    "//meta[@property='article:published_time']/@content"
    " | //meta[@name='article:published_time']/@content"
    " | //meta[@itemprop='datePublished']/@content"
    " | //meta[@property='og:published_time']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)
_BOILERPLATE_XPATH: Final = (
    "//body//text()[not(ancestor::p) and not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)
_SPACE: Final = re.compile(r"\s+")


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


def _parse(html: str) -> lxml.html.HtmlElement | None:
    # Bytes plus an explicit encoding: lxml refuses str input that carries an
    # XML encoding declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def _parse_timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # A naive timestamp is taken as UTC so downstream comparisons never mix kinds.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _published_at(tree: lxml.html.HtmlElement | None, day: str | None) -> datetime | None:
    if tree is not None:
        for value in tree.xpath(_PUBLISHED_XPATH):
            parsed = _parse_timestamp(str(value))
            if parsed is not None:
                return parsed
    if day:
        try:
            # Only a calendar day is known: midnight UTC of that day.
            d = date.fromisoformat(day)
        except ValueError:
            return None
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    return None


def _meta_title(tree: lxml.html.HtmlElement | None) -> str | None:
    if tree is None:
        return None
    for value in tree.xpath("//meta[@property='og:title']/@content | //title/text()"):
        title = _SPACE.sub(" ", str(value)).strip()
        if title:
            return title
    return None


def _paragraph_fallback(tree: lxml.html.HtmlElement | None) -> tuple[str, str | None]:
    """The text of every non-empty ``<p>``, and of what lies outside them."""
    if tree is None:
        return "", None
    paragraphs = [_SPACE.sub(" ", p.text_content()).strip() for p in tree.iter("p")]
    text = "\n".join(p for p in paragraphs if p)
    rest = " ".join(_SPACE.sub(" ", str(t)).strip() for t in tree.xpath(_BOILERPLATE_XPATH))
    rest = _SPACE.sub(" ", rest).strip()
    return text, rest or None


def extract_html(html: str, *, url: str | None = None) -> HtmlExtraction:
    """Extract the article text and metadata from ``html``.

    Raises ``CleaningError`` (C002) for pages over ``MAX_HTML_CHARS``.
    """
    if len(html) > MAX_HTML_CHARS:
        raise CleaningError(INPUT_TOO_LARGE, f"html of {len(html)} characters exceeds {MAX_HTML_CHARS}")
    tree = _parse(html)
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            with_metadata=True,
            deduplicate=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    # trafilatura raises assorted exceptions on pathological markup; any of them
    # means "nothing extracted", and the fallback below takes over.
    except Exception:  # noqa: BLE001 - any trafilatura failure falls back, by design
        document = None
    text = ""
    title = author = day = None
    if document is not None and not isinstance(document, dict):
        text = document.text or ""
        title = document.title or None
        author = document.author or None
        day = document.date or None
    used_fallback = False
    boilerplate = None
    if not text.strip():
        text, boilerplate = _paragraph_fallback(tree)
        used_fallback = True
    return HtmlExtraction(
        text=text,
        title=title or _meta_title(tree),
        published_at=_published_at(tree, day),
        author=author,
        used_fallback=used_fallback,
        boilerplate=boilerplate,
    )
