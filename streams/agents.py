"""The Faust agents: thin loops that read a record, call a handler, publish, count.

Every message ends as output or as a dead letter; an agent never stops on a bad message.
CPU-heavy stages (clean, extract) run in a worker thread under a time limit, so one
pathological article cannot stall the event loop (heartbeats, commits) or the partition.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, NamedTuple, cast

import aiohttp
import faust
import orjson
from faust.types import EventT, RecordMetadata, TopicT

from schemas import Alert, CleanArticle, Event
from streams.alerting.escalation import EscalationState, bucket_of, bucket_retention, memory_state, routes
from streams.alerting.rules import load_rules
from streams.alerting.stage import AlertBook, partition_key, reported_at
from streams.alerting.webhook import WebhookConfig, deliver, failure_dead_letter
from streams.backpressure import Backlog, FetchGate, unfinished
from streams.batching import Batcher
from streams.bounded import StageRunner
from streams.cleaning.duplicates import DuplicateIndex, decode_signature, encode_signature, expired_keys
from streams.deadletters import Record, Stage, StageFailure, dead_letter
from streams.extraction.stories import dyad_key
from streams.inorder import InOrder
from streams.kvstore import right_sized
from streams.lifecycle import on_shutdown
from streams.metrics import PipelineMetrics
from streams.pipeline import (
    M,
    Outcome,
    apply_reports,
    apply_story,
    decode,
    handle_clean,
    handle_clean_many,
    handle_escalation,
    handle_event,
    handle_raw,
    mark_duplicate,
)
from streams.settings import Settings
from streams.topics import (
    ALERT_BOOK,
    CLEANED_SUFFIX,
    DUPLICATE_INDEX,
    ESCALATION_BOOK,
    ESCALATION_BUCKETS,
    EVENTS_BY_DYAD_SUFFIX,
    EVENTS_FOR_ALERTS_SUFFIX,
    HAPPENINGS_BY_SUBJECT_SUFFIX,
    REPORT_BOOK,
    STORY_BOOK,
)

log = logging.getLogger(__name__)


class Output(NamedTuple):
    """One message an agent publishes."""

    topic: TopicT
    key: bytes | None
    value: bytes
    timestamp: float | None
    headers: dict[str, bytes] | None = None


# Internal topics and table names: streams/topics.py (its topic plan has the tables' changelogs).
# Cleaned articles on ONE partition before duplicate detection, which compares each article
# with every one seen; coded events keyed by their dyad (source, target, CAMEO root — no
# date), so every report that could continue a story reaches the story-book partition that
# holds it; published events keyed by their dyad's countries, so every alert of a dyad
# (stories, cooldowns) lives on one alert-book partition; and new happenings once per
# escalation subject (dyad, country), keyed by the subject, so each subject's window counts
# live on one partition.


class TableStore:
    """A KeyValueStore on a Faust table (str keys, bytes values) whose entries expire.

    Entries older than ``window`` are dropped every ``prune_every_s`` seconds, from inside
    message handling (a table can only be changed while a message is being handled).
    """

    def __init__(self, table: Any, name: str, window: timedelta, prune_every_s: float) -> None:
        self._table = table
        self._name = name
        self._window = window
        self._prune_every_s = prune_every_s
        self._last_prune = time.monotonic()

    def get(self, key: str) -> bytes | None:
        value = self._table.get(key.encode())
        return bytes(value) if value is not None else None

    def __setitem__(self, key: str, value: bytes) -> None:
        self._table[key.encode()] = right_sized(value)  # kept for the retention: not orjson's buffer

    def items(self) -> list[tuple[str, bytes]]:
        """Every entry, in the table's order (for state derived from the table)."""
        return [(k.decode(), bytes(v)) for k, v in list(self._table.items()) if v is not None]

    def prune_if_due(self) -> datetime | None:
        """Drop the entries older than the window, when the interval has passed; the cutoff used, if it ran."""
        if time.monotonic() - self._last_prune < self._prune_every_s:
            return None
        now = datetime.now(UTC)
        stale = list(expired_keys(self.items(), now, self._window))
        for key in stale:
            del self._table[key.encode()]
        self._last_prune = time.monotonic()
        log.info("%s: dropped %d entries older than %s", self._name, len(stale), self._window)
        return now - self._window


class WindowedBuckets:
    """Escalation bucket counts (``escalation.BucketCounts``) in a tumbling Faust windowed table.

    Keys are (subject key, window range); Faust writes each change to the changelog and drops
    windows older than the table's ``expires`` (wall clock). Only called while a message is
    being handled (Faust needs the current event's partition to write).
    """

    def __init__(self, table: Any, step_s: float) -> None:
        self._table = table
        self._step_s = step_s

    def _key(self, key: str, at: float) -> tuple[str, Any]:
        return key, self._table.window.current(bucket_of(at, self._step_s))

    def count(self, key: str, bucket_start: float) -> int:
        k = self._key(key, bucket_start)
        return int(self._table[k]) if k in self._table else 0

    def add(self, key: str, at: float) -> None:
        k = self._key(key, at)
        self._table[k] = (int(self._table[k]) if k in self._table else 0) + 1


def watching_since(store: TableStore, record: Record) -> datetime:
    """Event time of the first happening this partition's escalation saw (first-seen alerts
    wait out a learning period from it). Refreshed daily so the store's clean-up keeps it."""
    key = f"since|{record.partition}"
    at = record.timestamp or time.time()
    raw = store.get(key)
    kept = orjson.loads(raw) if raw is not None else {"since": at, "t": 0.0}
    if at - float(kept["t"]) > 86_400:
        store[key] = orjson.dumps({"since": kept["since"], "t": at})
    return datetime.fromtimestamp(float(kept["since"]), UTC)


SIGNATURE_HEADER = "wirewatch-minhash"
"""Header of a record on the internal cleaned topic: the article's MinHash signature,
computed by the clean stage's child process (see ``duplicates.encode_signature``)."""


def header(event: EventT[bytes], name: str) -> bytes | None:
    """The value of a record header (Faust gives a list of pairs or a mapping), or None."""
    headers = event.message.headers or []
    pairs: Iterable[tuple[str, Any]] = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in pairs:
        if key == name and isinstance(value, bytes | bytearray):
            return bytes(value)
    return None


def record_of(event: EventT[bytes]) -> Record:
    """The Kafka message of a Faust event as a plain Record."""
    msg = event.message
    return Record(
        value=msg.value if isinstance(msg.value, bytes) else bytes(msg.value or b""),
        key=msg.key if isinstance(msg.key, bytes) or msg.key is None else bytes(msg.key),
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
        timestamp=msg.timestamp,
    )


def register_agents(app: faust.App, settings: Settings, metrics: PipelineMetrics) -> None:
    """Declare the topics, the tables and the agents on ``app``."""
    raw_topic = app.topic(settings.topic_raw)
    cleaned_topic = app.topic(f"{settings.app_id}.{CLEANED_SUFFIX}", internal=True, partitions=1)
    clean_topic = app.topic(settings.topic_clean)
    events_topic = app.topic(settings.topic_events)
    by_dyad_name = f"{settings.app_id}.{EVENTS_BY_DYAD_SUFFIX}"
    by_dyad_topic = app.topic(by_dyad_name, internal=True)
    for_alerts_topic = app.topic(f"{settings.app_id}.{EVENTS_FOR_ALERTS_SUFFIX}", internal=True)
    by_subject_name = f"{settings.app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}"
    by_subject_topic = app.topic(by_subject_name, internal=True)
    alerts_topic = app.topic(settings.topic_alerts)
    dead_topic = app.topic(settings.topic_deadletter)
    alert_table = app.Table(ALERT_BOOK, default=None, key_type=bytes, value_type=bytes)
    report_table = app.Table(REPORT_BOOK, default=None, key_type=bytes, value_type=bytes)
    story_table = app.Table(STORY_BOOK, default=None, key_type=bytes, value_type=bytes)
    duplicate_table = app.Table(DUPLICATE_INDEX, default=None, key_type=bytes, value_type=bytes, partitions=1)
    escalation_table = app.Table(ESCALATION_BOOK, default=None, key_type=bytes, value_type=bytes)
    rules = load_rules(settings.rules_file)  # a bad rules file fails here, at start-up
    alert_retention = timedelta(days=settings.alert_retention_days)
    longest = max([r.cooldown for r in rules.rules] + ([rules.escalation.cooldown] if rules.escalation else []))
    if longest >= alert_retention:
        raise ValueError(
            f"WIREWATCH_ALERT_RETENTION_DAYS ({settings.alert_retention_days}) must exceed the longest cooldown "
            f"of the rules ({longest}): an alert would be forgotten while its cooldown runs"
        )
    bucket_table = None
    if rules.escalation is not None:
        spec = rules.escalation
        bucket_table = app.Table(
            ESCALATION_BUCKETS, default=int, schema=faust.Schema(key_serializer="json", value_serializer="json")
        ).tumbling(spec.step, expires=bucket_retention(spec))
    window = timedelta(days=settings.duplicate_window_days)
    # Cleaning and extraction run in child processes that are killed when they overrun
    # the per-article limit (a thread cannot be stopped, and a runaway one would eat the
    # next articles' time). Started on first use, not when the app is merely imported.
    runners: dict[Stage, StageRunner] = {}

    def runner(stage: Stage) -> StageRunner:
        if stage not in runners:
            workers = settings.clean_processes if stage == "clean" else settings.extract_processes
            runners[stage] = StageRunner(stage, settings.stage_timeout_s, workers=workers)
            on_shutdown(runners[stage].close)  # the worker's shutdown, after the last commit
            atexit.register(runners[stage].close)  # any other process that ran the app
        return runners[stage]

    @app.task  # type: ignore[untyped-decorator]
    async def declare_topics() -> None:
        # Faust creates an output topic only on first send, and a broker may auto-create
        # the source topic with its own partition count when a producer gets there first.
        # Declare them all at start so they exist, with the configured partitions.
        topics = (
            raw_topic,
            cleaned_topic,
            clean_topic,
            by_dyad_topic,
            events_topic,
            for_alerts_topic,
            by_subject_topic,
            alerts_topic,
        )
        for topic in (*topics, dead_topic):
            await topic.maybe_declare()

    async def send(
        topic: TopicT,
        key: bytes | None,
        value: bytes,
        timestamp: float | None = None,
        headers: dict[str, bytes] | None = None,
    ) -> RecordMetadata:
        (stored,) = await send_all([Output(topic, key, value, timestamp, headers)])
        return stored

    async def send_all(outputs: Sequence[Output]) -> list[RecordMetadata]:
        # Hand every output to the producer, then wait for all the acks (the offset is committed
        # only after the outputs are stored): one round trip to the broker per input message
        # instead of one per output; order within a partition holds.
        futures = [
            await o.topic.send(key=o.key, value=o.value, timestamp=o.timestamp, headers=o.headers) for o in outputs
        ]
        return list(await asyncio.gather(*futures))

    async def publish_dead(record: Record, outcome: Outcome) -> None:
        # Each output carries its input record's timestamp (as in Kafka Streams), so the raw
        # article's time reaches the last stage and end-to-end latency can be measured there.
        for letter in outcome.dead_letters:
            metrics.dead_letters.labels(stage=letter.stage, reason=letter.reason).inc()
            log.warning(
                "dead letter: stage=%s reason=%s %s[%s]@%s: %s",
                letter.stage,
                letter.reason,
                record.topic,
                record.partition,
                record.offset,
                letter.error[:300],
            )
            await send(dead_topic, record.key, letter.to_json(), timestamp=record.timestamp)

    def failed(record: Record, failure: StageFailure) -> Outcome:
        return Outcome(dead_letters=[dead_letter(record, failure, payload_limit=settings.deadletter_payload_bytes)])

    async def decoded(record: Record, model: type[M]) -> M | None:
        """The record's value as ``model``; a bad one goes to the dead letters and gives None."""
        try:
            return decode(record, model, max_bytes=settings.max_message_bytes)
        except StageFailure as failure:
            await publish_dead(record, failed(record, failure))
            return None

    async def in_child(stage: Stage, record: Record, handler: Callable[[Record, Settings], Outcome]) -> Outcome:
        try:
            return await runner(stage).run(handler, record, settings)
        except StageFailure as failure:
            return failed(record, failure)

    # What the stages after clean have not finished of its output on this worker (the deduplicate
    # agent's input, then extract's): past the bound, the worker stops fetching raw articles.
    dedup_backlog = Backlog(cleaned_topic.get_topic_name())
    extract_backlog = Backlog(settings.topic_clean)

    if settings.clean_ahead_articles:
        raw_gate = FetchGate(
            settings.topic_raw,
            settings.clean_ahead_articles,
            lambda: unfinished(app, dedup_backlog) + unfinished(app, extract_backlog),
        )
        metrics.held_seconds.labels(stage="clean")  # the series exists (at 0) before the first hold

        @app.timer(interval=0.1)  # type: ignore[untyped-decorator]
        async def hold_raw_fetches() -> None:
            held = await raw_gate.check(app)
            if held:
                metrics.held_seconds.labels(stage="clean").inc(held)

    @app.agent(raw_topic, name="clean")
    async def clean_agent(stream: faust.StreamT[bytes]) -> None:
        await runner("clean").warm_up()  # the first article's time limit is not spent on loading
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="clean").inc()
            started = time.perf_counter()
            outcome = await in_child("clean", record, handle_raw)
            for article, fp in zip(outcome.clean, outcome.fingerprints, strict=True):
                headers = {SIGNATURE_HEADER: encode_signature(fp)}
                stored = await send(cleaned_topic, article.id.encode(), article.to_json(), record.timestamp, headers)
                dedup_backlog.produced(stored.topic_partition, stored.offset)
            await publish_dead(record, outcome)
            metrics.stage_seconds.labels(stage="clean").observe(time.perf_counter() - started)  # outputs sent

    @app.agent(cleaned_topic, name="deduplicate")
    async def deduplicate_agent(stream: faust.StreamT[bytes]) -> None:
        store = TableStore(duplicate_table, "duplicate index", window, settings.duplicate_cleanup_interval_s)
        index = DuplicateIndex(store)
        indexed_generation: int | None = None
        async for event in stream.events():
            record = record_of(event)
            article = CleanArticle.from_json(record.value)  # our own clean agent wrote it
            if app.consumer_generation_id != indexed_generation:
                # A rebalance: the table may have been recovered from its changelog (written by
                # another worker meanwhile), so the band lists derived from it are made again.
                started = time.perf_counter()
                indexed = index.rebuild(store.items())
                indexed_generation = app.consumer_generation_id
                log.info("duplicate index: %d articles indexed in %.2f s", indexed, time.perf_counter() - started)
            try:
                fp = decode_signature(header(event, SIGNATURE_HEADER), article.content_hash)
                article = mark_duplicate(article, index, settings, fp=fp)
            except Exception:  # an index failure must not lose the article: publish it unmarked
                log.exception("duplicate check failed for %s; published without duplicate_of", article.id)
                metrics.stage_errors.labels(stage="deduplicate").inc()
            # A duplicate is keyed by its original's id: both reach the same extract partition,
            # where the original's events are remembered (a table is partition-local).
            key = (article.duplicate_of or article.id).encode()
            stored = await send(clean_topic, key, article.to_json(), timestamp=record.timestamp)
            dedup_backlog.finished(event.message.tp, event.message.offset)
            extract_backlog.produced(stored.topic_partition, stored.offset)
            metrics.messages_out.labels(stage="clean", topic=settings.topic_clean).inc()
            metrics.article_published(article)
            metrics.delivered(settings.topic_clean, record.timestamp)
            pruned_before = store.prune_if_due()
            if pruned_before is not None:
                index.expire_before(pruned_before)

    @app.agent(clean_topic, name="extract")
    async def extract_agent(stream: faust.StreamT[bytes]) -> None:
        await runner("extract").warm_up()
        reports = TableStore(report_table, "report book", window, settings.duplicate_cleanup_interval_s)
        # acked by ``publish``, after the article's outputs are acked (StreamT does not declare noack)
        manual = cast("faust.Stream[bytes]", stream).noack()
        # While one article's outputs are sent, the next ones are already coded in the child.
        order = InOrder(settings.extract_pipeline_depth, "extract")

        async def code_together(records: list[Record]) -> list[Outcome]:
            try:
                return await runner("extract").run(handle_clean_many, records, settings)
            except StageFailure as failure:  # the batch overran the limit or killed its child
                if len(records) == 1:
                    return [failed(records[0], failure)]
                log.warning(
                    "a batch of %d articles failed (%s: %s); coding each alone", len(records), failure.reason, failure
                )
                return [await in_child("extract", record, handle_clean) for record in records]

        # Articles that wait while the child codes are coded together in its next call.
        batches = Batcher(
            code_together,
            max_size=settings.extract_batch_articles,
            concurrency=settings.extract_processes,
            observe=metrics.batch_articles.labels(stage="extract").observe,
        )

        async def code(record: Record) -> tuple[CleanArticle | None, Outcome]:
            try:
                article = decode(record, CleanArticle, max_bytes=settings.max_message_bytes)
            except StageFailure as failure:
                return None, failed(record, failure)
            # A duplicate is not coded again: its original's events get raised counts.
            return article, Outcome() if article.duplicate_of else await batches.run(record)

        async def publish(
            event: EventT[bytes], record: Record, started: float, coded: tuple[CleanArticle | None, Outcome]
        ) -> None:
            article, outcome = coded
            if article is not None:
                outcome = apply_reports(article, outcome, reports)
                reports.prune_if_due()
                metrics.duplicates_skipped.inc(outcome.duplicates)
                await send_all(
                    [
                        Output(by_dyad_topic, dyad_key(ev).encode(), ev.to_json(), record.timestamp)
                        for ev in outcome.events
                    ]
                )
                metrics.messages_out.labels(stage="extract", topic=by_dyad_name).inc(len(outcome.events))
            await publish_dead(record, outcome)
            await manual.ack(event)
            extract_backlog.finished(event.message.tp, event.message.offset)
            metrics.stage_seconds.labels(stage="extract").observe(time.perf_counter() - started)  # outputs sent

        try:
            async for event in manual.events():
                record = record_of(event)
                metrics.messages_in.labels(stage="extract").inc()
                started = time.perf_counter()
                await order.submit(partial(code, record), partial(publish, event, record, started))
        finally:
            order.cancel()
            batches.cancel()

    @app.agent(by_dyad_topic, name="story")
    async def story_agent(stream: faust.StreamT[bytes]) -> None:
        book = TableStore(
            story_table,
            "story book",
            timedelta(days=settings.story_retention_days),
            settings.duplicate_cleanup_interval_s,
        )
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="story").inc()
            started = time.perf_counter()
            coded = await decoded(record, Event)  # only our extract agent writes here, but nothing is dropped
            if coded is None:
                metrics.stage_seconds.labels(stage="story").observe(time.perf_counter() - started)  # dead letter sent
                continue
            try:
                update = apply_story(coded, book, settings)
                published, verdict = update.event, update.verdict
            except Exception:  # a story-book failure must not lose the event: publish it as coded
                log.exception("story step failed for %s; published unmerged", coded.event_id)
                metrics.stage_errors.labels(stage="story").inc()
                published, verdict = coded, "new"
            book.prune_if_due()
            metrics.story_reports.labels(verdict=verdict).inc()
            value = published.to_json()
            outputs = [
                Output(events_topic, published.event_id.encode(), value, record.timestamp),
                Output(for_alerts_topic, partition_key(published).encode(), value, record.timestamp),
            ]
            if verdict == "new":  # escalations count happenings, not reports
                # Not the input's timestamp: the escalation windows count by event time.
                at = reported_at(published).timestamp()
                subjects = routes(published, rules.escalation, rules.first_seen)
                outputs += [Output(by_subject_topic, subject.key.encode(), value, at) for subject in subjects]
            await send_all(outputs)
            metrics.delivered(settings.topic_events, record.timestamp)
            metrics.messages_out.labels(stage="story", topic=by_subject_name).inc(len(outputs) - 2)
            metrics.messages_out.labels(stage="story", topic=settings.topic_events).inc()
            metrics.stage_seconds.labels(stage="story").observe(time.perf_counter() - started)  # outputs sent
            if verdict == "new":
                metrics.new_happening(published)

    async def publish_alerts(
        outcome: Outcome, book: AlertBook, event: Event | None, record: Record, *, from_raw: bool
    ) -> None:
        # Published first, remembered after the ack: a crash in between re-delivers the
        # event, which raises the same alert version again (same id) instead of losing it.
        for alert in outcome.alerts:
            # An escalation's input carries the event time, which may be days old: its alert is
            # stamped now (the broker's time), so time-based retention keeps it like any other.
            stamp = record.timestamp if from_raw else None
            await send(alerts_topic, alert.alert_id.encode(), alert.to_json(), timestamp=stamp)
            if from_raw:
                metrics.delivered(settings.topic_alerts, record.timestamp)
            book.remember(alert, event)
            metrics.messages_out.labels(stage="alert", topic=settings.topic_alerts).inc()
            metrics.alerts.labels(rule=alert.rule, severity=alert.severity).inc()
        for alert in outcome.folded:
            book.remember(alert, event)

    @app.agent(for_alerts_topic, name="alert")
    async def alert_agent(stream: faust.StreamT[bytes]) -> None:
        store = TableStore(alert_table, "alert book", alert_retention, settings.duplicate_cleanup_interval_s)
        book = AlertBook(store)
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="alert").inc()
            started = time.perf_counter()
            # Alerting is cheap and reads the table, so it stays on the event loop.
            outcome = handle_event(record, settings, rules, book, now=datetime.now(UTC))
            await publish_alerts(outcome, book, outcome.events[0] if outcome.events else None, record, from_raw=True)
            await publish_dead(record, outcome)
            store.prune_if_due()
            metrics.stage_seconds.labels(stage="alert").observe(time.perf_counter() - started)  # outputs sent

    @app.agent(by_subject_topic, name="escalate")
    async def escalate_agent(stream: faust.StreamT[bytes]) -> None:
        retention = max(alert_retention, rules.first_seen.retention if rules.first_seen else alert_retention)
        store = TableStore(escalation_table, "escalation book", retention, settings.duplicate_cleanup_interval_s)
        step_s = rules.escalation.step.total_seconds() if rules.escalation else 300.0
        state = EscalationState(
            buckets=WindowedBuckets(bucket_table.table, step_s)
            if bucket_table is not None
            else memory_state(None).buckets,
            book=AlertBook(store),
            seen=store,
        )
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="escalate").inc()
            started = time.perf_counter()
            since = watching_since(store, record)
            outcome = handle_escalation(record, settings, rules, state, since=since, now=datetime.now(UTC))
            await publish_alerts(outcome, state.book, None, record, from_raw=False)
            await publish_dead(record, outcome)
            store.prune_if_due()
            metrics.stage_seconds.labels(stage="escalate").observe(time.perf_counter() - started)  # outputs sent

    webhook = WebhookConfig.from_settings(settings)  # a bad URL fails here, at start-up
    if webhook is not None:

        @app.agent(alerts_topic, name="deliver")
        async def deliver_agent(stream: faust.StreamT[bytes]) -> None:
            # One session for the agent's life, created on Faust's loop. Retries happen inside
            # ``deliver``; after the last one the alert goes to the dead letters, never lost.
            async with aiohttp.ClientSession() as session:
                async for event in stream.events():
                    record = record_of(event)
                    alert = await decoded(record, Alert)
                    if alert is None:
                        continue
                    delivery = await deliver(alert, webhook, session)
                    metrics.webhook_deliveries.labels(outcome=delivery.outcome).inc()
                    metrics.webhook_attempts.inc(delivery.attempts)
                    if delivery.outcome == "failed":
                        letter = failure_dead_letter(
                            alert, delivery, record, payload_limit=settings.deadletter_payload_bytes
                        )
                        await publish_dead(record, Outcome(dead_letters=[letter]))
