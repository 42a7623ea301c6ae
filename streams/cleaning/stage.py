"""The clean stage: ``RawArticle`` in, ``CleanArticle`` out, as one pure function.

Pure and deterministic (no clock, no network, no state) so the Faust agent and the
offline ``wirewatch process`` path produce identical messages for the same input.
Stateful de-duplication is not done here: ``duplicate_of`` stays None.

Cascade: pick path (HTML if present, else text) → extract → normalise → split
paragraphs (and take the headline, see ``_split_title``) → remove furniture →
truncate → detect language → hash → id.

Paragraph indices in ``removed`` count the paragraphs of the normalised input,
headline line included, so a removal can be located in the input.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Final, Literal

from schemas.articles import CleanArticle, RawArticle, Removal
from streams.cleaning.errors import INPUT_TOO_LARGE, NOTHING_LEFT, TOO_COMPLEX, CleaningError
from streams.cleaning.furniture import REMOVAL_TEXT_MAX, Verdicts, classify, keyword_reason, remove_furniture
from streams.cleaning.html import extract_html
from streams.cleaning.language import MIN_PARAGRAPH_CHARS, detect_language, dominant_language
from streams.cleaning.normalise import normalise_inline, normalise_text, split_paragraphs

MAX_TEXT_CHARS: Final = 4_000_000
#: Work grows with lines and elements, not only characters: a million empty lines took
#: 18 s and 400,000 <p> elements 75 s. The largest page of the AEB benchmark has ~3,200
#: tags and real articles a few hundred lines, so these bounds cut only junk.
MAX_TEXT_LINES: Final = 5_000
MAX_HTML_TAGS: Final = 50_000
#: On the HTML path the extractor has already chosen the main content, so the edge
#: walk of the furniture pass looks at most this many paragraphs in from each end.
#: Unbounded, a list-shaped article (a calendar, a product list: every line label-like)
#: is one long edge block and confirmed furniture deep inside it took the whole block
#: with it. AEB F1 of the full stage by bound (cached extraction, 181 pages): none
#: 0.9633, 30 0.9642, 15 0.9655, 3-10 0.9695, 1-2 0.9691; no furniture pass 0.9685.
HTML_EDGE_BLOCK: Final = 6
"""Larger raw texts are refused before any work (the agent refuses > 2 MB messages)."""
TITLE_MAX_CHARS: Final = 2_000
"""Schema bound of ``title``."""
# A first line is a headline only if it is this short and has at least this many words.
HEADLINE_MAX_CHARS: Final = 200
HEADLINE_MIN_WORDS: Final = 2
# A headline may end in "?" or "!", not in punctuation that ends or continues prose.
_NOT_HEADLINE_END: Final = ".,;:…"
_CLOSERS: Final = "\"'”’»)]›"
# A word, a period, a space: when the word is lower-case a sentence ends inside the
# line, so it is prose ("U.S. envoy", "Mr. Lavrov" are not sentence ends).
_WORD_BEFORE_PERIOD: Final = re.compile(r"(\w{2,})\. ")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _has_sentence_break(line: str) -> bool:
    return any(word.islower() for word in _WORD_BEFORE_PERIOD.findall(line))


def _looks_like_headline(line: str) -> bool:
    """Short, a few words, not ending like a sentence, and not furniture ("X", "Menu")."""
    stripped = line.rstrip(_CLOSERS)
    if not stripped or len(line) >= HEADLINE_MAX_CHARS or stripped[-1] in _NOT_HEADLINE_END:
        return False
    if len(line.split()) < HEADLINE_MIN_WORDS or _has_sentence_break(line):
        return False
    return classify(line, at_edge=True) is None and keyword_reason(line) is None


def _split_title(normalised: str, paragraphs: list[str]) -> str | None:
    """The headline on the first line of a plain text, if there is one.

    Decision: a first block that is a single short line (< 200 characters, at least
    two words, no final period/colon/comma, not furniture) followed by a blank line
    and more text is the headline. It becomes the title and is not a body paragraph.
    "?" and "!" are allowed: headlines ask and exclaim.
    """
    first_block = normalised.split("\n\n", 1)
    if len(first_block) < 2 or "\n" in first_block[0] or len(paragraphs) < 2:
        return None
    line = first_block[0]
    return line if _looks_like_headline(line) else None


def _truncate(kept: list[tuple[int, str]], max_chars: int) -> tuple[list[tuple[int, str]], Removal | None]:
    """Cut the body at a paragraph boundary so the joined text is at most ``max_chars``.

    When even the first paragraph is too long it is cut at the last space before the
    limit (a body must keep something). The dropped text is recorded once.
    """
    out: list[tuple[int, str]] = []
    total = 0
    for pos, (index, text) in enumerate(kept):
        extra = len(text) + (2 if out else 0)
        if total + extra <= max_chars:
            out.append((index, text))
            total += extra
            continue
        dropped = [t for _, t in kept[pos:]]
        if not out:
            head = text[:max_chars]
            cut = head.rsplit(" ", 1)[0] if " " in head else head
            out.append((index, cut))
            dropped[0] = text[len(cut) :].lstrip()
        removal = Removal(text="\n\n".join(dropped)[:REMOVAL_TEXT_MAX], reason="truncated", paragraph_index=index)
        return out, removal
    return out, None


def _cut_lines(text: str, limit: int) -> tuple[str, Removal | None]:
    """Keep the first ``limit`` lines; the rest is recorded as truncated."""
    end = -1
    for _ in range(limit):
        end = text.find("\n", end + 1)
        if end < 0:
            return text, None
    rest = text[end + 1 :]
    if not rest.strip():
        return text, None
    return text[:end], Removal(text=rest[:REMOVAL_TEXT_MAX], reason="truncated")


def clean(raw: RawArticle, *, max_chars: int = 200_000) -> CleanArticle:
    """Clean one raw article.

    Raises ``CleaningError`` when nothing of the body survives (C001) or the input is
    too large (C002); any other exception is a bug in this stage.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    removals: list[Removal] = []
    input_format: Literal["text", "html"]
    meta_title: str | None = None
    meta_author: str | None = None
    meta_published: datetime | None = None
    headline: str | None = None
    if raw.html and raw.html.strip():
        input_format = "html"
        tags = raw.html.count("<")
        if tags > MAX_HTML_TAGS:
            raise CleaningError(TOO_COMPLEX, f"html with {tags} tags exceeds {MAX_HTML_TAGS}")
        extraction = extract_html(raw.html, url=raw.url)
        if extraction.used_fallback and extraction.boilerplate:
            removals.append(Removal(text=extraction.boilerplate[:REMOVAL_TEXT_MAX], reason="html_boilerplate"))
        meta_title, meta_published = extraction.title, extraction.published_at
        meta_author = extraction.author
        # trafilatura emits one block per line; every line is a paragraph.
        paragraphs = split_paragraphs(normalise_text(extraction.text), join_wrapped_lines=False)
    else:
        input_format = "text"
        text = raw.text or ""
        if len(text) > MAX_TEXT_CHARS:
            raise CleaningError(INPUT_TOO_LARGE, f"text of {len(text)} characters exceeds {MAX_TEXT_CHARS}")
        text, cut_lines = _cut_lines(text, MAX_TEXT_LINES)
        if cut_lines is not None:
            removals.append(cut_lines)
        normalised = normalise_text(text)
        paragraphs = split_paragraphs(normalised)
        if not raw.title:
            headline = _split_title(normalised, paragraphs)

    title = _first_title(raw.title, meta_title, headline)
    indexed = list(enumerate(paragraphs))
    # The headline (or a repeat of the given title) opens the text: it is the title,
    # not body. Not a "removal": nothing was lost.
    if indexed and title is not None and _same_text(indexed[0][1], title):
        indexed = indexed[1:]

    # Furniture stays out of the vote on the article's language. Only paragraphs long
    # enough to vote are classified, lazily (the vote stops at its budget): classifying
    # every paragraph was ~8 ms of the ~11 ms an AEB page spent after extraction. A
    # short paragraph cannot vote (under MIN_PARAGRAPH_CHARS letters) and only counts
    # against the vote's 100,000-character budget.
    # remove_furniture reuses the vote's verdicts: a paragraph without a reason at an edge has
    # none inside the body either, so the body is not classified twice.
    verdicts = Verdicts()
    article_language = dominant_language(
        t
        for _, t in indexed
        if input_format == "html" or len(t) < MIN_PARAGRAPH_CHARS or verdicts(t, at_edge=True) is None
    )
    kept, cut = remove_furniture(
        indexed,
        language=article_language,
        max_edge_block=HTML_EDGE_BLOCK if input_format == "html" else None,
        verdicts=verdicts,
    )
    removals.extend(cut)
    if not kept:
        raise CleaningError(NOTHING_LEFT, "no body text left after extraction and furniture removal")
    kept, truncated = _truncate(kept, max_chars)
    if truncated is not None:
        removals.append(truncated)

    body_paragraphs = [t for _, t in kept]
    body = "\n\n".join(body_paragraphs)
    content_hash = _sha256(body)
    language = detect_language(body) or article_language or raw.language
    if raw.id:
        article_id = raw.id
    elif raw.url:
        article_id = "url-" + _sha256(raw.url)[:20]
    else:
        article_id = "sha-" + content_hash[:20]
    return CleanArticle(
        id=article_id,
        url=raw.url,
        source=raw.source,
        title=title,
        author=meta_author[:TITLE_MAX_CHARS] if meta_author else None,
        published_at=raw.published_at or meta_published,
        language=language,
        text=body,
        paragraphs=body_paragraphs,
        content_hash=content_hash,
        duplicate_of=None,
        removed=removals,
        input_format=input_format,
    )


def _first_title(*candidates: str | None) -> str | None:
    """The first candidate that is non-empty once normalised, cut to the schema bound."""
    for candidate in candidates:
        if candidate:
            title = normalise_inline(candidate)[:TITLE_MAX_CHARS]
            if title:
                return title
    return None
