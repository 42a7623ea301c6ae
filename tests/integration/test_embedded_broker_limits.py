"""What the embedded broker (Tansu 0.6, memory engine) cannot do, which bounds what can be run on it.

It keeps every record for the life of the process (no retention) and stores each produced batch
as an object that a fetch behind the end lists in full, so reading a partition costs more the
more batches it holds (1–1.4 ms per 1,000 one-record batches, `wirewatch bench broker`, 2026-11-28). A 100,000-article
soak therefore starves the one-partition ``articles-cleaned`` topic; purging consumed records
would bound it, but the broker does not implement DeleteRecords. When this test fails, it does:
the soak can then purge and run to the end on the embedded broker.
"""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.records_to_delete import RecordsToDelete
from aiokafka.errors import KafkaConnectionError

from streams.broker import EmbeddedBroker


async def _delete_records_below(bootstrap: str, offset: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        await admin.create_topics([NewTopic("purged", num_partitions=1, replication_factor=1)])
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            for i in range(offset + 2):
                await (await producer.send("purged", f"record {i}".encode()))
        finally:
            await producer.stop()
        await admin.delete_records({TopicPartition("purged", 0): RecordsToDelete(offset)}, timeout_ms=5000)
    finally:
        await admin.close()


def test_the_embedded_broker_does_not_implement_delete_records(broker: EmbeddedBroker) -> None:
    with pytest.raises(KafkaConnectionError):
        asyncio.run(_delete_records_below(broker.bootstrap, 3))
