"""A broker slow to take what the worker produces, while a backlog of large articles waits:
backpressure, not memory. The worker reads only a bounded number of records ahead of each agent
(``WIREWATCH_STREAM_BUFFER_MESSAGES``), so its memory stays bounded however large the backlog;
nothing is lost, and everything is processed once the slowdown ends.

The slowdown is the TCP proxy of tests/integration/faults.py throttling what the worker's
connections send (those of Faust's client id), so the test's own clients publish and read at
full speed. No assertion on speed (the machine is shared): the bound is on memory.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
import pytest

from tests.integration.faults import (
    UPSTREAM,
    TcpProxy,
    by_id,
    clean_problems,
    offline,
    proxied_broker,
    published_clean,
    read_all,
    short_articles,
    tree_memory,
    wait_caught_up,
    wait_until,
)
from tests.integration.harness import produce_aiokafka, start_worker, worker_env

pytestmark = pytest.mark.integration

MB = 1024 * 1024
PADDING = MB - 4096
"""Bytes of script each raw article carries (the clean stage drops it): a backlog heavy in bytes."""
WARM_UP = 10
BACKLOG = 250
"""Articles published while the broker is slow: ~250 MB (past the corpus's distinct sentences
some are copies of earlier ones; on one partition they are flagged as the offline run flags them)."""
SLOW_BYTES_PER_S = 4096.0
"""What each of the worker's connections may send per second during the slowdown."""
SLOW_S = 12.0
MARGIN = 128 * MB
"""Growth of the worker's memory allowed over its level after warm-up: under half the backlog.
The read-ahead bound is ~32 MB here (one partition: 4/5 of 32 records of 1 MB, and a fetch of up
to 8 MB). Measured here: +28-64 MB while slow and +53-93 MB at the peak of the drain (the
allocator keeps some of the freed megabyte buffers), the same with backlogs of 130, 200, 250
and 300 MB; with Faust's default read-ahead (4096 records) the worker read the whole backlog into
memory while it could not publish (+189 MB while slow, +213 MB draining, for 200 MB)."""


def _heavy(articles: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The articles as HTML pages carrying ``PADDING`` bytes of script."""
    script = "var tracking = 1;" * (PADDING // 17)
    out = []
    for key, value in articles:
        raw = orjson.loads(value)
        body = f"<article><p>{raw.pop('text')}</p></article>"
        raw["html"] = f"<html><head><script>{script}</script></head><body>{body}</body></html>"
        out.append((key, orjson.dumps(raw)))
    return out


ARTICLES = _heavy(short_articles("slow", WARM_UP + BACKLOG, per_article=1))


@dataclass
class Run:
    outputs: dict[str, list[bytes]]
    memory_warm: int
    memory_peak_slow: int
    memory_peak_after: int
    cleaned_when_slow_ended: float
    alive: bool


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    """The module's TCP proxy, with the broker behind it (which tells every client to connect to the proxy)."""
    with proxied_broker() as (running, _broker):
        yield running


@pytest.fixture(scope="module")
def run(proxy: TcpProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("slow")
    # One partition: the whole backlog waits behind one agent's read-ahead.
    env = worker_env(proxy.address, tmp, WIREWATCH_PARTITIONS="1")
    worker = start_worker(env, tmp)
    try:
        worker.wait_ready()
        asyncio.run(produce_aiokafka(proxy.address, "articles.raw", ARTICLES[:WARM_UP]))
        wait_until(worker, lambda: published_clean(worker) >= WARM_UP, "warm-up articles cleaned")
        warm = tree_memory(worker)
        proxy.throttle(UPSTREAM, SLOW_BYTES_PER_S, client_id="faust")
        asyncio.run(produce_aiokafka(proxy.address, "articles.raw", ARTICLES[WARM_UP:]))
        peak_slow = warm
        ends = time.monotonic() + SLOW_S
        while time.monotonic() < ends:  # the slowdown lasts this long; memory is sampled throughout
            assert worker.alive(), worker.log()[-3000:]
            peak_slow = max(peak_slow, tree_memory(worker))
            time.sleep(0.2)
        cleaned = published_clean(worker)
        proxy.throttle(UPSTREAM, None)
        peak_after = peak_slow

        def all_cleaned() -> bool:
            nonlocal peak_after
            peak_after = max(peak_after, tree_memory(worker))
            return published_clean(worker) >= len(ARTICLES)

        wait_until(worker, all_cleaned, "every article cleaned", timeout=150)
        wait_caught_up(proxy.address, env["WIREWATCH_APP_ID"], worker)
        print(f"\nmemory (Pss) after warm-up {warm / MB:.0f} MB, peak while slow {peak_slow / MB:.0f} MB, ", end="")
        print(f"peak while draining {peak_after / MB:.0f} MB; cleaned when the slowdown ended: {cleaned:.0f}")
        outputs = read_all(proxy.address, ["articles.clean", "articles.deadletter"])
        yield Run(outputs, warm, peak_slow, peak_after, cleaned, worker.alive())
    finally:
        worker.stop()


def test_the_slow_broker_held_the_worker_back(run: Run) -> None:
    assert run.cleaned_when_slow_ended < len(ARTICLES) / 2


def test_memory_stays_bounded_while_the_broker_is_slow(run: Run) -> None:
    assert run.memory_peak_slow - run.memory_warm <= MARGIN, (run.memory_warm / MB, run.memory_peak_slow / MB)


def test_memory_stays_bounded_while_the_backlog_drains(run: Run) -> None:
    assert run.memory_peak_after - run.memory_warm <= MARGIN, (run.memory_warm / MB, run.memory_peak_after / MB)


def test_every_article_is_processed_once_the_slowdown_ends(run: Run) -> None:
    assert run.alive
    assert clean_problems(by_id(run.outputs["articles.clean"]), by_id(offline(ARTICLES)["articles.clean"])) == []
    assert run.outputs["articles.deadletter"] == []
