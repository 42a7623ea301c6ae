"""The bundled sample corpus is valid, varied, and starts with the shared seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.articles import RawArticle
from streams.corpus import sample_articles, sample_lines, sample_payloads

REPO = Path(__file__).resolve().parents[2]
SEED_FILE = REPO.parent / "shared" / "eval" / "seed_article.txt"
MODEL_FIELDS = set(RawArticle.model_fields)


@pytest.fixture(scope="module")
def articles() -> list[RawArticle]:
    return sample_articles()


def test_every_line_is_a_compact_raw_article() -> None:
    lines = sample_lines()
    assert len(lines) >= 21
    for line in lines:
        obj = json.loads(line)
        assert set(obj) <= MODEL_FIELDS
        assert "schema_version" not in obj
        assert line == json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        RawArticle.from_json(line)


def test_every_article_has_a_unique_key(articles: list[RawArticle]) -> None:
    ids = [a.id for a in articles if a.id is not None]
    urls = [a.url for a in articles if a.url is not None]
    assert len(ids) == len(set(ids))
    assert len(urls) == len(set(urls))
    assert all(a.id or a.url for a in articles)


def test_payload_keys_are_id_or_url(articles: list[RawArticle]) -> None:
    payloads = sample_payloads()
    assert [v for _, v in payloads] == sample_lines()
    assert [k.decode() for k, _ in payloads] == [a.id or a.url for a in articles]
    assert len({k for k, _ in payloads}) == len(payloads)


def test_formats_languages_and_field_variety(articles: list[RawArticle]) -> None:
    html = [a for a in articles if a.html]
    assert len(html) >= 5
    assert all(a.text is None for a in html)
    for a in html:
        assert a.html is not None
        assert a.html.lstrip().lower().startswith("<!doctype html>")
        assert "<article" in a.html and 'property="og:title"' in a.html
    assert any(a.language and not a.language.startswith("en") for a in articles)
    assert any(a.id is None for a in articles)
    assert any(a.published_at is None for a in articles)
    assert any(a.title for a in articles)


def test_seed_is_first_and_identical_to_shared_file(articles: list[RawArticle]) -> None:
    seed = articles[0]
    assert seed.id == "seed-putin-calls"
    assert seed.url == "https://example.test/world/putin-calls-iran-israel"
    assert seed.source == "Example Wire"
    assert seed.published_at is not None
    assert seed.published_at.isoformat() == "2025-06-13T18:00:00+00:00"
    assert seed.language is None
    assert seed.html is None
    if not SEED_FILE.exists():
        pytest.skip(f"shared seed file not available at {SEED_FILE}")
    assert seed.text == SEED_FILE.read_text(encoding="utf-8")
