"""The AEB scorer (streams.cleaning.bench_html) reproduces the benchmark's evaluate.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.cleaning.bench_html import (
    BenchRow,
    default_extractors,
    load_pages,
    match_counts,
    render_table,
    run_bench,
    score,
    score_texts,
    shingles,
)

TRUTH = "The minister said on Tuesday that talks would resume in Geneva next week."


def test_identical_text_scores_one() -> None:
    result = score_texts(TRUTH, TRUTH)
    assert (result.f1, result.precision, result.recall) == (1.0, 1.0, 1.0)


def test_disjoint_text_scores_zero() -> None:
    result = score_texts(TRUTH, "Subscribe to our newsletter for the latest headlines every morning")
    assert (result.f1, result.precision, result.recall) == (0.0, 0.0, 0.0)


def test_partial_overlap() -> None:
    # Shingles of "a b c d e": (a b c d), (b c d e); of "a b c d x": (a b c d), (b c d x).
    # TP 1, FP 1, FN 1 → P = R = F1 = 0.5.
    result = score_texts("a b c d e", "a b c d x")
    assert (result.f1, result.precision, result.recall) == pytest.approx((0.5, 0.5, 0.5))


def test_extra_text_lowers_precision_only() -> None:
    # Truth: 10 shingles, all found; the prediction adds 4 tokens → 4 more shingles.
    truth = " ".join(f"w{i}" for i in range(13))
    result = score_texts(truth, truth + " menu home login share")
    assert result.recall == 1.0
    assert result.precision == pytest.approx(10 / 14)


def test_shingles_are_a_multiset_over_word_tokens() -> None:
    assert shingles("a, b; c d — a b c d") == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }
    # Fewer than four tokens: one shingle of all of them; nothing at all: none.
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles("") == {}
    assert shingles(None) == {}


def test_repeated_shingle_counts_twice() -> None:
    # Truth has (a b c d) twice; predicting it once finds one of five shingles.
    result = score_texts("a b c d a b c d", "a b c d")
    assert result.precision == 1.0
    assert result.recall == pytest.approx(1 / 5)


def test_empty_prediction_is_left_out_of_precision_but_counts_as_zero_recall() -> None:
    counts = [match_counts(TRUTH, ""), match_counts(TRUTH, TRUTH)]
    assert counts[0] == (0.0, 0.0, 1.0)
    result = score(counts)
    assert result.precision == 1.0
    assert result.recall == 0.5
    # F1 comes from the two means, not from per-document F1s (which would average to 0.5).
    assert result.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_both_empty_is_left_out_of_both_means() -> None:
    assert match_counts("", "") == (0.0, 0.0, 0.0)
    result = score([match_counts("", ""), match_counts("a b c d e", "a b c d x")])
    assert (result.precision, result.recall) == pytest.approx((0.5, 0.5))


AEB_PAGES = [
    "c467d507551a836efa9cfe843ba5d7bafe519750e04d0c9ff0decf44f013f829",
    "5caf91b8a4423735f866b089d2611ea14503584cf3b6f487c6d26eb7b9521fca",
    "360c732d1fdbfc6895d7096c0c0b8c0d581bb1af80160f4c6a0f1fd9ff85e469",
]


def test_bench_runs_every_extractor_on_three_pages(eval_dir: Path) -> None:
    pages = load_pages(eval_dir / "aeb", ids=AEB_PAGES)
    assert [p.id for p in pages] == AEB_PAGES
    assert all(p.html.lstrip().startswith("<") and p.truth and p.url for p in pages)
    rows = run_bench(eval_dir / "aeb", ids=AEB_PAGES)
    assert [r.name for r in rows] == list(default_extractors())
    for row in rows:
        assert row.pages == 3
        assert 0.8 <= row.f1 <= 1.0, row
        assert 0.0 < row.median_ms <= row.p95_ms
    table = render_table(rows)
    assert table.row_count == len(rows)


def test_render_table_formats_rows() -> None:
    row = BenchRow(name="x", f1=0.97, precision=0.96, recall=0.98, median_ms=12.34, p95_ms=40.0, pages=181)
    table = render_table([row])
    cells = [list(column.cells) for column in table.columns]
    assert [c[0] for c in cells] == ["x", "0.970", "0.960", "0.980", "12.3", "40.0", "181"]
