"""A 10 s network outage between a worker and the broker, in the middle of a stream: the worker
rides it out without a restart (same process, never exits), loses nothing, and reports itself
ready again once the network is back.

The embedded broker loses everything when restarted, so the network is cut instead: the broker
advertises the port of a TCP proxy (tests/integration/faults.py) and every connection goes
through it; ``cut()`` resets the open connections and every new one until ``restore()``.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from streams.demo import scrape_counter
from tests.integration.faults import (
    OutputsAsOffline,
    ProxyStats,
    TcpProxy,
    offline,
    proxied_broker,
    published_clean,
    read_all,
    short_articles,
    wait_caught_up,
    wait_until,
)
from tests.integration.harness import WorkerProcess, produce_aiokafka, worker_running

pytestmark = pytest.mark.integration

OUTAGE_S = 10.0
BEFORE = short_articles("outage", 60)[:40]
"""Published before the outage: the worker is in the middle of them when the network goes."""
AFTER = short_articles("outage", 60)[40:]
"""Published once the network is back."""
CUT_AFTER = 8
"""Articles the worker has published on articles.clean when the network goes."""
TOPICS = ["articles.clean", "events", "articles.deadletter"]


@dataclass
class Run:
    outputs: dict[str, list[bytes]]
    pid_before: int
    pid_after: int
    alive_after: bool
    cleaned_at_cut: float
    proxy: ProxyStats
    ready_during: list[tuple[int, dict[str, object]]]
    """/readyz every 0.5 s while the network was cut."""
    ready_after: tuple[int, dict[str, object]]
    lag_after: dict[str, float]


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    """The module's TCP proxy, with the broker behind it (which tells every client to connect to the proxy)."""
    with proxied_broker() as (running, _broker):
        yield running


def _readyz(worker: WorkerProcess) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{worker.web_port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # a loopback URL we built
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _lag(worker: WorkerProcess) -> dict[str, float]:
    return scrape_counter(worker.metrics_url, "wirewatch_consumer_lag", "topic", suffix="")


@pytest.fixture(scope="module")
def run(proxy: TcpProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("outage")
    # bootstrap through the proxy; the broker advertises it too
    with worker_running(proxy.address, tmp) as worker:
        pid = worker.process.pid
        asyncio.run(produce_aiokafka(proxy.address, "articles.raw", BEFORE))
        wait_until(worker, lambda: published_clean(worker) >= CUT_AFTER, f"{CUT_AFTER} articles cleaned")
        cleaned = published_clean(worker)
        proxy.cut()
        ready_during: list[tuple[int, dict[str, object]]] = []
        restore_at = time.monotonic() + OUTAGE_S  # the outage itself: nothing to wait for but time
        while time.monotonic() < restore_at:
            time.sleep(min(0.5, max(0.0, restore_at - time.monotonic())))
            ready_during.append(_readyz(worker))
        proxy.restore()
        asyncio.run(produce_aiokafka(proxy.address, "articles.raw", AFTER))
        wait_caught_up(proxy.address, worker.env["WIREWATCH_APP_ID"], worker, timeout=150)
        yield Run(
            outputs=read_all(proxy.address, TOPICS),
            pid_before=pid,
            pid_after=worker.process.pid,
            alive_after=worker.alive(),
            cleaned_at_cut=cleaned,
            proxy=proxy.stats,
            ready_during=ready_during,
            ready_after=_readyz(worker),
            lag_after=_lag(worker),
        )


@pytest.fixture(scope="module")
def expected() -> dict[str, list[bytes]]:
    return offline(BEFORE + AFTER)


def test_the_network_went_while_the_worker_was_in_the_middle_of_the_stream(run: Run) -> None:
    assert CUT_AFTER <= run.cleaned_at_cut < len(BEFORE)
    assert run.proxy.reset_open > 0  # the worker's connections were reset
    assert run.proxy.reset_on_accept > 0  # and it tried to reconnect during the outage


def test_the_worker_rides_out_the_outage_without_a_restart(run: Run) -> None:
    assert run.alive_after and run.pid_after == run.pid_before


def test_the_worker_reports_itself_not_ready_while_the_broker_is_unreachable(run: Run) -> None:
    reason = "consumer: group coordinator unknown (broker unreachable)"
    answers = [(status, body["not_ready"]) for status, body in run.ready_during]
    assert any(status == 503 and reason in problems for status, problems in answers), answers
    # the last answers of the outage too: it is not a moment's flicker
    assert all(status == 503 for status, _ in answers[-4:]), answers


def test_the_worker_is_ready_again_with_no_lag(run: Run) -> None:
    assert run.ready_after == (200, {"ready": True, "not_ready": []})
    assert run.lag_after and not any(run.lag_after.values()), run.lag_after


class TestOutputs(OutputsAsOffline):
    """Every article on articles.clean (repeats identical), events as offline, one story per id, no dead letter."""
