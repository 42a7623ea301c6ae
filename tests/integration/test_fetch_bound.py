"""The worker's fetch size bound (WIREWATCH_FETCH_MAX_BYTES) never holds a large record back: a
broker returns the first record batch of a fetch whatever its size (Kafka's rule since 0.10.1,
and the embedded broker's), so a bound smaller than a record bounds memory without stalling."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.broker import EmbeddedBroker

BOUND = 1024 * 1024


async def _fetched_sizes(bootstrap: str, values: list[bytes]) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic("large", num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=16 * 1024 * 1024)
    await producer.start()
    try:
        for value in values:
            await (await producer.send("large", value))
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_bytes=BOUND, max_partition_fetch_bytes=BOUND
    )
    await consumer.start()
    sizes: list[int] = []
    try:
        tp = TopicPartition("large", 0)
        consumer.assign([tp])
        consumer.seek(tp, 0)
        for _ in range(20):
            got = await consumer.getmany(tp, timeout_ms=1000)
            sizes += [len(record.value or b"") for record in got.get(tp, [])]
            if len(sizes) >= len(values):
                break
    finally:
        await consumer.stop()
    return sizes


def test_a_record_three_times_the_fetch_bound_arrives_and_so_do_those_after_it(broker: EmbeddedBroker) -> None:
    values = [b"y" * (3 * BOUND), b"after"]
    assert asyncio.run(_fetched_sizes(broker.bootstrap, values)) == [3 * BOUND, 5]
