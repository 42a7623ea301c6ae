"""The duplicate index lives in a changelog-backed table: a restarted worker still knows what it saw."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from schemas import CleanArticle
from streams.broker import EmbeddedBroker
from tests.integration.harness import collect_aiokafka, produce_aiokafka, start_worker, wait_processed, worker_env

pytestmark = pytest.mark.integration

STORY = (
    "Police in Nairobi fired tear gas at protesters marching on parliament on Tuesday, witnesses said.\n\n"
    "The demonstrators were marking the anniversary of last year's protests against a finance bill, "
    "and several hundred gathered near the central business district before noon.\n\n"
    "The interior ministry said 40 people had been arrested and that officers had acted to protect property."
)


def test_copy_published_after_a_restart_is_still_flagged(
    broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("restart")
    env = worker_env(broker.bootstrap, tmp)
    first = start_worker(env, tmp)
    try:
        first.wait_ready()
        asyncio.run(
            produce_aiokafka(broker.bootstrap, "articles.raw", [(b"a", orjson.dumps({"id": "a", "text": STORY}))])
        )
        wait_processed(first, 1)
    finally:
        first.stop()
    assert first.process.returncode == 0, first.log()[-3000:]

    second = start_worker(env, tmp)  # same app id: same group, same changelog; memory store starts empty
    try:
        second.wait_ready()
        copy = STORY.replace("on Tuesday", "on Tuesday afternoon") + "\n\nShare this article"
        asyncio.run(
            produce_aiokafka(broker.bootstrap, "articles.raw", [(b"b", orjson.dumps({"id": "b", "text": copy}))])
        )
        wait_processed(second, 1)
    finally:
        second.stop()
    collected = asyncio.run(
        collect_aiokafka(broker.bootstrap, ["articles.clean"], until=lambda c: len(c["articles.clean"]) >= 2)
    )
    verdicts = {a.id: a.duplicate_of for a in map(CleanArticle.from_json, collected["articles.clean"])}
    assert verdicts == {"a": None, "b": "a"}
