"""The ScrapingHub article-extraction benchmark (AEB) as a library.

Pages: ``<aeb>/html/<id>.html.gz`` (gzip, UTF-8) and ``<aeb>/ground-truth.json``
(``{id: {"articleBody": ..., "url": ...}}``), as in ../shared/eval/aeb.

Scoring reproduces the benchmark's ``evaluate.py`` exactly:

- tokens are ``\\w+`` matches; shingles are 4-token tuples counted as a *multiset*
  (a repeated shingle counts twice); a text of 1–3 tokens has one shingle made of
  all its tokens, an empty text has none;
- per document, TP/FP/FN are summed over shingles (min / excess counts);
- precision of a document is 1.0 when FP == FN == 0, else 0.0 when TP == FP == 0,
  else TP/(TP+FP); recall likewise with FN;
- precision is averaged over the documents with TP+FP > 0 (an *empty prediction is
  left out of the precision mean* but counts as recall 0.0); recall over documents
  with TP+FN > 0 (an empty ground truth is left out of recall; there are none in
  this set, every articleBody is non-empty); a document where both are empty is left
  out of both means;
- F1 is computed from the two means, not averaged per document.

Timing: every extractor runs on the same pages in one process; for page *i* the
extractors run in an order rotated by *i* (interleaved, so a noisy neighbour on a
shared machine hits all of them alike). Each call is timed with
``time.perf_counter``; one untimed warm-up call per extractor comes first.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rich.table import Table

DEFAULT_AEB_DIR: Final = Path(__file__).resolve().parents[3] / "shared" / "eval" / "aeb"
NGRAM_N: Final = 4
_TOKEN_RE: Final = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Extractor = Callable[[str, str | None], str]
"""``(html, url) -> extracted body text`` ("" when nothing was extracted)."""
Counts = tuple[float, float, float]
"""Normalised (TP, FP, FN) of one document."""


@dataclass(frozen=True)
class BenchPage:
    """One benchmark page and its ground truth."""

    id: str
    url: str | None
    html: str
    truth: str


@dataclass(frozen=True)
class Scores:
    f1: float
    precision: float
    recall: float


@dataclass(frozen=True)
class PageResult:
    """One extractor on one page."""

    page_id: str
    text: str
    counts: Counts
    seconds: float


@dataclass(frozen=True)
class BenchRow:
    """One line of the comparison table."""

    name: str
    f1: float
    precision: float
    recall: float
    median_ms: float
    p95_ms: float
    pages: int


# --- loading ---------------------------------------------------------------------------


def load_pages(aeb_dir: Path = DEFAULT_AEB_DIR, *, ids: Sequence[str] | None = None) -> list[BenchPage]:
    """The benchmark pages (all, or ``ids`` in that order), sorted by id by default."""
    truth: dict[str, dict[str, str]] = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    wanted = list(ids) if ids is not None else sorted(truth)
    pages = []
    for page_id in wanted:
        raw = gzip.decompress((aeb_dir / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            BenchPage(
                id=page_id,
                url=truth[page_id].get("url") or None,
                html=raw.decode("utf-8"),
                truth=truth[page_id].get("articleBody") or "",
            )
        )
    return pages


# --- scoring (evaluate.py) ---------------------------------------------------------------


def shingles(text: str | None, n: int = NGRAM_N) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles over ``\\w+`` tokens (evaluate.py's ``_ngrams``)."""
    tokens = _TOKEN_RE.findall(text or "")
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def match_counts(truth: str | None, pred: str | None, n: int = NGRAM_N) -> Counts:
    """(TP, FP, FN) over shingles, normalised to sum 1 (all 0.0 when both are empty)."""
    true_shingles, pred_shingles = shingles(truth, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true_shingles.keys() | pred_shingles.keys():
        t, p = true_shingles.get(key, 0), pred_shingles.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(counts: Sequence[Counts]) -> Scores:
    """Macro precision and recall over documents, F1 of the two means (evaluate.py)."""
    precisions = [precision_score(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return Scores(f1=f1, precision=precision, recall=recall)


def score_texts(truth: str, pred: str) -> Scores:
    """Score one document on its own (a one-document benchmark)."""
    return score([match_counts(truth, pred)])


# --- extractors --------------------------------------------------------------------------


def trafilatura_default(html: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def trafilatura_precision(html: str, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, favor_precision=True) or ""


def wirewatch(html: str, url: str | None) -> str:
    """The HTML path of the clean stage; the body text, "" when the stage keeps nothing."""
    from schemas.articles import RawArticle
    from streams.cleaning.errors import CleaningError
    from streams.cleaning.stage import clean

    try:
        return clean(RawArticle(html=html, url=url)).text
    except CleaningError:
        return ""


def wirewatch_extraction(html: str, url: str | None) -> str:
    """``extract_html`` alone (no furniture, language or normalisation pass)."""
    from streams.cleaning.html import extract_html

    return extract_html(html, url=url).text


def default_extractors() -> dict[str, Extractor]:
    """The three compared by default."""
    return {
        "trafilatura default": trafilatura_default,
        "trafilatura favor_precision": trafilatura_precision,
        "wirewatch": wirewatch,
    }


def all_extractors() -> dict[str, Extractor]:
    """The default three plus ``wirewatch extract_html`` (to split extraction from the stage)."""
    return {**default_extractors(), "wirewatch extract_html": wirewatch_extraction}


# --- running -----------------------------------------------------------------------------


def evaluate_pages(pages: Sequence[BenchPage], extractors: Mapping[str, Extractor]) -> dict[str, list[PageResult]]:
    """Run every extractor on every page, interleaved; per-page results by extractor name."""
    names = list(extractors)
    results: dict[str, list[PageResult]] = {name: [] for name in names}
    if pages:
        for name in names:  # warm-up: imports, lexicon compilation, caches
            extractors[name](pages[0].html, pages[0].url)
    for i, page in enumerate(pages):
        shift = i % len(names) if names else 0
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            text = extractors[name](page.html, page.url)
            seconds = time.perf_counter() - start
            results[name].append(PageResult(page.id, text, match_counts(page.truth, text), seconds))
    return results


def _percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarise(results: Mapping[str, Sequence[PageResult]]) -> list[BenchRow]:
    rows = []
    for name, per_page in results.items():
        scores = score([r.counts for r in per_page])
        ms = [r.seconds * 1000 for r in per_page]
        rows.append(
            BenchRow(
                name=name,
                f1=scores.f1,
                precision=scores.precision,
                recall=scores.recall,
                median_ms=statistics.median(ms) if ms else 0.0,
                p95_ms=_percentile(ms, 95),
                pages=len(per_page),
            )
        )
    return rows


def run_bench(
    aeb_dir: Path = DEFAULT_AEB_DIR,
    *,
    extractors: Mapping[str, Extractor] | None = None,
    ids: Sequence[str] | None = None,
) -> list[BenchRow]:
    """Load the AEB pages, run the extractors interleaved, one row per extractor."""
    return summarise(evaluate_pages(load_pages(aeb_dir, ids=ids), extractors or default_extractors()))


def render_table(rows: Sequence[BenchRow], *, title: str = "HTML extraction, ScrapingHub AEB") -> Table:
    table = Table(title=title)
    table.add_column("extractor", no_wrap=True)
    for column in ("F1", "P", "R", "median ms/page", "p95 ms/page", "pages"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(
            row.name,
            f"{row.f1:.3f}",
            f"{row.precision:.3f}",
            f"{row.recall:.3f}",
            f"{row.median_ms:.1f}",
            f"{row.p95_ms:.1f}",
            str(row.pages),
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from rich.console import Console

    parser = argparse.ArgumentParser(prog="python -m streams.cleaning.bench_html", description=__doc__.split("\n")[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB_DIR, help="benchmark directory")
    parser.add_argument("--only", action="append", help="extractor name (repeatable); default: the three")
    parser.add_argument("--all", action="store_true", help="also time extract_html alone")
    args = parser.parse_args(argv)
    extractors = all_extractors() if args.all or args.only else default_extractors()
    if args.only:
        unknown = set(args.only) - extractors.keys()
        if unknown:
            parser.error(f"unknown extractor(s): {', '.join(sorted(unknown))}; known: {', '.join(extractors)}")
        extractors = {name: extractors[name] for name in args.only}
    Console(width=max(Console().width, 100)).print(render_table(run_bench(args.aeb, extractors=extractors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
