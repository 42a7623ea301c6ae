"""Topic provisioning: every topic created with its partitions, idempotently; a mismatch stops the worker early."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.broker import EmbeddedBroker
from streams.settings import Settings
from streams.topics import TopicMismatch, ensure_topics, wanted_topics

pytestmark = pytest.mark.integration


async def _partitions(bootstrap: str, topics: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return {d["topic"]: len(d["partitions"]) for d in await admin.describe_topics(topics)}
    finally:
        await admin.close()


def test_every_topic_is_created_with_its_partitions_once(broker: EmbeddedBroker) -> None:
    settings = Settings(broker=broker.url, app_id="topics-a", partitions=3)
    wanted = wanted_topics(settings)
    assert set(asyncio.run(ensure_topics(settings))) == set(wanted)
    assert asyncio.run(_partitions(broker.bootstrap, list(wanted))) == wanted
    assert asyncio.run(ensure_topics(settings)) == []


def test_source_topic_with_other_partitions_is_refused_with_the_fix(broker: EmbeddedBroker) -> None:
    settings = Settings(broker=broker.url, app_id="topics-b", topic_clean="clean-b", partitions=2)

    async def precreate() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
        await admin.start()
        await admin.create_topics([NewTopic("clean-b", num_partitions=4, replication_factor=1)])
        await admin.close()

    asyncio.run(precreate())
    with pytest.raises(TopicMismatch, match="clean-b has 4 partitions but needs 2; set WIREWATCH_PARTITIONS=4"):
        asyncio.run(ensure_topics(settings))
