"""Must-hold 3: the HTML path keeps the article and drops the page around it."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura

from schemas.articles import CleanArticle, RawArticle
from streams.cleaning.errors import CleaningError
from streams.cleaning.html import MAX_HTML_CHARS
from streams.cleaning.stage import clean

BODY = [
    "Negotiators from Armenia and Azerbaijan met in Geneva on Tuesday for a fresh round of talks on a peace "
    "treaty, the Swiss foreign ministry said.",
    "The talks, mediated by the European Union, focused on the demarcation of the shared border and on "
    "reopening transport links closed since the early 1990s.",
    "“We are closer than we have ever been,” one senior diplomat told reporters after the first session, "
    "asking not to be named because the discussions were confidential.",
    "Both delegations are expected to stay in Geneva until Thursday, when a joint statement could be issued "
    "if the remaining issues are settled.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Armenia and Azerbaijan resume peace talks | Example News</title>
<meta property="og:title" content="Armenia and Azerbaijan resume peace talks">
<meta property="article:published_time" content="2025-03-04T09:30:00+00:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li></ul></nav>
<header><div class="logo">Example News</div><a href="/login">Sign in</a></header>
<main><article>
<h1>Armenia and Azerbaijan resume peace talks</h1>
<p>{BODY[0]}</p>
<p>{BODY[1]}</p>
<p>{BODY[2]}</p>
<p>{BODY[3]}</p>
</article>
<aside class="newsletter"><h3>Subscribe to our newsletter</h3>
<p>Get the day's top headlines delivered to your inbox every morning.</p><button>Subscribe</button></aside>
<section class="related"><h3>Related articles</h3><ul>
<li><a href="/a">EU envoy visits Yerevan ahead of talks</a></li>
<li><a href="/b">Border commission meets for the first time</a></li></ul></section>
</main>
<footer><p>© 2025 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""

FURNITURE = ["Subscribe", "newsletter", "Related articles", "EU envoy visits", "All rights reserved", "Privacy policy"]


@pytest.fixture(scope="module")
def page() -> CleanArticle:
    return clean(RawArticle(html=PAGE, url="https://example.test/news/talks"))


def test_html_body_paragraphs_are_kept(page: CleanArticle) -> None:
    assert page.paragraphs == BODY


def test_html_furniture_is_gone(page: CleanArticle) -> None:
    for fragment in FURNITURE:
        assert fragment not in page.text


def test_html_title_comes_from_the_page_metadata(page: CleanArticle) -> None:
    assert page.title == "Armenia and Azerbaijan resume peace talks"


def test_html_publication_time_comes_from_the_meta_tag(page: CleanArticle) -> None:
    assert page.published_at == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def test_html_input_format_and_language(page: CleanArticle) -> None:
    assert page.input_format == "html"
    assert page.language == "en"


def test_page_trafilatura_cannot_read_falls_back_to_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate trafilatura finding nothing; the <p> fallback still finds the text and records the cut.
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    html = "<html><body><div>Menu</div><p>Short but real sentence one.</p></body></html>"
    cleaned = clean(RawArticle(html=html))
    assert cleaned.paragraphs == ["Short but real sentence one."]
    assert [(r.reason, r.text) for r in cleaned.removed] == [("html_boilerplate", "Menu")]


def test_page_that_crashes_trafilatura_still_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("pathological markup")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    cleaned = clean(RawArticle(html="<p>The statement was issued late on Sunday evening.</p>"))
    assert cleaned.paragraphs == ["The statement was issued late on Sunday evening."]


def test_oversized_html_is_refused_with_c002() -> None:
    with pytest.raises(CleaningError, match=r"^C002: "):
        clean(RawArticle(html="<p>" + "a" * MAX_HTML_CHARS + "</p>"))


# Three English pages of the ScrapingHub benchmark: an AP wire story with a legal
# footer, an SFGate live blog with "___" separators, a City A.M. story with
# "Read more:" links and a photo credit.
AEB_PAGES = [
    "c467d507551a836efa9cfe843ba5d7bafe519750e04d0c9ff0decf44f013f829",
    "5caf91b8a4423735f866b089d2611ea14503584cf3b6f487c6d26eb7b9521fca",
    "360c732d1fdbfc6895d7096c0c0b8c0d581bb1af80160f4c6a0f1fd9ff85e469",
]


def _shingles(text: str) -> set[tuple[str, ...]]:
    """4-token shingles over \\w+ tokens, as the benchmark's evaluate.py scores."""
    tokens = re.findall(r"\w+", text)
    return {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}


@pytest.fixture(scope="module")
def ground_truth(eval_dir: Path) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads((eval_dir / "aeb" / "ground-truth.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("page_id", AEB_PAGES)
def test_benchmark_page_overlaps_its_ground_truth(
    page_id: str, eval_dir: Path, ground_truth: dict[str, dict[str, str]]
) -> None:
    html = gzip.decompress((eval_dir / "aeb" / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
    truth = ground_truth[page_id]
    cleaned = clean(RawArticle(html=html, url=truth["url"]))
    got, expected = _shingles(cleaned.text), _shingles(truth["articleBody"])
    overlap = len(got & expected)
    assert overlap / len(expected) >= 0.8, "recall"
    assert overlap / len(got) >= 0.8, "precision"
