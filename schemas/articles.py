"""Articles before and after cleaning (topics ``articles.raw`` and ``articles.clean``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from schemas.base import Timestamp, WireModel

# Bounds on every field: a scraper bug must not push a 1 GB title through the pipeline.
ShortText = Annotated[str, Field(max_length=2_000)]
Url = Annotated[str, Field(max_length=4_096)]
Ident = Annotated[str, Field(min_length=1, max_length=512)]
LanguageCode = Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")]


class RawArticle(WireModel):
    """What a scraper publishes on ``articles.raw``: a page as HTML, or text it already extracted.

    Everything but the body is optional because scrapers differ; the clean stage fills
    the gaps (id from the URL or the content hash, language by detection).
    """

    id: Ident | None = None
    """Article id chosen by the producer; when missing, derived from the URL or the body."""
    url: Url | None = None
    """Canonical URL of the article."""
    source: ShortText | None = None
    """Outlet that published it (e.g. "Reuters", "tass.com")."""
    title: ShortText | None = None
    """Headline, when the scraper has it separately."""
    published_at: Timestamp | None = None
    """Publication time as stated by the outlet (ISO 8601); anchors relative dates."""
    language: LanguageCode | None = None
    """ISO 639 language code claimed by the scraper; detection overrides a wrong claim."""
    text: str | None = None
    """Plain text of the article, possibly with page furniture still attached."""
    html: str | None = None
    """The raw HTML page, when the scraper did not extract the text."""

    @model_validator(mode="after")
    def _has_body(self) -> RawArticle:
        if not (self.text and self.text.strip()) and not (self.html and self.html.strip()):
            raise ValueError("a raw article needs a non-empty `text` or `html`")
        return self


RemovalReason = Literal[
    "ui_token",
    "cookie_notice",
    "subscription_prompt",
    "share_bar",
    "advertisement",
    "related_links",
    "photo_credit",
    "legal_footer",
    "other_language",
    "html_boilerplate",
    "empty",
    "truncated",
]


class Removal(WireModel):
    """A piece of the input that the clean stage cut, and why (so cleaning is auditable)."""

    text: Annotated[str, Field(max_length=2_000)]
    """The removed text (cut to 2,000 characters)."""
    reason: RemovalReason
    """Why it was removed."""
    paragraph_index: int | None = None
    """Position of the removed paragraph in the input, when it was one."""


class CleanArticle(WireModel):
    """The article body and nothing else, normalised, on ``articles.clean``."""

    id: Ident
    """Article id (the producer's, else derived deterministically from URL or content)."""
    url: Url | None
    """Canonical URL, when known."""
    source: ShortText | None
    """Outlet that published it."""
    title: ShortText | None
    """Headline (from the producer, the HTML metadata, or the first line of the text)."""
    author: ShortText | None = None
    """Author as the page's metadata names it (HTML input only)."""
    published_at: Timestamp | None
    """Publication time, when known."""
    language: LanguageCode | None
    """Detected ISO 639-1 language of the body; None when undetermined."""
    text: str
    """The cleaned body: paragraphs joined by blank lines."""
    paragraphs: list[str]
    """The cleaned body as paragraphs, in order."""
    content_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """SHA-256 of the normalised body; equal bodies have equal hashes."""
    duplicate_of: Ident | None = None
    """Id of an earlier article with the same body, when one was seen."""
    removed: list[Removal] = Field(default_factory=list)
    """What was cut and why."""
    input_format: Literal["text", "html"]
    """Which shape the raw article arrived in."""

    @classmethod
    def of_paragraphs(
        cls,
        article_id: str,
        paragraphs: Sequence[str],
        *,
        published_at: datetime | None,
        url: str | None = None,
        source: str | None = None,
    ) -> CleanArticle:
        """An English text article that is already its clean paragraphs, with the text and hash
        the clean stage would give it: how evaluations, benchmarks and the fuzzer feed the
        extract stage without cleaning."""
        text = "\n\n".join(paragraphs)
        return cls(
            id=article_id,
            url=url,
            source=source,
            title=None,
            published_at=published_at,
            language="en",
            text=text,
            paragraphs=list(paragraphs),
            # surrogatepass: a fuzzed text may hold lone surrogates; any other text hashes as UTF-8
            content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            input_format="text",
        )
