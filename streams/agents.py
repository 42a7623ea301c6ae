"""The Faust agents: thin loops that read a record, call a handler, publish, count.

Every message ends as output or as a dead letter; an agent never stops on a bad message.
CPU-heavy stages (clean, extract) run in a worker thread under a time limit, so one
pathological article cannot stall the event loop (heartbeats, commits) or the partition.
"""

from __future__ import annotations

import atexit
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
from faust.types import EventT, TopicT

from schemas import Alert, CleanArticle, Event
from streams.alerting.rules import load_rules
from streams.bounded import StageRunner
from streams.cleaning.duplicates import expired_keys
from streams.deadletters import Record, Stage, StageFailure, dead_letter
from streams.extraction.stories import dyad_key
from streams.metrics import PipelineMetrics
from streams.pipeline import (
    M,
    Outcome,
    apply_reports,
    apply_story,
    decode,
    handle_clean,
    handle_event,
    handle_raw,
    mark_duplicate,
)
from streams.settings import Settings
from streams.topics import CLEANED_SUFFIX, EVENTS_BY_DYAD_SUFFIX, EVENTS_BY_STORY_SUFFIX

log = logging.getLogger(__name__)

# Internal topics (streams/topics.py): cleaned articles on ONE partition before duplicate
# detection, which compares each article with every one seen; coded events keyed by their
# dyad (source, target, CAMEO root — no date), so every report that could continue a story
# reaches the story-book partition that holds it; and published events keyed by story id,
# so every report of one story reaches the same alert-table partition.


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
        self._table[key.encode()] = value

    def prune_if_due(self) -> None:
        """Drop the entries older than the window, when the interval has passed."""
        if time.monotonic() - self._last_prune < self._prune_every_s:
            return
        items = [(k.decode(), bytes(v)) for k, v in list(self._table.items()) if v is not None]
        stale = list(expired_keys(items, datetime.now(UTC), self._window))
        for key in stale:
            del self._table[key.encode()]
        self._last_prune = time.monotonic()
        log.info("%s: dropped %d entries older than %s", self._name, len(stale), self._window)


class TableBook(Mapping[str, Alert]):
    """Read-only view of the alert table that decodes stored JSON into Alert models."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def __getitem__(self, story_id: str) -> Alert:
        raw = self._table.get(story_id.encode())
        if raw is None:
            raise KeyError(story_id)
        return Alert.from_json(raw)

    def __iter__(self) -> Iterator[str]:
        return (k.decode() for k in self._table)

    def __len__(self) -> int:
        return len(self._table)


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
    by_story_topic = app.topic(f"{settings.app_id}.{EVENTS_BY_STORY_SUFFIX}", internal=True)
    alerts_topic = app.topic(settings.topic_alerts)
    dead_topic = app.topic(settings.topic_deadletter)
    alert_table = app.Table("alert-book", default=None, key_type=bytes, value_type=bytes)
    report_table = app.Table("report-book", default=None, key_type=bytes, value_type=bytes)
    story_table = app.Table("story-book", default=None, key_type=bytes, value_type=bytes)
    duplicate_table = app.Table("duplicate-index", default=None, key_type=bytes, value_type=bytes, partitions=1)
    rules = load_rules(settings.rules_file)  # a bad rules file fails here, at start-up
    window = timedelta(days=settings.duplicate_window_days)
    # Cleaning and extraction run in child processes that are killed when they overrun
    # the per-article limit (a thread cannot be stopped, and a runaway one would eat the
    # next articles' time). Started on first use, not when the app is merely imported.
    runners: dict[Stage, StageRunner] = {}

    def runner(stage: Stage) -> StageRunner:
        if stage not in runners:
            workers = settings.clean_processes if stage == "clean" else settings.extract_processes
            runners[stage] = StageRunner(stage, settings.stage_timeout_s, workers=workers)
            atexit.register(runners[stage].close)
        return runners[stage]

    @app.task  # type: ignore[untyped-decorator]
    async def declare_topics() -> None:
        # Faust creates an output topic only on first send, and a broker may auto-create
        # the source topic with its own partition count when a producer gets there first.
        # Declare them all at start so they exist, with the configured partitions.
        topics = (raw_topic, cleaned_topic, clean_topic, by_dyad_topic, events_topic, by_story_topic, alerts_topic)
        for topic in (*topics, dead_topic):
            await topic.maybe_declare()

    async def send(topic: TopicT, key: bytes | None, value: bytes) -> None:
        # Wait for the broker's ack: the offset is committed only after outputs are stored.
        fut = await topic.send(key=key, value=value)
        await fut

    async def publish_dead(record: Record, outcome: Outcome) -> None:
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
            await send(dead_topic, record.key, letter.to_json())

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

    @app.agent(raw_topic, name="clean")
    async def clean_agent(stream: faust.StreamT[bytes]) -> None:
        await runner("clean").warm_up()  # the first article's time limit is not spent on loading
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="clean").inc()
            started = time.perf_counter()
            outcome = await in_child("clean", record, handle_raw)
            for article in outcome.clean:
                await send(cleaned_topic, article.id.encode(), article.to_json())
            await publish_dead(record, outcome)
            metrics.stage_seconds.labels(stage="clean").observe(time.perf_counter() - started)  # outputs sent

    @app.agent(cleaned_topic, name="deduplicate")
    async def deduplicate_agent(stream: faust.StreamT[bytes]) -> None:
        store = TableStore(duplicate_table, "duplicate index", window, settings.duplicate_cleanup_interval_s)
        async for event in stream.events():
            record = record_of(event)
            article = CleanArticle.from_json(record.value)  # our own clean agent wrote it
            try:
                article = mark_duplicate(article, store, settings)
            except Exception:  # an index failure must not lose the article: publish it unmarked
                log.exception("duplicate check failed for %s; published without duplicate_of", article.id)
                metrics.stage_errors.labels(stage="deduplicate").inc()
            if article.duplicate_of is not None:
                metrics.duplicates.inc()
            # A duplicate is keyed by its original's id: both reach the same extract partition,
            # where the original's events are remembered (a table is partition-local).
            await send(clean_topic, (article.duplicate_of or article.id).encode(), article.to_json())
            metrics.messages_out.labels(stage="clean", topic=settings.topic_clean).inc()
            store.prune_if_due()

    @app.agent(clean_topic, name="extract")
    async def extract_agent(stream: faust.StreamT[bytes]) -> None:
        await runner("extract").warm_up()
        reports = TableStore(report_table, "report book", window, settings.duplicate_cleanup_interval_s)
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="extract").inc()
            started = time.perf_counter()
            article = await decoded(record, CleanArticle)
            if article is None:
                continue
            # A duplicate is not coded again: its original's events get raised counts.
            coded = Outcome() if article.duplicate_of else await in_child("extract", record, handle_clean)
            outcome = apply_reports(article, coded, reports)
            reports.prune_if_due()
            metrics.duplicates_skipped.inc(outcome.duplicates)
            for ev in outcome.events:
                await send(by_dyad_topic, dyad_key(ev).encode(), ev.to_json())
                metrics.messages_out.labels(stage="extract", topic=by_dyad_name).inc()
            await publish_dead(record, outcome)
            metrics.stage_seconds.labels(stage="extract").observe(time.perf_counter() - started)  # outputs sent

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
            await send(events_topic, published.event_id.encode(), value)
            await send(by_story_topic, published.story_id.encode(), value)
            metrics.messages_out.labels(stage="story", topic=settings.topic_events).inc()
            metrics.stage_seconds.labels(stage="story").observe(time.perf_counter() - started)  # outputs sent
            if verdict == "new":
                metrics.events.labels(root_code=published.root_code, quad_class=str(published.quad_class)).inc()

    @app.agent(by_story_topic, name="alert")
    async def alert_agent(stream: faust.StreamT[bytes]) -> None:
        book = TableBook(alert_table)
        async for event in stream.events():
            record = record_of(event)
            metrics.messages_in.labels(stage="alert").inc()
            started = time.perf_counter()
            # Alerting is cheap and reads the table, so it stays on the event loop.
            outcome = handle_event(record, settings, rules, book, now=datetime.now(UTC))
            for alert in outcome.alerts:
                alert_table[alert.story_id.encode()] = alert.to_json()
                await send(alerts_topic, alert.alert_id.encode(), alert.to_json())
                metrics.messages_out.labels(stage="alert", topic=settings.topic_alerts).inc()
                metrics.alerts.labels(rule=alert.rule, severity=alert.severity).inc()
            await publish_dead(record, outcome)
            metrics.stage_seconds.labels(stage="alert").observe(time.perf_counter() - started)  # outputs sent
