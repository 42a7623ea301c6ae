"""`wirewatch bench pipeline` in-process on the module's broker: the JSON has its keys and the counts add up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from streams.bench_pipeline import pipeline_articles, plot, render, run_bench
from streams.broker import EmbeddedBroker
from streams.cli import main

pytestmark = pytest.mark.integration

KEYS = {
    "articles_per_s",
    "p50_s",
    "p95_s",
    "p99_s",
    "relay_articles_per_s",
    "fraction_of_relay",
    "peak_rss_mb",
    "cpu_s_per_article",
    "stages",
}


def test_articles_are_distinct_past_the_pool() -> None:
    batch = pipeline_articles(260, seed=1)
    assert len({a.article_id for a in batch}) == 260
    assert len({a.value for a in batch}) == 260
    assert {a.origin for a in batch} == {"aeb", "corpus", "splice"}
    assert [a.value for a in pipeline_articles(260, seed=1)] == [a.value for a in batch]


def test_counts_add_up(broker: EmbeddedBroker, tmp_path: Path) -> None:
    result = run_bench(broker.url, workers=1, articles=10, warmup=2, timeout=180.0, memory_at=(5, 10))
    summary = result.as_dict()
    assert summary.keys() >= KEYS
    assert summary["completed"] is True
    assert summary["articles"] == 10
    assert summary["cleaned"] + summary["dead_letters"] == 10
    assert summary["processed"] == 10
    assert sum(summary["origins"].values()) == 10
    stages = summary["stages"]
    assert stages["clean"]["messages"] == 10
    assert stages["deduplicate"]["messages"] == summary["cleaned"]
    assert stages["extract"]["messages"] == summary["cleaned"]
    assert stages["story"]["messages"] == summary["events"]
    assert stages["alert"]["messages"] == summary["events"]
    assert all(s.latency is not None and s.latency > 0 for s in result.samples)
    assert summary["articles_per_s"] > 0 and summary["relay_articles_per_s"] > 0
    assert summary["peak_rss_mb"] > 0 and summary["worker_cpu_s"] > 0
    assert summary["extract_articles_per_call"] >= 1
    assert list(summary["memory_at"]) == ["5", "10"]
    for mark in summary["memory_at"].values():  # the stage children hold the NLP models: most of it
        assert 0 < mark["worker_process_pss_mb"] < mark["pss_mb"] <= mark["rss_mb"]
    line = json.dumps(summary)  # what --json prints
    assert json.loads(line)["articles"] == 10
    render(result)
    plot(result, tmp_path / "latency.png")
    assert (tmp_path / "latency.png").read_bytes().startswith(b"\x89PNG")


def test_cli_help_lists_the_options() -> None:
    done = CliRunner().invoke(main, ["bench", "pipeline", "--help"])
    assert done.exit_code == 0
    for option in ("--workers", "--articles", "--rate", "--json", "--plot", "--broker"):
        assert option in done.output
