"""Real services for integration tests: the embedded broker and a worker process, on free ports."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from confluent_kafka import OFFSET_BEGINNING, Consumer
from confluent_kafka import TopicPartition as RdTopicPartition

from schemas import Event
from streams.alerting.escalation import routes
from streams.alerting.rules import RuleSet
from streams.alerting.stage import partition_key, reported_at
from streams.broker import free_port
from streams.demo import scrape_counter, stage_done
from streams.topics import EVENTS_FOR_ALERTS_SUFFIX, HAPPENINGS_BY_SUBJECT_SUFFIX
from streams.workers import ROOT, WorkerProcess, start_worker, worker_env

__all__ = [
    "ROOT",
    "WorkerProcess",
    "collect_aiokafka",
    "librdkafka_reader",
    "produce_aiokafka",
    "start_worker",
    "wait_processed",
    "worker_env",
    "worker_running",
]


@contextlib.contextmanager
def worker_running(bootstrap: str, tmp: Path, **settings: str) -> Iterator[WorkerProcess]:
    """A worker on ``bootstrap`` with these ``WIREWATCH_*`` settings, ready; stopped on leaving."""
    process = start_worker(worker_env(bootstrap, tmp, **settings), tmp)
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


async def produce_aiokafka(
    bootstrap: str, topic: str, messages: Iterable[tuple[bytes | None, bytes]], partition: int | None = None
) -> int:
    """Publish with aiokafka, waiting for every ack (to one partition when given, to keep the order)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=16 * 1024 * 1024)
    await producer.start()
    sent = 0
    try:
        for key, value in messages:
            await (await producer.send(topic, value, key=key, partition=partition))
            sent += 1
    finally:
        await producer.stop()
    return sent


async def collect_aiokafka(
    bootstrap: str, topics: list[str], until: object, timeout: float = 120.0
) -> dict[str, list[bytes]]:
    """Read every topic from the beginning until ``until(collected)`` is true or time runs out."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=16 * 1024 * 1024,
    )
    await consumer.start()
    collected: dict[str, list[bytes]] = {t: [] for t in topics}
    try:
        partitions: list[TopicPartition] = []
        deadline = time.monotonic() + timeout
        pending = set(topics)
        while pending and time.monotonic() < deadline:
            await consumer.topics()
            for topic in list(pending):
                ids = consumer.partitions_for_topic(topic)
                if ids:
                    partitions.extend(TopicPartition(topic, p) for p in ids)
                    pending.discard(topic)
            if pending:
                await asyncio.sleep(0.5)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                collected[tp.topic].extend(r.value or b"" for r in records)
            if until(collected):  # type: ignore[operator]
                break
    finally:
        await consumer.stop()
    return collected


def wait_processed(worker: WorkerProcess, raw_count: int, timeout: float = 240.0) -> None:
    """Until every stage has read everything the previous one published (from the worker's /metrics)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # "done" (a stage's duration is observed once its outputs are sent), not "read": a message
        # read but still being worked on has published nothing the next stage could wait for.
        done = stage_done(worker.metrics_url)
        out = scrape_counter(worker.metrics_url, "wirewatch_stage_messages_out", "stage")
        dead = scrape_counter(worker.metrics_url, "wirewatch_dead_letters", "stage")
        to_topic = scrape_counter(worker.metrics_url, "wirewatch_stage_messages_out", "topic")
        routed = to_topic.get(f"{worker.env['WIREWATCH_APP_ID']}.{HAPPENINGS_BY_SUBJECT_SUFFIX}", 0)
        cleaned = out.get("clean", 0) + dead.get("decode", 0) + dead.get("clean", 0)
        if (
            done.get("clean", 0) >= raw_count
            and cleaned >= raw_count
            and done.get("extract", 0) >= out.get("clean", 0)
            and done.get("story", 0) >= out.get("extract", 0)
            and done.get("alert", 0) >= out.get("story", 0) - routed
            and done.get("escalate", 0) >= routed
        ):
            return
        assert worker.alive(), worker.log()[-5000:]
        time.sleep(0.2)
    raise TimeoutError(f"not processed in {timeout} s: {done} {out} {dead}")


def librdkafka_reader(bootstrap: str, topic: str, name: str) -> Consumer:
    """A librdkafka consumer assigned every partition of ``topic`` from the beginning.

    Manual assignment: Faust already covers consumer groups, and a librdkafka group join costs
    ~20 s on the embedded broker. The caller closes it."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"{name}-{free_port()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([RdTopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    return consumer


async def publish_as_story_step(
    bootstrap: str, app_id: str, published: Iterable[tuple[Event, str]], rules: RuleSet
) -> tuple[int, int]:
    """Publish events as the story step does: each on the alert agent's topic (keyed by source
    country), each new happening (verdict ``new``) once per escalation subject, keyed by the
    subject, with the report's time as the record timestamp. Returns the messages per topic."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    to_alert = to_escalate = 0
    try:
        for event, verdict in published:
            value = event.to_json()
            await (
                await producer.send(f"{app_id}.{EVENTS_FOR_ALERTS_SUFFIX}", value, key=partition_key(event).encode())
            )
            to_alert += 1
            if verdict != "new":
                continue
            at_ms = int(reported_at(event).timestamp() * 1000)
            for subject in routes(event, rules.escalation, rules.first_seen):
                topic = f"{app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}"
                await (await producer.send(topic, value, key=subject.key.encode(), timestamp_ms=at_ms))
                to_escalate += 1
    finally:
        await producer.stop()
    return to_alert, to_escalate


def wait_stages_done(worker: WorkerProcess, wanted: dict[str, float], timeout: float = 120.0) -> None:
    """Until each stage has finished at least the wanted number of messages (its duration observed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = stage_done(worker.metrics_url)
        if all(done.get(stage, 0) >= n for stage, n in wanted.items()):
            return
        assert worker.alive(), worker.log()[-5000:]
        time.sleep(0.2)
    raise TimeoutError(f"not handled in {timeout} s: {stage_done(worker.metrics_url)}, wanted {wanted}")
