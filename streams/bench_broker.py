"""How long a fetch takes as a partition grows: what bounds a long soak on a broker.

A worker's one-partition internal topic ``<app id>.articles-cleaned`` (clean → deduplicate) gets
one record batch per article: each clean output is sent and acknowledged on its own. Apache
Kafka finds a fetch's position through its offset index, so a fetch costs the same on a partition
of any length. The embedded broker (Tansu 0.6, memory engine) keeps every batch as an object and,
on each fetch that is behind the partition's end, lists all of the partition's objects; it keeps
every record (no retention) and does not implement DeleteRecords
(tests/integration/test_embedded_broker_limits.py). So there a fetch costs more the longer the
run, and a 100,000-article soak starves deduplicate long before the end.

This measures it: for each length, a one-partition topic of that many one-record batches, then
fetches of the last record, timed from the client (the round trip included).
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from rich.table import Table

from streams.benchkit import fmt, percentile
from streams.broker import EmbeddedBroker, free_port
from streams.kafka import bootstrap_servers

RECORD = b"x" * 200
"""A record about the size of a small message; the batch count, not the bytes, is what grows."""


@dataclass
class FetchCost:
    """Fetches of a partition's last record, on a partition of ``batches`` one-record batches."""

    batches: int
    fetch_ms: list[float]
    records: int
    """Records the timed fetches returned (one each when the broker answers every fetch)."""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.fetch_ms)

    def as_dict(self) -> dict[str, object]:
        return {
            "batches": self.batches,
            "fetches": len(self.fetch_ms),
            "records": self.records,
            "median_ms": round(self.median_ms, 3),
            "p95_ms": round(percentile(self.fetch_ms, 95) or 0.0, 3),
            "max_ms": round(max(self.fetch_ms), 3),
        }


async def _fill(bootstrap: str, topic: str, batches: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    try:
        for _ in range(batches):  # one send, one ack: one batch each, as the worker's agents send
            await (await producer.send(topic, RECORD, partition=0))
    finally:
        await producer.stop()


async def _timed_fetches(bootstrap: str, topic: str, offset: int, fetches: int) -> tuple[list[float], int]:
    tp = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100)
    await consumer.start()
    try:
        consumer.assign([tp])
        consumer.seek(tp, offset)
        await consumer.getmany(tp, timeout_ms=5000, max_records=1)  # connections and metadata, untimed
        timings, records = [], 0
        for _ in range(fetches):
            consumer.seek(tp, offset)
            started = time.perf_counter()
            got = await consumer.getmany(tp, timeout_ms=5000, max_records=1)
            timings.append((time.perf_counter() - started) * 1000)
            records += sum(len(batch) for batch in got.values())
        return timings, records
    finally:
        await consumer.stop()


async def _measure(bootstrap: str, lengths: list[int], fetches: int) -> list[FetchCost]:
    costs = []
    for batches in lengths:
        topic = f"wirewatch-bench-broker-{uuid.uuid4().hex[:8]}-{batches}"
        await _fill(bootstrap, topic, batches)
        timings, records = await _timed_fetches(bootstrap, topic, batches - 1, fetches)
        costs.append(FetchCost(batches=batches, fetch_ms=timings, records=records))
    return costs


def run_bench(lengths: list[int], *, fetches: int = 20, broker_url: str | None = None) -> list[FetchCost]:
    """Fetch costs on a broker (``broker_url``, else an embedded one started and stopped here)."""
    if not lengths or min(lengths) < 1:
        raise ValueError("lengths must be positive batch counts")
    with ExitStack() as stack:
        if broker_url is None:
            bootstrap = stack.enter_context(EmbeddedBroker(port=free_port())).bootstrap
        else:
            bootstrap = bootstrap_servers(broker_url)
        return asyncio.run(_measure(bootstrap, sorted(lengths), fetches))


def render_table(costs: list[FetchCost]) -> Table:
    table = Table(title="fetch of a partition's last record, by the partition's length")
    for column in ("one-record batches", "fetches", "records", "median ms", "p95 ms", "max ms"):
        table.add_column(column, justify="right")
    for cost in costs:
        row = cost.as_dict()
        table.add_row(
            *(str(row[key]) for key in ("batches", "fetches", "records")),
            *(fmt(row[key], 1) for key in ("median_ms", "p95_ms", "max_ms")),
        )
    return table
