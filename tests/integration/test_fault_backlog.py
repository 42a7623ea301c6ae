"""Articles arriving faster than extract codes them: the worker stops fetching raw articles while
clean is more than WIREWATCH_CLEAN_AHEAD_ARTICLES ahead of extract, and every article still goes
through every stage.

Clean is two to three times faster than extract, so without the bound it would run most of the
stream ahead of it (a soak saw clean 22,000 articles ahead).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from schemas import CleanArticle
from streams.broker import EmbeddedBroker
from streams.demo import scrape_counter, stage_done
from tests.integration.faults import read_all, short_articles
from tests.integration.harness import WorkerProcess, produce_aiokafka, wait_processed, worker_running

pytestmark = pytest.mark.integration

AHEAD = 10
ARTICLES = 300
PER_S = 80.0  # published at; extract codes ~30/s, clean ~80–100/s
READ_AHEAD = 8  # WIREWATCH_STREAM_BUFFER_MESSAGES
POLL = 16  # WIREWATCH_MAX_POLL_RECORDS
# What clean may still run past the bound: what was handed to the agents before the gate closed
# (a poll and the read-ahead buffer), and ~0.1 s of cleaning between the gate's looks.
SLACK = POLL + READ_AHEAD + 16


@pytest.fixture(scope="module")
def bounded_worker(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    with worker_running(
        broker.bootstrap,
        tmp_path_factory.mktemp("bounded"),
        WIREWATCH_CLEAN_AHEAD_ARTICLES=str(AHEAD),
        WIREWATCH_STREAM_BUFFER_MESSAGES=str(READ_AHEAD),
        WIREWATCH_MAX_POLL_RECORDS=str(POLL),
    ) as process:
        yield process


async def _publish_at(bootstrap: str, messages: list[tuple[bytes, bytes]], per_s: float) -> int:
    sent = 0
    started = time.monotonic()
    for chunk in range(0, len(messages), 8):
        sent += await produce_aiokafka(bootstrap, "articles.raw", messages[chunk : chunk + 8])
        await asyncio.sleep(max(0.0, started + sent / per_s - time.monotonic()))
    return sent


@dataclass
class Run:
    most_ahead: float  # the most articles clean had finished beyond extract, over the run
    held_s: float
    clean_ids: set[str]


@pytest.fixture(scope="module")
def run(broker: EmbeddedBroker, bounded_worker: WorkerProcess) -> Run:
    gaps: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            done = stage_done(bounded_worker.metrics_url)
            gaps.append(done.get("clean", 0) - done.get("extract", 0))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        messages = short_articles("backlog", ARTICLES, per_article=8)
        assert asyncio.run(_publish_at(broker.bootstrap, messages, PER_S)) == ARTICLES
        wait_processed(bounded_worker, ARTICLES)
    finally:
        stop.set()
        watcher.join(5)
    held = scrape_counter(bounded_worker.metrics_url, "wirewatch_stage_held_seconds", "stage", suffix="_total")
    clean = read_all(broker.bootstrap, ["articles.clean"])["articles.clean"]
    return Run(max(gaps), held.get("clean", 0.0), {CleanArticle.from_json(v).id for v in clean})


def test_clean_waited_for_extract(run: Run) -> None:
    assert run.held_s > 0


def test_clean_stays_within_its_bound_of_extract(run: Run) -> None:
    assert run.most_ahead <= AHEAD + SLACK, run.most_ahead


def test_every_article_of_the_backlog_went_through(run: Run) -> None:
    assert run.clean_ids == {f"backlog-{i:03d}" for i in range(ARTICLES)}
