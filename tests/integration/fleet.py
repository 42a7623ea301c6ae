"""Several workers in one consumer group on the embedded broker, and the checks that nothing was lost.

Shared by the lifecycle (SIGTERM, rolling restart) and scale-out (2 → 3 workers, SIGKILL)
tests. Workers of one group share the app id (group, internal topics, changelogs) and get
their own web port, data directory and log file; each scenario gets its own public topics
(``WIREWATCH_TOPIC_*``), so scenarios on one broker do not read each other's articles.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from schemas import CleanArticle, Event
from streams.alerting.escalation import Subject, bucket_of, subjects
from streams.alerting.rules import load_rules
from streams.alerting.stage import reported_at
from streams.bench_alerts import _sentences
from streams.broker import free_port
from streams.corpus import sample_articles
from streams.demo import scrape_counter
from streams.kafka import log_end_offsets
from streams.topics import (
    CLEANED_SUFFIX,
    ESCALATION_BUCKETS,
    EVENTS_BY_DYAD_SUFFIX,
    EVENTS_FOR_ALERTS_SUFFIX,
    HAPPENINGS_BY_SUBJECT_SUFFIX,
)
from streams.workers import WorkerProcess, start_worker, worker_env

PARTITIONS = "6"


@dataclass
class Group:
    """Workers sharing one app id (one consumer group) and one set of topics."""

    bootstrap: str
    tmp: Path
    name: str
    extra: dict[str, str] = field(default_factory=dict)
    app_id: str = ""
    started: int = 0
    members: list[WorkerProcess] = field(default_factory=list)
    """Every worker started, in order (stopped and killed ones too: their logs stay)."""

    def __post_init__(self) -> None:
        self.app_id = f"{self.name}-{uuid.uuid4().hex[:8]}"

    @property
    def topics(self) -> dict[str, str]:
        return {role: f"{self.name}.{role}" for role in ("raw", "clean", "events", "alerts", "deadletter")}

    def start(self, label: str, **overrides: str) -> WorkerProcess:
        """A new worker process of the group (its own port, data directory and log)."""
        self.started += 1
        home = self.tmp / f"{label}-{self.started}"
        home.mkdir(parents=True)
        env = worker_env(
            self.bootstrap,
            home,
            WIREWATCH_APP_ID=self.app_id,
            WIREWATCH_PARTITIONS=PARTITIONS,
            WIREWATCH_WEB_PORT=str(free_port()),
            **{f"WIREWATCH_TOPIC_{role.upper()}": topic for role, topic in self.topics.items()},
            **{**self.extra, **overrides},
        )
        worker = start_worker(env, home)
        self.members.append(worker)
        return worker


def stop_all(workers: Iterable[WorkerProcess]) -> None:
    for worker in workers:
        worker.stop(timeout=10)


def short_articles(prefix: str, count: int, *, skip: int = 0) -> list[tuple[bytes, bytes]]:
    """``count`` raw articles of two consecutive English corpus sentences each (no two share a
    sentence, so none is a near-duplicate of another): cheap to code, distinct ids and outlets."""
    sentences = distinct_sentences()
    if 2 * (skip + count) > len(sentences):
        raise ValueError(f"the corpus has {len(sentences)} sentences, not {2 * (skip + count)}")
    out = []
    for i in range(skip, skip + count):
        article_id = f"{prefix}-{i:03d}"
        raw = {
            "id": article_id,
            "source": f"Outlet {i % 7}",
            "published_at": f"2025-06-{1 + i % 28:02d}T12:00:00Z",
            "text": " ".join(sentences[2 * i : 2 * i + 2]),
        }
        out.append((article_id.encode(), orjson.dumps(raw)))
    return out


def distinct_sentences() -> list[str]:
    """English corpus sentences, each sharing no 5-word shingle with an earlier one (some
    corpus articles repeat each other's sentences)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for article in sample_articles():
        if article.language not in (None, "en"):
            continue
        for sentence in _sentences(article):
            words = sentence.lower().split()
            shingles = {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
            if not shingles & seen:
                out.append(sentence)
            seen |= shingles
    return out


def near_copy(article: tuple[bytes, bytes], copy_id: str) -> tuple[bytes, bytes]:
    """Another outlet's copy of ``article``: the same body plus a tagline, its own id."""
    raw = orjson.loads(article[1])
    raw.update(id=copy_id, source="Copy Desk", text=raw["text"] + " Share this article.")
    return copy_id.encode(), orjson.dumps(raw)


class Feeder(threading.Thread):
    """Publishes articles one at a time, ``every`` seconds apart, as far as the test allows
    (``allow``): the stream keeps flowing through each phase of a scenario, whatever the speed
    of the machine, and never runs out before the phase it is meant for."""

    def __init__(self, bootstrap: str, topic: str, articles: list[tuple[bytes, bytes]], every: float) -> None:
        super().__init__(daemon=True)
        self.bootstrap, self.topic, self.articles, self.every = bootstrap, topic, articles, every
        self.sent = 0
        self.allowed = 0
        self.error: Exception | None = None

    def allow(self, count: int) -> None:
        self.allowed = min(count, len(self.articles))
        if not self.is_alive() and self.sent == 0:
            self.start()

    def run(self) -> None:
        try:
            asyncio.run(self._feed())
        except Exception as exc:  # noqa: BLE001 (surfaced by wait_sent)
            self.error = exc

    async def _feed(self) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            for key, value in self.articles:
                while self.sent >= self.allowed:
                    await asyncio.sleep(0.05)
                await (await producer.send(self.topic, value, key=key))
                self.sent += 1
                await asyncio.sleep(self.every)
        finally:
            await producer.stop()

    def wait_sent(self, count: int, timeout: float = 60.0) -> None:
        self.allow(max(count, self.allowed))
        deadline = time.monotonic() + timeout
        while self.sent < count and self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.error is None, self.error
        assert self.sent >= count, f"published {self.sent} of {count}"


def counter(workers: Iterable[WorkerProcess], name: str, label: str) -> dict[str, float]:
    """A counter summed over the live workers (each counts what it handled since it started)."""
    total: dict[str, float] = defaultdict(float)
    for worker in workers:
        if worker.alive():
            for key, value in scrape_counter(worker.metrics_url, name, label).items():
                total[key] += value
    return dict(total)


def by_id(values: Iterable[bytes]) -> dict[str, list[bytes]]:
    """Clean articles (or any message with an ``id``) grouped by id, in topic order."""
    grouped: dict[str, list[bytes]] = defaultdict(list)
    for value in values:
        grouped[CleanArticle.from_json(value).id].append(value)
    return dict(grouped)


def without_coded_at(event: Event) -> bytes:
    """An event's bytes without ``coded_at``: the time the extract or story step handled it,
    which a re-delivery after a crash sets anew (the one field a re-publication may change)."""
    return orjson.dumps(event.model_dump(mode="json", exclude={"coded_at"}), option=orjson.OPT_SORT_KEYS)


STORY_FIELDS = ("story_id", "date", "date_precision", "root_code", "source", "target")
"""What every message of one event id agrees on (a story update raises counts, names its
report and may sharpen the code; it never moves the story)."""


def event_problems(values: Iterable[bytes]) -> list[str]:
    """What is wrong with ``events`` for "each event exactly once by id": the same event id
    telling different stories, a report (event id, article, mentions) published twice with
    different content, or counts that do not match the reports (a report counted twice or lost)."""
    events = [Event.from_json(v) for v in values]
    problems: list[str] = []
    by_event: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_event[event.event_id].append(event)
    for event_id, messages in by_event.items():
        stories = {orjson.dumps([getattr(m, f) for f in STORY_FIELDS], default=str) for m in messages}
        if len(stories) > 1:
            problems.append(f"{event_id}: {len(stories)} different stories")
        reports: dict[tuple[str, int], set[bytes]] = defaultdict(set)
        for m in messages:
            reports[(m.article_id, m.mentions)].add(without_coded_at(m))
        problems += [f"{event_id} {key}: {len(v)} different messages" for key, v in reports.items() if len(v) > 1]
        mentions = {m.mentions for m in messages}
        articles = {m.article_id for m in messages}
        if mentions != set(range(1, len(articles) + 1)):
            problems.append(f"{event_id}: mentions {sorted(mentions)} from {len(articles)} reporting articles")
    return problems


def reports(values: Iterable[bytes]) -> dict[tuple[str, int], int]:
    """Coded events per (article id, sentence index) on ``events``, whatever story each joined:
    every coded event is published once under its own story's event id (an article reports a
    story once), so this is the count of distinct event ids per sentence — independent of the
    order reports reached the story step, and of re-deliveries."""
    ids: dict[tuple[str, int], set[str]] = defaultdict(set)
    for event in map(Event.from_json, values):
        ids[(event.article_id, event.sentence_index)].add(event.event_id)
    return {key: len(v) for key, v in ids.items()}


def source_topics(group: Group) -> list[str]:
    """Every topic the group's agents consume (the tables' changelogs are read outside the group)."""
    internal = [CLEANED_SUFFIX, EVENTS_BY_DYAD_SUFFIX, EVENTS_FOR_ALERTS_SUFFIX, HAPPENINGS_BY_SUBJECT_SUFFIX]
    return [group.topics["raw"], group.topics["clean"], *(f"{group.app_id}.{s}" for s in internal)]


async def _lag(bootstrap: str, group_id: str, topics: list[str]) -> dict[str, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        lag: dict[str, int] = {}
        for topic in topics:
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
            ends = await log_end_offsets(consumer, partitions)
            lag[topic] = 0
            for tp in partitions:
                lag[topic] += ends[tp] - ((await consumer.committed(tp)) or 0)
        return lag
    finally:
        await consumer.stop()


def wait_caught_up(group: Group, workers: Iterable[WorkerProcess], timeout: float = 180.0) -> float:
    """Until the group has committed everything on every topic its agents read (twice in a row,
    so a stage that just published to the next one is seen); returns the seconds it took.
    Committed offsets, not a worker's counters: they survive a SIGKILLed worker."""
    started = time.monotonic()
    deadline = started + timeout
    topics = source_topics(group)
    settled = 0
    lag: dict[str, int] = {}
    while time.monotonic() < deadline:
        for worker in workers:
            assert worker.alive(), f"worker exited with {worker.process.returncode}:\n{worker.log()[-5000:]}"
        lag = asyncio.run(_lag(group.bootstrap, group.app_id, topics))
        settled = settled + 1 if not any(lag.values()) else 0
        if settled >= 2:
            return time.monotonic() - started
        time.sleep(1.0)
    raise TimeoutError(f"group {group.app_id} still lagging after {timeout} s: {lag}")


async def _read_records(bootstrap: str, topics: list[str]) -> dict[str, list[tuple[bytes | None, bytes | None]]]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, fetch_max_bytes=64 * 1024 * 1024
    )
    await consumer.start()
    out: dict[str, list[tuple[bytes | None, bytes | None]]] = {t: [] for t in topics}
    try:
        await consumer.topics()
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        ends = await log_end_offsets(consumer, partitions)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        left = {tp for tp in partitions if ends[tp] > 0}
        deadline = time.monotonic() + 60
        while left and time.monotonic() < deadline:
            for tp, records in (await consumer.getmany(timeout_ms=500)).items():
                out[tp.topic].extend((r.key, r.value) for r in records)
                if records and records[-1].offset + 1 >= ends[tp]:
                    left.discard(tp)
        assert not left, f"could not read to the end of {left}"
    finally:
        await consumer.stop()
    return out


def read_records(bootstrap: str, topics: list[str]) -> dict[str, list[tuple[bytes | None, bytes | None]]]:
    """Every record (key, value) of ``topics`` up to their end offsets now."""
    return asyncio.run(_read_records(bootstrap, topics))


def read_all(bootstrap: str, topics: list[str]) -> dict[str, list[bytes]]:
    """Every record value of ``topics`` up to their end offsets now."""
    return {t: [v or b"" for _, v in records] for t, records in read_records(bootstrap, topics).items()}


def window_count_problems(group: Group) -> tuple[list[str], int, int]:
    """Each escalation bucket's count against the happenings routed to it: the highest count its
    changelog recorded must be the number of distinct happenings (event ids) on
    ``<app>.happenings-by-subject`` for that subject in that bucket — a happening delivered twice
    (a worker died before committing it) must not be counted twice. Returns the problems, the
    number of buckets checked and how many counted happenings were routed more than once."""
    spec = load_rules(None).escalation
    assert spec is not None
    step = spec.step.total_seconds()
    routed_topic = f"{group.app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}"
    changelog = f"{group.app_id}-{ESCALATION_BUCKETS}-changelog"
    records = read_records(group.bootstrap, [routed_topic, changelog])
    routed: dict[tuple[str, float], set[str]] = defaultdict(set)
    deliveries = 0
    for key, value in records[routed_topic]:
        event = Event.from_json(value or b"")
        subject = Subject.from_key((key or b"").decode())
        if subject in subjects(event, spec):  # routed for first-seen only: not counted
            routed[(subject.key, bucket_of(reported_at(event).timestamp(), step))].add(event.event_id)
            deliveries += 1
    counted: dict[tuple[str, float], int] = defaultdict(int)
    for key, value in records[changelog]:
        if value is None:
            continue  # an expired window's tombstone
        subject_key, (start, _end) = orjson.loads(key or b"null")
        bucket = (subject_key, float(start))
        counted[bucket] = max(counted[bucket], int(orjson.loads(value)))
    problems = [
        f"{bucket}: counted {counted.get(bucket, 0)}, {len(ids)} happening(s)"
        for bucket, ids in routed.items()
        if counted.get(bucket, 0) != len(ids)
    ]
    problems += [f"{bucket}: counted {n}, never routed" for bucket, n in counted.items() if bucket not in routed]
    return problems, len(routed), deliveries - sum(len(ids) for ids in routed.values())


def assert_each_happening_counted_once(group: Group) -> None:
    """:func:`window_count_problems` finds nothing, over enough buckets to mean something."""
    problems, checked, repeated = window_count_problems(group)
    assert checked >= 10
    assert problems == []
    print(f"\nescalation windows: {checked} buckets checked, {repeated} happening(s) routed again after a rebalance")


def skipped_offsets(workers: Iterable[WorkerProcess]) -> list[str]:
    """Log lines where Faust counted offsets it never read as done (a gap in the log). The
    topics here have no compaction or transaction markers, so any such line meant records
    committed unprocessed (the rebalance race streams/transport.py closes)."""
    return [line for w in workers for line in w.log().splitlines() if "skipped: no records there" in line]
