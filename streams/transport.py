"""Faust's aiokafka transport with the consumer's fetch wait configurable, and the seek after a
rebalance made safe (nothing fetched during it is skipped; see ``_Consumer.perform_seek`` and
``_ConsumerThread._seek_to_committed_or_reset``; both are tested by the lifecycle and scale-out
tests, which lost articles without them).

faust-streaming 0.15.3 builds the worker's ``AIOKafkaConsumer`` with ``fetch_max_wait_ms=1500``
written into the driver, with no setting for it. A broker that answers a fetch as soon as a
record arrives (Apache Kafka) only pays that wait when idle; the embedded broker (Tansu) does
not wake a waiting fetch when a record is produced, so a record waits a large part of the
fetch wait at every hop: one consumer of a 4-partition topic saw a record ~480 ms after its
ack at 1500 ms, ~65 ms at 500, ~17 ms at 100; the worker's hops took ~0.4-0.7 s at 1500 ms and
~40 ms at 100, and an article crosses six hops on its way to an alert.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from aiokafka import TopicPartition
from faust.transport.drivers import aiokafka as driver

from streams.kafka import log_end_offsets

log = logging.getLogger(__name__)


def _set_fetch_option(consumer: Any, option: str, value: int) -> None:
    """Set an ``AIOKafkaConsumer`` fetch option Faust passes no setting for. aiokafka keeps the
    constructor's options as ``_<option>`` and reads them when start() builds its Fetcher, which
    comes later; fail loudly if a new aiokafka keeps them otherwise."""
    attribute = f"_{option}"
    if not hasattr(consumer, attribute) or consumer._fetcher is not None:
        raise RuntimeError(f"this aiokafka version takes {option} differently; update streams/transport.py")
    setattr(consumer, attribute, value)


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        for setting in ("fetch_max_wait_ms", "fetch_max_bytes"):
            value = getattr(transport, setting, None)
            if value is not None:
                _set_fetch_option(consumer, setting, value)
        return consumer

    async def _highwaters(self, partitions: list[Any]) -> Mapping[Any, int]:
        """The changelog ends Faust's table recovery reads up to, checked against a fetch
        (:func:`streams.kafka.log_end_offsets`): the embedded broker lists an end short of a
        multi-record batch, and a recovery that stops there loses the table's last writes.
        A client consumer of its own, so the worker consumer's positions are left alone."""
        if self.consumer.in_transaction:
            return cast(Mapping[Any, int], await super()._highwaters(partitions))
        probe = self._create_client_consumer(cast(driver.Transport, self.transport))
        await probe.start()
        try:
            ends = await log_end_offsets(probe, partitions)
        finally:
            await probe.stop()
        return {tp: ends[TopicPartition(tp.topic, tp.partition)] for tp in partitions}

    async def seek_to_committed(self) -> Mapping[Any, int]:
        return cast(Mapping[Any, int], await self.call_thread(self._seek_to_committed_or_reset))

    async def _seek_to_committed_or_reset(self) -> Mapping[Any, int]:
        """aiokafka's seek to the committed offsets, and where a stream partition has none, the
        seek the reset policy asks for (earliest: the log's start).

        aiokafka seeks only partitions with a committed offset, so one with none stays where
        the fetcher had got to; Faust's recovery then clears what was fetched (unprocessed)
        and, with no committed offset to compare with, commits past it: the first records of a
        partition nobody had committed on yet were lost (the lifecycle test lost the first
        three articles of a partition that got its first articles while no worker ran).
        Changelogs are left alone: the tables seek them themselves.
        """
        consumer = self._ensure_consumer()
        committed: Mapping[Any, int] = await consumer.seek_to_committed()
        changelogs = self.app.tables.changelog_topics
        unset = [tp for tp, offset in committed.items() if not offset and tp.topic not in changelogs]
        if unset:
            policy = self.app.conf.consumer_auto_offset_reset
            if policy == "earliest":
                await consumer.seek_to_beginning(*unset)
            elif policy == "latest":
                await consumer.seek_to_end(*unset)
        return committed


def worker_kafka_consumer(consumer: Any) -> Any | None:
    """The ``AIOKafkaConsumer`` inside Faust's consumer thread, or None when there is none (not
    started, or another transport). Faust keeps it private; this is the one place that names the
    path. It belongs to the consumer thread's event loop: reading an attribute from elsewhere is
    safe (the value may be a moment old); calling a method goes through
    :func:`call_in_consumer_thread`."""
    return getattr(getattr(consumer, "_thread", None), "_consumer", None)


async def call_in_consumer_thread(consumer: Any, method: str, *args: Any) -> Any:
    """``method`` of the worker's ``AIOKafkaConsumer`` called in the thread (and event loop) that
    runs it. Raises RuntimeError when there is no such consumer: a caller that must act (pause,
    resume) should not carry on as if it had."""
    client = worker_kafka_consumer(consumer)
    if client is None:
        raise RuntimeError("the worker's Kafka consumer is not running")
    return await consumer._thread.call_thread(getattr(client, method), *args)


class _Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def perform_seek(self) -> None:
        """Seek to the committed offsets with nothing handed to the agents meanwhile.

        After a rebalance Faust's recovery resumes the stream partitions while the flow is
        active, then seeks them to their committed offsets, then resumes flow control, which
        clears the agents' queues. Records fetched during the seek reach the queues and are
        cleared unprocessed, and the seek moves Faust's read offsets back behind records still
        being handed over, which Faust then takes for a gap in the log and counts as done: the
        group commits past articles nobody processed (the scale-out test lost 2 of 63 articles
        in 2 of 6 runs under load). With the flow stopped first, nothing reaches the queues
        during the seek, reading starts again from the committed offsets, and the caller
        (recovery, or Faust's fetcher when the flow is already stopped) resumes the flow.
        """
        if self.flow_active:
            self.stop_flow()
        await super().perform_seek()

    async def _add_gap(self, tp: Any, offset_from: int, offset_to: int) -> None:
        # Faust counts offsets it never received as done (compaction, transaction markers);
        # logged so that a skip on a topic without either shows up (it meant lost records).
        log.info("offsets %d-%d of %s[%d] skipped: no records there", offset_from, offset_to, tp.topic, tp.partition)
        await super()._add_gap(tp, offset_from, offset_to)


class Transport(driver.Transport):
    """The aiokafka transport whose worker consumer asks the broker to wait at most
    ``fetch_max_wait_ms`` and to answer with at most ``fetch_max_bytes``."""

    Consumer = _Consumer
    fetch_max_wait_ms: int | None = None
    fetch_max_bytes: int | None = None


def use_fetch_limits(app: Any, fetch_max_wait_s: float, fetch_max_bytes: int) -> None:
    """Make ``app``'s consumer transport ask the broker to hold an empty fetch at most
    ``fetch_max_wait_s`` and to send at most ``fetch_max_bytes`` in one response."""
    transport = Transport(app.conf.broker_consumer, app)
    transport.fetch_max_wait_ms = max(1, round(fetch_max_wait_s * 1000))
    transport.fetch_max_bytes = fetch_max_bytes
    app.transport = transport
