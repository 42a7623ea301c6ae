"""A worker SIGKILLed while articles flow (as the OOM killer would) and restarted with the same
app id loses no article: the restart resumes from the group's committed offsets, what the dead
worker had processed but not committed is processed again and published again byte-identically,
and the events are the ones the offline run codes.

(The alert windows across a kill are tests/integration/test_alert_state_survives_sigkill.py;
this is the article path: raw → clean → events.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from streams.broker import EmbeddedBroker
from tests.integration.faults import (
    Feeder,
    OutputsAsOffline,
    committed,
    offline,
    published_clean,
    read_all,
    read_raw,
    short_articles,
    sigkill_tree,
    wait_caught_up,
    wait_until,
)
from tests.integration.harness import start_worker, worker_env

pytestmark = pytest.mark.integration

ARTICLES = short_articles("kill", 60)
KILL_AFTER = 15
"""Raw articles the group has committed when the first worker is killed (it has done more, uncommitted)."""
RAW = "articles.raw"
TOPICS = ["articles.clean", "events", "articles.deadletter"]


@dataclass
class Run:
    outputs: dict[str, list[bytes]]
    published_before_kill: int
    cleaned_before_kill: float
    committed_before_kill: int
    read_after_restart: float


@pytest.fixture(scope="module")
def run(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("sigkill-restart")
    env = worker_env(broker.bootstrap, tmp)
    app_id = env["WIREWATCH_APP_ID"]
    feeder = Feeder(broker.bootstrap, RAW, ARTICLES, every=0.1)
    first = start_worker(env, tmp)
    second = None
    try:
        first.wait_ready()
        feeder.allow(len(ARTICLES))
        # Past a commit, and with articles cleaned since the last commit seen: work the kill takes away.
        wait_until(first, lambda: committed(broker.bootstrap, app_id, RAW) >= KILL_AFTER, "a commit")
        since = committed(broker.bootstrap, app_id, RAW)
        wait_until(first, lambda: published_clean(first) >= since + 3, "articles cleaned past the commit")
        cleaned = published_clean(first)
        sigkill_tree(first)
        published, done = feeder.sent, committed(broker.bootstrap, app_id, RAW)
        second = start_worker(env, tmp)  # same app id: same group, offsets and changelogs; empty memory
        second.wait_ready()
        feeder.wait_sent(len(ARTICLES))
        wait_caught_up(broker.bootstrap, app_id, second)
        read = read_raw(second)
        return Run(read_all(broker.bootstrap, TOPICS), published, cleaned, done, read)
    finally:
        first.stop()
        if second is not None:
            second.stop()


@pytest.fixture(scope="module")
def expected() -> dict[str, list[bytes]]:
    return offline(ARTICLES)


def test_the_kill_came_while_articles_were_flowing(run: Run) -> None:
    assert KILL_AFTER <= run.committed_before_kill < run.cleaned_before_kill  # processed, not committed
    assert run.published_before_kill < len(ARTICLES)


def test_the_restarted_worker_resumes_from_the_committed_offsets_not_from_the_start(run: Run) -> None:
    # At least everything after the commit; a rebalance while it joins may repeat a few more.
    assert len(ARTICLES) - run.committed_before_kill <= run.read_after_restart < len(ARTICLES)


class TestOutputs(OutputsAsOffline):
    """Every article on articles.clean (repeats identical), events as offline, one story per id, no dead letter."""
