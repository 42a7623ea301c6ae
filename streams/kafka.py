"""Plain aiokafka clients for the CLI (produce, tail, demo), configured from Settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from streams.inputs import InputMessage
from streams.settings import Settings


def bootstrap_servers(broker_url: str) -> str:
    """Faust's ``kafka://h1:p1;h2:p2`` as aiokafka's ``h1:p1,h2:p2``."""
    hosts = []
    for part in broker_url.replace(",", ";").split(";"):
        part = part.strip()
        if "://" in part:
            part = part.split("://", 1)[1]
        if part:
            hosts.append(part.rstrip("/"))
    return ",".join(hosts)


@dataclass
class ProduceSummary:
    sent: int = 0
    failed: int = 0


async def produce(
    settings: Settings,
    messages: Iterable[InputMessage],
    topic: str,
    on_result: Callable[[InputMessage, BaseException | None], None] | None = None,
) -> ProduceSummary:
    """Publish ``messages`` to ``topic``, waiting for every ack; failures are counted, not raised."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(settings.broker),
        max_request_size=max(settings.max_message_bytes * 4, 1_048_576),
        request_timeout_ms=30_000,
    )
    summary = ProduceSummary()
    await producer.start()
    try:
        for message in messages:
            error: BaseException | None = None
            try:
                fut = await producer.send(topic, message.value, key=message.key)
                await fut
                summary.sent += 1
            except Exception as exc:  # noqa: BLE001 - one failed message must not stop the rest
                summary.failed += 1
                error = exc
            if on_result is not None:
                on_result(message, error)
    finally:
        await producer.stop()
    return summary


async def consume(
    settings: Settings,
    topics: list[str],
    *,
    from_beginning: bool = True,
    idle_timeout: float | None = None,
    ready: asyncio.Event | None = None,
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Every record of ``topics`` (all partitions, no consumer group); stops after ``idle_timeout`` s of silence.

    ``ready`` is set once the consumer is positioned, so a caller can publish after it
    without missing its own messages.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(settings.broker),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        fetch_max_bytes=max(settings.max_message_bytes * 4, 52_428_800),
        max_partition_fetch_bytes=max(settings.max_message_bytes * 4, 1_048_576),
        fetch_max_wait_ms=max(1, round(settings.fetch_max_wait_s * 1000)),
    )
    await consumer.start()
    try:
        partitions: list[TopicPartition] = []
        for topic in topics:
            for _ in range(50):  # the topic may not exist yet: the worker creates it
                await consumer.topics()  # refreshes the cluster metadata
                ids = consumer.partitions_for_topic(topic)
                if ids:
                    partitions.extend(TopicPartition(topic, p) for p in sorted(ids))
                    break
                await asyncio.sleep(0.2)
        consumer.assign(partitions)
        if from_beginning:
            await consumer.seek_to_beginning(*partitions)
        else:
            await consumer.seek_to_end(*partitions)
            for tp in partitions:  # resolve the end offsets now, not lazily at the first fetch
                await consumer.position(tp)
        if ready is not None:
            ready.set()
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if idle_timeout is not None:
                    idle_timeout -= 0.5
                    if idle_timeout <= 0:
                        return
                continue
            for records in batch.values():
                for record in records:
                    yield record
    finally:
        await consumer.stop()
