"""`wirewatch bench broker`: fetches of a partition's last record, timed by partition length."""

from __future__ import annotations

import json

from click.testing import CliRunner

from streams.bench_broker import run_bench
from streams.broker import EmbeddedBroker
from streams.cli import main


def test_every_timed_fetch_returns_the_last_record_of_each_length(broker: EmbeddedBroker) -> None:
    costs = run_bench([40, 5], fetches=3, broker_url=broker.url)
    assert [(cost.batches, len(cost.fetch_ms), cost.records) for cost in costs] == [(5, 3, 3), (40, 3, 3)]
    assert all(ms > 0 for cost in costs for ms in cost.fetch_ms)


def test_the_json_line_has_a_row_per_length(broker: EmbeddedBroker) -> None:
    result = CliRunner().invoke(
        main, ["bench", "broker", "--batches", "3,7", "--fetches", "2", "--broker", broker.url, "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output.strip().splitlines()[-1])["fetch_costs"]
    assert [(row["batches"], row["fetches"], row["records"]) for row in rows] == [(3, 2, 2), (7, 2, 2)]


def test_a_length_of_zero_is_refused() -> None:
    result = CliRunner().invoke(main, ["bench", "broker", "--batches", "0,10"])
    assert result.exit_code == 2
    assert "--batches" in result.output
