"""A partition's end is the offset after its last record, also where the broker lists it short.

The embedded broker lists the end (ListOffsets "latest") as its last record batch's base
offset + 1; producers that batch (aiokafka's default, the worker's since its producer batches)
leave it short. Faust's table recovery reads each changelog up to that end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faust.types import TP

from streams.app import create_app
from streams.broker import EmbeddedBroker, free_port
from streams.kafka import log_end_offsets
from streams.settings import Settings


@pytest.fixture(scope="module")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(port=free_port()) as embedded:
        yield embedded


async def _publish_batches(bootstrap: str, topic: str, sizes: dict[int, list[int]]) -> None:
    """A topic of 3 partitions with, per partition, one record batch of each size in ``sizes[partition]``."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for partition, batches in sizes.items():
            for size in batches:
                batch = producer.create_batch()
                for i in range(size):
                    assert batch.append(key=None, value=f"{partition}-{i}".encode(), timestamp=None) is not None
                await (await producer.send_batch(batch, topic, partition=partition))
    finally:
        await producer.stop()


async def _ends(bootstrap: str, partitions: list[TopicPartition], *, listed: bool) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        if listed:
            return dict(await consumer.end_offsets(partitions))
        return await log_end_offsets(consumer, partitions)
    finally:
        await consumer.stop()


def _topic(broker: EmbeddedBroker, name: str, sizes: dict[int, list[int]]) -> list[TopicPartition]:
    asyncio.run(_publish_batches(broker.bootstrap, name, sizes))
    return [TopicPartition(name, p) for p in range(3)]


def test_the_embedded_broker_lists_the_end_of_a_multi_record_batch_short(broker: EmbeddedBroker) -> None:
    partitions = _topic(broker, "listed-short", {0: [5]})
    assert asyncio.run(_ends(broker.bootstrap, partitions, listed=True))[partitions[0]] == 1


def test_the_log_end_is_the_offset_after_the_last_record(broker: EmbeddedBroker) -> None:
    # partition 0 ends with a batch of 4, partition 1 with a batch of 1, partition 2 is empty
    partitions = _topic(broker, "log-ends", {0: [3, 4], 1: [2, 1]})
    ends = asyncio.run(_ends(broker.bootstrap, partitions, listed=False))
    assert [ends[tp] for tp in partitions] == [7, 3, 0]


def test_the_worker_recovers_tables_up_to_the_log_end(broker: EmbeddedBroker) -> None:
    partitions = _topic(broker, "changelog-like", {0: [2, 6], 1: [1]})
    settings = Settings(broker=f"kafka://{broker.bootstrap}", app_id="wirewatch-log-ends-test")

    async def recovery_ends() -> list[int]:
        app = create_app(settings)
        ends = await app.consumer._thread._highwaters([TP(tp.topic, tp.partition) for tp in partitions])
        return [ends[TP(tp.topic, tp.partition)] for tp in partitions]

    assert asyncio.run(recovery_ends()) == [8, 1, 0]
