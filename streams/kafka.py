"""aiokafka clients for the CLI (produce, tail, demo, topics, bench), configured from Settings.

Every aiokafka client Wirewatch makes outside Faust comes from :func:`new_producer`,
:func:`new_consumer` or :func:`new_admin`, which apply the broker list and the security
settings (``streams.security``); :func:`start_client` starts one with a clear error when it cannot connect.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from streams import security
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


class BrokerConnectError(Exception):
    """A client could not connect to (or log in at) the brokers; the message never holds a secret."""

    user_error = True  # the CLI shows the message alone


def client_config(settings: Settings, **kwargs: Any) -> dict[str, Any]:
    """Keyword arguments of any aiokafka client: the bootstrap servers, the security settings, then ``kwargs``."""
    return {"bootstrap_servers": bootstrap_servers(settings.broker), **security.client_kwargs(settings), **kwargs}


def new_producer(settings: Settings, **kwargs: Any) -> AIOKafkaProducer:
    """An ``AIOKafkaProducer`` for the configured brokers and security settings."""
    return AIOKafkaProducer(**client_config(settings, **kwargs))


def new_consumer(settings: Settings, *topics: str, **kwargs: Any) -> AIOKafkaConsumer:
    """An ``AIOKafkaConsumer`` for the configured brokers and security settings."""
    return AIOKafkaConsumer(*topics, **client_config(settings, **kwargs))


def new_admin(settings: Settings, **kwargs: Any) -> AIOKafkaAdminClient:
    """An ``AIOKafkaAdminClient`` for the configured brokers and security settings."""
    return AIOKafkaAdminClient(**client_config(settings, **kwargs))


class _Startable(Protocol):
    async def start(self) -> None: ...


async def start_client(client: _Startable, settings: Settings, timeout: float = 60.0) -> None:
    """Start ``client``; a failure to connect or log in (or no answer in ``timeout`` s) raises BrokerConnectError.

    aiokafka reports a failed SASL login in many shapes (a connection error, an
    authentication error, a ``KeyError`` from its SCRAM parser); the message says which
    brokers and which security settings, never the password.
    """
    try:
        await asyncio.wait_for(client.start(), timeout)
    except Exception as exc:  # noqa: BLE001 - every failure to start is a connection failure to the user
        close = getattr(client, "stop", None) or getattr(client, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()
        name, text = type(exc).__name__, str(exc)
        detail = text if text.startswith(name) else f"{name}: {text}" if text else name
        if settings.sasl_password is not None:
            detail = detail.replace(settings.sasl_password.get_secret_value(), "**********")
        raise BrokerConnectError(
            f"K001: cannot connect to {bootstrap_servers(settings.broker)} with {security.describe(settings)} "
            f"({detail}); check that the broker runs and that WIREWATCH_SECURITY_PROTOCOL and the "
            "WIREWATCH_SASL_*/WIREWATCH_SSL_* settings match its listener"
        ) from None


async def log_end_offsets(
    consumer: AIOKafkaConsumer, partitions: Iterable[TopicPartition], timeout: float = 10.0
) -> dict[TopicPartition, int]:
    """The offset after each partition's last record (its high watermark), whatever the broker lists.

    The embedded broker (Tansu 0.6) lists a partition's end (ListOffsets "latest") as the base
    offset of its last record *batch* + 1, short of the end when that batch holds several
    records, while its fetch responses carry the right high watermark. So: list the ends, fetch
    once from just before each non-zero one, and take the larger of the two. On Apache Kafka
    they agree, at the cost of one small fetch per partition. Used wherever an end decides
    something (Faust's table recovery reads a changelog up to it; tail's start; tests' lag).
    ``consumer`` is started and not subscribed; its assignment and positions are replaced. A
    partition whose fetch does not answer within ``timeout`` s keeps its listed end.
    """
    partitions = list(partitions)
    ends: dict[TopicPartition, int] = dict(await consumer.end_offsets(partitions))
    pending = {tp for tp, end in ends.items() if end > 0}
    if not pending:
        return ends
    consumer.assign(sorted(pending))
    for tp in pending:
        consumer.seek(tp, ends[tp] - 1)
    deadline = asyncio.get_running_loop().time() + timeout
    while pending and asyncio.get_running_loop().time() < deadline:
        await consumer.getmany(*pending, timeout_ms=200, max_records=1)
        for tp in list(pending):
            highwater = consumer.highwater(tp)
            if highwater is not None:
                ends[tp] = max(ends[tp], highwater)
                pending.discard(tp)
    return ends


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
    producer = new_producer(
        settings, max_request_size=max(settings.max_message_bytes * 4, 1_048_576), request_timeout_ms=30_000
    )
    summary = ProduceSummary()
    await start_client(producer, settings)
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
    consumer = new_consumer(
        settings,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        fetch_max_bytes=max(settings.max_message_bytes * 4, 52_428_800),
        max_partition_fetch_bytes=max(settings.max_message_bytes * 4, 1_048_576),
        fetch_max_wait_ms=max(1, round(settings.fetch_max_wait_s * 1000)),
    )
    await start_client(consumer, settings)
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
        if from_beginning:
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
        else:  # positioned now, not lazily at the first fetch, and past a batch listed short
            ends = await log_end_offsets(consumer, partitions)
            consumer.assign(partitions)
            for tp in partitions:
                consumer.seek(tp, ends[tp])
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
