"""``wirewatch bench stages``: CPU per article of every stage on a few articles of the pipeline mix."""

from __future__ import annotations

import json

from click.testing import CliRunner

from streams.bench_stages import STAGES, run_bench
from streams.cli import main


def test_bench_stages_json_has_every_stage_and_one_digest_for_every_repeat() -> None:
    result = CliRunner().invoke(main, ["bench", "stages", "--articles", "4", "--repeat", "2", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["articles"] == 4
    assert len(figures["passes"]) == 2
    assert set(figures["median_cpu_ms_per_article"]) == {*STAGES, "all"}
    assert figures["median_articles_per_s"]["all"] > 0
    assert len(figures["digests"]) == 1  # the same articles give the same messages every repeat


def test_bench_stages_table_prints_the_rate_through_all_stages() -> None:
    result = CliRunner().invoke(main, ["bench", "stages", "--articles", "2", "--repeat", "1"])
    assert result.exit_code == 0, result.output
    assert "articles/s through all stages" in result.output and "output digest" in result.output


def test_every_article_is_timed_in_every_stage_it_reaches() -> None:
    result = run_bench(articles=3, repeat=1)
    (one,) = result.passes
    assert one.articles == 3 and one.cpu["clean"] > 0 and one.cpu["extract"] > 0 and one.messages >= 3


def test_coding_in_batches_gives_the_same_messages_as_one_by_one() -> None:
    one_by_one = run_bench(articles=12, repeat=1)
    batched = run_bench(articles=12, repeat=1, batch=5)
    assert batched.batch == 5 and one_by_one.passes[0].messages > 12
    assert batched.passes[0].digest == one_by_one.passes[0].digest
