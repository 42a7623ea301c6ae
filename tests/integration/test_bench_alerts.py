"""`wirewatch bench alerts` in-process on the module's broker: every article gets a latency, the JSON has its keys."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from streams.bench_alerts import bench_articles, run_bench
from streams.broker import EmbeddedBroker
from streams.cli import main

pytestmark = pytest.mark.integration

KEYS = {"articles", "alerted", "alerts", "rate", "p50_s", "p95_s", "p99_s", "max_s", "missing", "missing_ids"}


def test_variants_are_distinct_and_reproducible() -> None:
    first = bench_articles(12, seed=3)
    assert len({a.article_id for a in first}) == 12
    assert len({a.value for a in first}) == 12
    assert [a.value for a in bench_articles(12, seed=3)] == [a.value for a in first]


def test_every_article_gets_a_latency(broker: EmbeddedBroker) -> None:
    result = run_bench(broker.url, articles=8, rate=4.0, warmup=6, timeout=120.0)
    summary = result.as_dict()
    assert summary.keys() >= KEYS
    assert summary["articles"] == 8
    assert summary["missing"] == 0, summary["missing_ids"]
    assert all(s.latency is not None and s.latency > 0 for s in result.samples)
    assert summary["p50_s"] is not None and summary["p99_s"] is not None
    json.dumps(summary)  # what --json prints


def test_cli_help_lists_the_options() -> None:
    done = CliRunner().invoke(main, ["bench", "alerts", "--help"])
    assert done.exit_code == 0
    for option in ("--rate", "--articles", "--broker", "--json"):
        assert option in done.output
