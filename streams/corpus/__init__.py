"""The bundled sample corpus: raw articles for demos, smoke tests and dashboards.

The articles live in ``sample_articles.jsonl`` (package data, one ``RawArticle``
JSON object per line); see ``SOURCES.md`` for where they come from.
"""

from __future__ import annotations

from importlib.resources import files

from schemas.articles import RawArticle

SAMPLE_FILE = "sample_articles.jsonl"
"""Name of the JSON Lines file inside this package."""


def sample_lines() -> list[bytes]:
    """Return the non-empty lines of the sample file, as raw UTF-8 JSON bytes, in order."""
    data = files(__name__).joinpath(SAMPLE_FILE).read_bytes()
    return [line for line in data.splitlines() if line.strip()]


def sample_articles() -> list[RawArticle]:
    """Return the sample articles, validated, in file order (the seed article first)."""
    return [RawArticle.from_json(line) for line in sample_lines()]


def sample_payloads() -> list[tuple[bytes, bytes]]:
    """Return ``(key, value)`` pairs ready to produce to ``articles.raw``.

    The key is the article id, else its URL (UTF-8); the value is the line's JSON bytes as stored.
    """
    payloads: list[tuple[bytes, bytes]] = []
    for line, article in zip(sample_lines(), sample_articles(), strict=True):
        key = article.id or article.url
        if key is None:
            raise ValueError(f"sample article without id or url: {line[:80]!r}")
        payloads.append((key.encode("utf-8"), line))
    return payloads
