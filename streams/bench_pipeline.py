"""``wirewatch bench pipeline``: throughput of N workers, end-to-end latency, CPU and memory, next to a bare relay.

The articles (``pipeline_articles``): a distinct pool of the 181 ScrapingHub article-extraction
benchmark (AEB) ground-truth bodies (plain text, ~530 words at the median; ../shared/eval/aeb) and
the bundled corpus's 23 articles (17 plain text, 6 HTML pages that the clean stage extracts; 2 in
German and Spanish), shuffled by a seeded RNG. Past the pool's 204 articles, each further article
splices two pool texts (the first half of one's paragraphs, the second half of another's, a
different partner each round), so its near-duplicate similarity to another splice sharing one of
them stays near 1/3, below the threshold (0.5).
The texts spliced are the pool texts as the clean stage leaves them, English, of three or
more paragraphs, cut to a prime number n (167); every part of a splice is about as long as the
shortest text's share (a long text's half next to a short text's would make every splice that
shares it a near-duplicate). After the n·(n-1) two-part splices (~28,000) come three-part
splices (a third of each of three texts), then four-part ones: 100,000 articles have 99,964
distinct bodies, and ~5 % of 4,000 are marked near-duplicates (offline, default window).
Every article has its own id, outlet and URL; the result still counts those the deduplicate
stage marked (``duplicates``). The first ``warmup`` articles are published and processed before
the clock starts; the measured articles are the next ``articles``.

The run: an embedded broker (unless ``--broker``), then N ``wirewatch worker`` processes in one
consumer group (one app id, own topics) with max(6, N) partitions, each with its own web port
and data directory. Timing starts once every worker is ready, the group has been stable (every
``/readyz`` 200) for two seconds, and the warm-up articles have passed every stage. Articles are
published as fast as possible (or at ``--rate``), each record's produce timestamp taken from its
ack. The benchmark reads ``articles.clean``, ``events`` and the dead letters, and polls every
worker's ``/metrics`` every 0.5 s for the stage counts alone (``name[]``: a full page every 0.5 s
cost the worker's main process ~10 % of its CPU).

- Throughput: measured articles / seconds from the first publish until the poll that sees them
  all processed: cleaned (or dead-lettered), every clean article through extract, every coded
  event through story, alert and escalation (stage done counts, summed over the workers). The
  poll adds up to 0.5 s to the end time. Per stage, messages done / seconds until that stage's
  count reached its final value.
- Latency of an article: from its raw record's produce timestamp to the wall clock at which the
  benchmark received its first event on ``events`` (articles that raise no event: its message on
  ``articles.clean``, the last output they have). Outputs carry their input's record timestamp
  (Kafka Streams style), so receive time, not output record time, is the measure. Published as
  fast as possible, the articles queue, and latency grows with the position in the queue.
- CPU seconds per article: user + system time of each worker's process tree (its forkserver
  and stage-runner children included) over the measured window, / articles; the broker's (when
  started here) and this process's (publisher and reader) CPU are given apart.
- Peak RSS: each worker's tree sampled every 0.5 s; the highest per worker and the highest sum.
  Forked children share pages with their forkserver, so a tree's RSS counts those pages twice.
- Rebalances: consumer-group rebalances during the window (each worker logs every one; Faust
  stops processing while it lasts), from the workers' logs.
- The ceiling: after the workers stop, the same messages go through a bare aiokafka relay (one
  process: consumer group on a fresh topic → producer to another, acks awaited per batch,
  offsets committed per batch) over the same broker, timed the same way (first publish → last
  relayed message received). ``fraction_of_relay`` = Wirewatch's articles/s over the relay's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import shutil
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console, Group
from rich.table import Table

from schemas import CleanArticle, DeadLetter, Event
from schemas.articles import RawArticle
from streams.benchkit import (
    MemorySampler,
    PublishedArticle,
    bench_settings,
    cpu_seconds,
    fmt,
    machine_busy_seconds,
    percentile,
    process_pss_bytes,
    pss_bytes,
    rss_bytes,
    stamp,
    until,
)
from streams.broker import EmbeddedBroker, free_port
from streams.cleaning.bench_html import DEFAULT_AEB_DIR
from streams.cleaning.stage import clean
from streams.corpus import sample_articles
from streams.kafka import bootstrap_servers, consume
from streams.settings import Settings
from streams.timescale import compressed_time_env
from streams.topics import EVENTS_BY_DYAD_SUFFIX, HAPPENINGS_BY_SUBJECT_SUFFIX, ensure_topics
from streams.workers import WorkerProcess, pin_threads, start_worker

STAGES = ("clean", "deduplicate", "extract", "story", "alert", "escalate")
POLL_S = 0.5
REBALANCE_LINE = "Executing _on_partitions_assigned"
"""What Faust logs on every member at each rebalance of the group (processing pauses meanwhile)."""


def _rebalances(workers: list[WorkerProcess]) -> int:
    """Rebalances so far: every member logs each one, so the most any worker logged."""
    return max((w.log().count(REBALANCE_LINE) for w in workers), default=0)


# --- articles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineArticle:
    """One message for ``articles.raw``: its id, where its body came from, and its bytes."""

    article_id: str
    origin: str
    """``aeb`` (a ground-truth body), ``corpus`` (a bundled article, text or HTML) or ``splice`` (two pool texts)."""
    key: bytes
    value: bytes


def _aeb_bodies(aeb_dir: Path) -> list[str]:
    path = aeb_dir / "ground-truth.json"
    if not path.is_file():
        return []
    truth = json.loads(path.read_text("utf-8"))
    return [str(truth[k]["articleBody"]) for k in sorted(truth) if str(truth[k].get("articleBody", "")).strip()]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _cleaned_text(text: str) -> str:
    """The text as the clean stage leaves it; empty unless English (the clean stage keeps one
    language per article, so a splice of two languages would lose one of its parts)."""
    try:
        article = clean(RawArticle(id="splice-part", text=text))
    except Exception:  # noqa: BLE001 - a text the clean stage refuses is simply not spliced
        return ""
    return article.text if article.language == "en" else ""


def _splice_texts(pool: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The pool texts splices are made of, as the clean stage leaves them (so a part is not dropped
    again as furniture), English, of three or more paragraphs, cut to a prime count."""
    cleaned = [_cleaned_text(t) for _, f in pool if (t := f.get("text"))]
    texts = sorted((t for t in cleaned if len(_paragraphs(t)) >= 3), key=lambda t: len(t.split()))
    return texts[: _largest_prime_at_most(len(texts))]


def _largest_prime_at_most(n: int) -> int:
    def prime(m: int) -> bool:
        return m >= 2 and all(m % d for d in range(2, int(m**0.5) + 1))

    return next((m for m in range(n, 1, -1) if prime(m)), n)


def pipeline_articles(
    count: int, *, seed: int = 0, prefix: str = "bench", aeb_dir: Path = DEFAULT_AEB_DIR
) -> list[PipelineArticle]:
    """``count`` distinct raw articles: the pool (AEB bodies + corpus) shuffled, then splices of pool texts."""
    rng = random.Random(seed)
    corpus = sample_articles()
    pool: list[tuple[str, dict[str, Any]]] = [("aeb", {"text": body}) for body in _aeb_bodies(aeb_dir)]
    for article in corpus:
        fields = article.model_dump(mode="json", exclude_none=True, exclude={"id", "url", "source"})
        pool.append(("corpus", fields))
    rng.shuffle(pool)
    texts = _splice_texts(pool) if count > len(pool) else []
    n = len(texts)
    out: list[PipelineArticle] = []
    for i in range(count):
        if i < len(pool):
            origin, fields = pool[i]
        else:
            # Splice number i: k parts (2 in the first n·(n-1) splices, then 3, 4 …), part m the
            # m-th k-th of the paragraphs of text j + m·(r+1) (mod n, a prime: the k texts are
            # distinct, and two splices with the same k share at most one text in one place).
            k_round, rest = divmod(i - len(pool), n * (n - 1))
            r, j = divmod(rest, n)
            parts = k_round + 2
            chosen = [_paragraphs(texts[(j + m * (r + 1)) % n]) for m in range(parts)]
            # Every part about as long as the shortest text's share: a long text's half next to a
            # short text's would make every splice sharing it a near-duplicate of the others.
            share = min(sum(len(p.split()) for p in paragraphs) for paragraphs in chosen) // parts
            body: list[str] = []
            for m, paragraphs in enumerate(chosen):
                size = len(paragraphs)
                left = share
                for paragraph in paragraphs[m * size // parts : (m + 1) * size // parts] or paragraphs[-1:]:
                    words = paragraph.split()
                    body.append(" ".join(words[:left]))
                    left -= len(words)
                    if left <= 0:
                        break
            origin, fields = "splice", {"text": "\n\n".join(body)}
        article_id = f"{prefix}-{i:05d}"
        raw = {
            **fields,
            "id": article_id,
            "url": f"https://bench-{i:05d}.wirewatch.test/{origin}/{i}",
            "source": f"Bench Wire {i:05d}",
        }
        value = RawArticle.model_validate(raw).to_json()
        out.append(PipelineArticle(article_id=article_id, origin=origin, key=article_id.encode(), value=value))
    return out


# --- worker metrics ------------------------------------------------------------------------------


# The samples scrape_stages reads: the worker renders only these (a full page every 0.5 s cost
# the worker ~10 % of its main process's CPU, which a 15 s Prometheus scrape does not).
STAGE_SAMPLES = tuple(
    f"{family}{suffix}"
    for family, suffixes in (
        ("wirewatch_stage_duration_seconds", ("_count", "_sum")),
        ("wirewatch_stage_batch_articles", ("_count", "_sum")),
        ("wirewatch_stage_messages_out", ("_total",)),
    )
    for suffix in suffixes
)


def stage_samples_url(metrics_url: str) -> str:
    """``metrics_url`` asking for the :data:`STAGE_SAMPLES` alone."""
    return f"{metrics_url}?{urllib.parse.urlencode([('name[]', name) for name in STAGE_SAMPLES])}"


def scrape_stages(metrics_url: str, settings: Settings) -> dict[str, float]:
    """One worker's counts: ``done.<stage>`` (messages finished), ``sum.<stage>`` (seconds spent),
    ``batch.<stage>.count`` / ``.sum`` (child calls and the articles they handled),
    ``out.extract`` (coded events), ``out.story.subject`` (happenings routed to escalation),
    ``out.deduplicate`` (articles published on articles.clean). Empty if unreachable."""
    try:
        with urllib.request.urlopen(stage_samples_url(metrics_url), timeout=2) as resp:  # a loopback URL we built
            text = resp.read().decode()
    except OSError:
        return {}
    subject = f"{settings.app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}"
    by_dyad = f"{settings.app_id}.{EVENTS_BY_DYAD_SUFFIX}"
    values: dict[str, float] = {}

    def add(key: str, value: float) -> None:
        values[key] = values.get(key, 0.0) + value

    for metric in text_string_to_metric_families(text):
        if metric.name == "wirewatch_stage_duration_seconds":
            for sample in metric.samples:
                if sample.name.endswith("_count"):
                    add(f"done.{sample.labels['stage']}", sample.value)
                elif sample.name.endswith("_sum"):
                    add(f"sum.{sample.labels['stage']}", sample.value)
        elif metric.name == "wirewatch_stage_batch_articles":
            for sample in metric.samples:
                if sample.name.endswith(("_count", "_sum")):
                    add(f"batch.{sample.labels['stage']}.{sample.name.rsplit('_', 1)[1]}", sample.value)
        elif metric.name == "wirewatch_stage_messages_out":
            for sample in metric.samples:
                if not sample.name.endswith("_total"):
                    continue
                stage, topic = sample.labels["stage"], sample.labels["topic"]
                if stage == "extract" and topic == by_dyad:
                    add("out.extract", sample.value)
                elif stage == "story" and topic == subject:
                    add("out.story.subject", sample.value)
                elif stage == "clean" and topic == settings.topic_clean:
                    add("out.deduplicate", sample.value)
    return values


def _sum(scrapes: list[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for scrape in scrapes:
        for key, value in scrape.items():
            total[key] = total.get(key, 0.0) + value
    return total


def _diff(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a.get(k, 0.0) - b.get(k, 0.0) for k in set(a) | set(b)}


def _stage_done_key(stage: str) -> str:
    return "out.deduplicate" if stage == "deduplicate" else f"done.{stage}"


# --- result --------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Sample(PublishedArticle):
    """One measured article (epoch seconds), followed to its first event."""

    origin: str
    dead: bool = False
    events: int = 0
    event_at: float | None = None
    """When its first event reached the benchmark's consumer."""

    @property
    def done_at(self) -> float | None:
        return self.event_at if self.event_at is not None else self.cleaned_at

    @property
    def latency(self) -> float | None:
        return None if self.done_at is None else self.done_at - self.sent_at


@dataclass
class RelayResult:
    messages: int
    seconds: float
    cpu_s: float

    @property
    def per_s(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0


@dataclass
class PipelineResult:
    """What one run measured."""

    workers: int
    partitions: int
    rate: float | None
    warmup: int
    samples: list[Sample]
    publish_s: float
    """Seconds from the first to the last send."""
    wall_s: float
    """Seconds from the first publish to the poll that saw every article processed."""
    completed: bool
    stage_counts: dict[str, float]
    """Measured-window deltas of the summed worker counts (``done.*``, ``sum.*``, ``out.*``)."""
    stage_last_s: dict[str, float]
    """Seconds from the first publish until each stage's count reached its final value."""
    worker_cpu_s: float
    broker_cpu_s: float | None
    bench_cpu_s: float
    machine_cpu_s: float
    """Busy CPU seconds of the whole machine in the window: ours and whatever else runs on it."""
    peak_rss_each: list[int]
    peak_rss_total: int
    relay: RelayResult | None
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    extra: dict[str, Any] = field(default_factory=dict)

    def _lat(self, values: list[float | None], prefix: str) -> dict[str, float | None]:
        got = [v for v in values if v is not None]
        return {
            f"{prefix}p50_s": statistics.median(got) if got else None,
            f"{prefix}p95_s": percentile(got, 95),
            f"{prefix}p99_s": percentile(got, 99),
            f"{prefix}max_s": max(got) if got else None,
        }

    def stage_rates(self) -> dict[str, dict[str, float | None]]:
        rates: dict[str, dict[str, float | None]] = {}
        for stage in STAGES:
            done = self.stage_counts.get(_stage_done_key(stage), 0.0)
            last = self.stage_last_s.get(stage)
            busy = self.stage_counts.get(f"sum.{stage}")
            rates[stage] = {
                "messages": done,
                "per_s": done / last if done and last else None,
                "mean_s": busy / done if done and busy is not None and stage != "deduplicate" else None,
            }
        return rates

    def as_dict(self) -> dict[str, Any]:
        n = len(self.samples)
        per_s = n / self.wall_s if self.completed and self.wall_s > 0 else None
        relay_per_s = self.relay.per_s if self.relay else None
        mb = 1024 * 1024
        ours = self.worker_cpu_s + (self.broker_cpu_s or 0.0) + self.bench_cpu_s
        calls, calls_sum = self.stage_counts.get("batch.extract.count"), self.stage_counts.get("batch.extract.sum", 0.0)
        return {
            "workers": self.workers,
            "partitions": self.partitions,
            "cores": os.cpu_count(),
            "articles": n,
            "warmup": self.warmup,
            "rate": self.rate,
            "publish_per_s": round((n - 1) / self.publish_s, 1) if n > 1 and self.publish_s > 0 else None,
            "completed": self.completed,
            "wall_s": round(self.wall_s, 3),
            "articles_per_s": round(per_s, 3) if per_s is not None else None,
            "cleaned": sum(1 for s in self.samples if s.cleaned_at is not None),
            "dead_letters": sum(1 for s in self.samples if s.dead),
            "duplicates": sum(1 for s in self.samples if s.duplicate),
            "with_events": sum(1 for s in self.samples if s.events),
            "events": sum(s.events for s in self.samples),
            "processed": sum(1 for s in self.samples if s.done_at is not None),
            "origins": {o: sum(1 for s in self.samples if s.origin == o) for o in ("aeb", "corpus", "splice")},
            **self._lat([s.latency for s in self.samples], ""),
            **self._lat([s.clean_latency for s in self.samples], "clean_"),
            **self._lat([None if s.event_at is None else s.event_at - s.sent_at for s in self.samples], "event_"),
            "stages": self.stage_rates(),
            "extract_articles_per_call": round(calls_sum / calls, 2) if calls else None,
            "cpu_s_per_article": round(self.worker_cpu_s / n, 4) if n else None,
            "worker_cpu_s": round(self.worker_cpu_s, 2),
            "broker_cpu_s": None if self.broker_cpu_s is None else round(self.broker_cpu_s, 2),
            "bench_cpu_s": round(self.bench_cpu_s, 2),
            "machine_busy_cores": round(self.machine_cpu_s / self.wall_s, 2) if self.wall_s > 0 else None,
            "other_busy_cores": round(max(0.0, self.machine_cpu_s - ours) / self.wall_s, 2)
            if self.wall_s > 0
            else None,
            "peak_rss_mb": round(self.peak_rss_total / mb, 1),
            "peak_rss_mb_per_worker": round(max(self.peak_rss_each, default=0) / mb, 1),
            "relay_articles_per_s": round(relay_per_s, 1) if relay_per_s is not None else None,
            "relay_cpu_s_per_article": round(self.relay.cpu_s / self.relay.messages, 5) if self.relay else None,
            "fraction_of_relay": round(per_s / relay_per_s, 4) if per_s and relay_per_s else None,
            "load_before": list(self.load_before),
            "load_after": list(self.load_after),
            **self.extra,
        }


# --- the measured run ----------------------------------------------------------------------------


async def _stable_group(workers: list[WorkerProcess], settle_s: float, timeout: float) -> None:
    """Every worker logged Ready and every ``/readyz`` answered 200 for ``settle_s`` s in a row."""
    for worker in workers:
        await asyncio.to_thread(worker.wait_ready, timeout)

    def ready(worker: WorkerProcess) -> bool:
        url = worker.metrics_url.replace("/metrics", "/readyz")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # a loopback URL we built
                return bool(resp.status == 200)
        except OSError:
            return False

    deadline = time.monotonic() + timeout
    since: float | None = None
    while time.monotonic() < deadline:
        states = await asyncio.gather(*(asyncio.to_thread(ready, w) for w in workers))
        if all(states):
            since = since or time.monotonic()
            if time.monotonic() - since >= settle_s:
                return
        else:
            since = None
        for worker in workers:
            if not worker.alive():
                raise RuntimeError(f"worker exited with {worker.process.returncode}:\n{worker.log()[-3000:]}")
        await asyncio.sleep(0.2)
    raise TimeoutError(f"the consumer group was not stable within {timeout} s")


async def _measure(
    settings: Settings,
    workers: list[WorkerProcess],
    broker: EmbeddedBroker | None,
    articles: list[PipelineArticle],
    *,
    warmup: int,
    rate: float | None,
    timeout: float,
    idle_s: float,
    console: Console,
    memory_at: Sequence[int] = (),
) -> PipelineResult:
    await ensure_topics(settings)
    tracked: dict[str, Sample] = {}
    ready = asyncio.Event()

    async def read() -> None:
        topics = [settings.topic_clean, settings.topic_events, settings.topic_deadletter]
        async for record in consume(settings, topics, ready=ready):
            received = time.time()
            value = record.value or b""
            if record.topic == settings.topic_clean:
                article = CleanArticle.from_json(value)
                if (s := tracked.get(article.id)) is not None and s.cleaned_at is None:
                    s.cleaned_at, s.duplicate = received, article.duplicate_of is not None
            elif record.topic == settings.topic_events:
                event = Event.from_json(value)
                if (s := tracked.get(event.article_id)) is not None:
                    s.events += 1
                    s.event_at = s.event_at or received
            else:
                letter = DeadLetter.from_json(value)
                key = (record.key or b"").decode("utf-8", "replace")
                if (s := tracked.get(key)) is not None and letter.stage in ("decode", "clean"):
                    s.dead = True

    async def scrape_all() -> dict[str, float]:
        return _sum(await asyncio.gather(*(asyncio.to_thread(scrape_stages, w.metrics_url, settings) for w in workers)))

    def processed(base: dict[str, float], now: dict[str, float], batch: list[Sample]) -> bool:
        d = _diff(now, base)
        passed = sum(1 for s in batch if s.cleaned_at is not None or s.dead)
        cleaned = sum(1 for s in batch if s.cleaned_at is not None)
        return (
            passed >= len(batch)
            and d.get("done.extract", 0) >= cleaned
            and d.get("done.story", 0) >= d.get("out.extract", 0)
            and d.get("done.alert", 0) >= d.get("done.story", 0)
            and d.get("done.escalate", 0) >= d.get("out.story.subject", 0)
        )

    memory: dict[int, dict[str, float]] = {}

    async def watch_memory(base: dict[str, float], start: float) -> None:
        # The soak's figures: the workers' memory when the articles through extract pass each mark.
        marks = sorted(memory_at)
        while marks:
            done = _diff(await scrape_all(), base).get("done.extract", 0.0)
            while marks and done >= marks[0]:
                rss = sum(rss_bytes(w.process.pid) for w in workers) / 2**20
                pss = sum(pss_bytes(w.process.pid) for w in workers) / 2**20
                # the worker processes alone (consumer, tables, producer) apart from their stage children
                main = sum(process_pss_bytes(w.process.pid) for w in workers) / 2**20
                memory[marks[0]] = {
                    "rss_mb": round(rss, 1),
                    "pss_mb": round(pss, 1),
                    "worker_process_pss_mb": round(main, 1),
                    "at_s": round(time.monotonic() - start, 1),
                }
                mark, at = marks.pop(0), time.monotonic() - start
                console.print(
                    f"after {mark} articles ({at:.0f} s): workers' RSS {rss:.0f} MB, Pss {pss:.0f} MB "
                    f"(worker processes {main:.0f}, stage children and their server {pss - main:.0f})"
                )
            await asyncio.sleep(5.0)

    reader = asyncio.ensure_future(read())
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(settings.broker),
        max_request_size=max(settings.max_message_bytes * 4, 1_048_576),
        linger_ms=0,
    )
    sampler = MemorySampler([w.process.pid for w in workers])
    try:
        await asyncio.wait_for(asyncio.shield(ready.wait()), 60)
        await _stable_group(workers, settle_s=2.0, timeout=180)
        await producer.start()
        sampler.__enter__()
        warm, measured = articles[:warmup], articles[warmup:]
        base = await scrape_all()
        warm_samples = [Sample(article_id=a.article_id, origin=a.origin, sent_at=time.time()) for a in warm]
        tracked.update({s.article_id: s for s in warm_samples})
        for article in warm:
            await (await producer.send(settings.topic_raw, article.value, key=article.key))
        warm_ok = False
        deadline = time.monotonic() + timeout
        while not warm_ok and time.monotonic() < deadline:
            await until(lambda: False, POLL_S, workers)
            warm_ok = processed(base, await scrape_all(), warm_samples)
        if not warm_ok:
            raise TimeoutError(f"the {len(warm)} warm-up articles were not processed within {timeout} s")
        console.print(
            f"{len(workers)} worker(s) ready, warm-up of {len(warm)} articles done; publishing {len(measured)} "
            + ("as fast as possible" if rate is None else f"at {rate:g}/s")
        )
        # The cost of standing by: CPU of the workers and the broker with nothing to process.
        idle0 = sum(cpu_seconds(w.process.pid) for w in workers)
        broker_pid = broker.process.pid if broker is not None and broker.process is not None else None
        idle_broker0 = cpu_seconds(broker_pid) if broker_pid is not None else None
        idle_started = time.monotonic()
        await until(lambda: False, idle_s, workers)
        idle_span = time.monotonic() - idle_started
        idle_worker_cores = (sum(cpu_seconds(w.process.pid) for w in workers) - idle0) / idle_span
        idle_broker_cores = (
            (cpu_seconds(broker_pid) - idle_broker0) / idle_span
            if broker_pid is not None and idle_broker0 is not None
            else None
        )
        load_before = os.getloadavg()
        base = await scrape_all()
        rebalances0 = _rebalances(workers)
        cpu0 = sum(cpu_seconds(w.process.pid) for w in workers)
        broker0 = cpu_seconds(broker_pid) if broker_pid is not None else None
        bench0 = time.process_time()
        machine0 = machine_busy_seconds()
        samples = [Sample(article_id=a.article_id, origin=a.origin, sent_at=0.0) for a in measured]
        tracked.update({s.article_id: s for s in samples})
        acks: list[asyncio.Future[None]] = []
        start = time.monotonic()
        watcher = asyncio.ensure_future(watch_memory(base, start)) if memory_at else None
        for i, (article, sample) in enumerate(zip(measured, samples, strict=True)):
            if rate is not None:
                await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            sample.sent_at = time.time()
            ack = await producer.send(settings.topic_raw, article.value, key=article.key)
            acks.append(asyncio.ensure_future(stamp(ack, sample)))
        publish_s = time.monotonic() - start
        await asyncio.gather(*acks)
        timeline: list[tuple[float, dict[str, float]]] = []
        completed = False
        deadline = time.monotonic() + timeout + (len(measured) / rate if rate else 0.0)
        while time.monotonic() < deadline:
            now = await scrape_all()
            timeline.append((time.monotonic() - start, _diff(now, base)))
            if processed(base, now, samples):
                completed = True
                break
            await until(lambda: False, POLL_S, workers)
        wall_s = timeline[-1][0] if timeline else 0.0
        worker_cpu = sum(cpu_seconds(w.process.pid) for w in workers) - cpu0
        broker_cpu = cpu_seconds(broker_pid) - broker0 if broker_pid is not None and broker0 is not None else None
        bench_cpu = time.process_time() - bench0
        machine_cpu = machine_busy_seconds() - machine0
        load_after = os.getloadavg()
        rebalances = _rebalances(workers) - rebalances0
        if not completed:
            console.print(f"[red]not every article was processed within {timeout:g} s[/]")
        if watcher is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(watcher), 10.0)  # the last mark, when every article is through
            watcher.cancel()
    finally:
        sampler.__exit__()
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await producer.stop()
    final = timeline[-1][1] if timeline else {}
    last: dict[str, float] = {}
    for stage in STAGES:
        key = _stage_done_key(stage)
        reached = next((t for t, counts in timeline if counts.get(key, 0.0) >= final.get(key, 0.0)), None)
        if reached is not None:
            last[stage] = reached
    return PipelineResult(
        workers=len(workers),
        partitions=settings.partitions,
        rate=rate,
        warmup=len(warm),
        samples=samples,
        publish_s=publish_s,
        wall_s=wall_s,
        completed=completed,
        stage_counts=final,
        stage_last_s=last,
        worker_cpu_s=worker_cpu,
        broker_cpu_s=broker_cpu,
        bench_cpu_s=bench_cpu,
        machine_cpu_s=machine_cpu,
        peak_rss_each=sampler.peak_each,
        peak_rss_total=sampler.peak_total,
        relay=None,
        load_before=load_before,
        load_after=load_after,
        extra={
            "rebalances": rebalances,
            "idle_worker_cores": round(idle_worker_cores, 3),
            "idle_broker_cores": None if idle_broker_cores is None else round(idle_broker_cores, 3),
            "memory_at": {str(k): v for k, v in sorted(memory.items())},
        },
    )


# --- the ceiling: a bare relay -------------------------------------------------------------------


def _relay_process(bootstrap: str, source: str, target: str, group: str, count: int, ready: Any) -> None:
    """Entry point of the relay child process (spawned): copy ``count`` records ``source`` → ``target``."""
    asyncio.run(_relay(bootstrap, source, target, group, count, ready))


async def _relay(bootstrap: str, source: str, target: str, group: str, count: int, ready: Any) -> None:
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=100,
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=16 * 1024 * 1024, linger_ms=0)
    await consumer.start()
    await producer.start()
    try:
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=100)  # joins the group; nothing is published yet
        ready.set()
        relayed = 0
        while relayed < count:
            batch = await consumer.getmany(timeout_ms=100, max_records=500)
            acks = [
                await producer.send(target, record.value, key=record.key, timestamp_ms=record.timestamp)
                for records in batch.values()
                for record in records
            ]
            await asyncio.gather(*acks)
            if acks:
                await consumer.commit()
            relayed += len(acks)
    finally:
        await producer.stop()
        await consumer.stop()


async def _run_relay(settings: Settings, articles: list[PipelineArticle], timeout: float) -> RelayResult:
    bootstrap = bootstrap_servers(settings.broker)
    source, target = f"{settings.app_id}.relay.in", f"{settings.app_id}.relay.out"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(t, settings.partitions, 1) for t in (source, target)])
    finally:
        await admin.close()
    reader_settings = settings.model_copy(update={"fetch_max_wait_s": 0.1})
    received = 0
    last_at = 0.0
    ready = asyncio.Event()

    async def read() -> None:
        nonlocal received, last_at
        async for _ in consume(reader_settings, [target], ready=ready):
            received += 1
            last_at = time.monotonic()

    context = multiprocessing.get_context("spawn")
    relay_ready = context.Event()
    process = context.Process(
        target=_relay_process,
        args=(bootstrap, source, target, f"{settings.app_id}.relay", len(articles), relay_ready),
        daemon=True,
    )
    process.start()
    reader = asyncio.ensure_future(read())
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, max_request_size=max(settings.max_message_bytes * 4, 1_048_576), linger_ms=0
    )
    try:
        await asyncio.wait_for(asyncio.shield(ready.wait()), 60)
        if not await asyncio.to_thread(relay_ready.wait, 60):
            raise TimeoutError("the relay did not join its group within 60 s")
        await producer.start()
        assert process.pid is not None
        cpu0 = cpu_seconds(process.pid)
        start = time.monotonic()
        acks = [await producer.send(source, a.value, key=a.key) for a in articles]
        await asyncio.gather(*acks)
        deadline = start + timeout
        while received < len(articles) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        cpu = cpu_seconds(process.pid) - cpu0
        if received < len(articles):
            raise TimeoutError(f"the relay delivered {received}/{len(articles)} messages within {timeout} s")
        return RelayResult(messages=len(articles), seconds=last_at - start, cpu_s=cpu)
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await producer.stop()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


# --- entry point ---------------------------------------------------------------------------------


def run_bench(
    broker_url: str | None = None,
    *,
    workers: int = 1,
    articles: int = 300,
    rate: float | None = None,
    warmup: int | None = None,
    timeout: float = 600.0,
    seed: int = 0,
    relay: bool = True,
    idle_s: float = 3.0,
    aeb_dir: Path = DEFAULT_AEB_DIR,
    pin: bool = False,
    memory_at: Sequence[int] = (),
    time_scale: float | None = None,
    console: Console | None = None,
) -> PipelineResult:
    """Start a broker (unless ``broker_url``) and ``workers`` workers, publish, measure; then the relay ceiling.

    The run has its own app id and topics; everything it started is stopped and its temporary
    directory removed, also on an error or Ctrl-C. With ``pin``, worker i and its stage
    children run on core i only, and the broker and this process on the cores left (on all
    cores when none is left): "one worker on one core" as a figure, not a guess.
    """
    console = console or Console(stderr=True)
    if time_scale is not None and not 0 < time_scale <= 1:
        raise ValueError(f"--time-scale must be in (0, 1], not {time_scale}")
    cores = sorted(os.sched_getaffinity(0))
    worker_cores: list[frozenset[int] | None] = [None] * workers
    rest = frozenset(cores)
    if pin:
        if workers > len(cores):
            raise ValueError(f"--pin needs a core per worker: {workers} workers, {len(cores)} cores")
        worker_cores = [frozenset({cores[i]}) for i in range(workers)]
        rest = frozenset(cores[workers:]) or frozenset(cores)
        os.sched_setaffinity(0, rest)
    partitions = max(6, workers)
    warmup = 2 * partitions if warmup is None else warmup
    broker: EmbeddedBroker | None = None
    procs: list[WorkerProcess] = []
    tmp = Path(tempfile.mkdtemp(prefix="wirewatch-benchpipe-"))
    try:
        if broker_url is None:
            broker = EmbeddedBroker(port=free_port(), log_path=tmp / "broker.log").start()
            bootstrap = broker.bootstrap
            if pin and broker.process is not None:
                pin_threads(broker.process.pid, rest)
            console.print(f"started the embedded broker on {bootstrap}")
        else:
            bootstrap = bootstrap_servers(broker_url)
        env, settings = bench_settings(
            bootstrap, tmp, app_prefix="wirewatch-benchpipe", partitions=partitions, external=broker_url is not None
        )
        if time_scale is not None:  # a soak: tables reach their steady size within the run
            scaled = compressed_time_env(settings, time_scale, tmp)
            env.update(scaled)
            spans = ", ".join(
                f"{name.removeprefix('WIREWATCH_').removesuffix('_DAYS').lower().replace('_', ' ')} "
                f"{float(value) * 86400:.0f} s"
                for name, value in scaled.items()
                if name.endswith("_DAYS")
            )
            console.print(f"time × {time_scale:g}: {spans}; the alert rules' durations alike")
        for i in range(workers):
            home = tmp / f"worker-{i}"
            home.mkdir()
            own = {**env, "WIREWATCH_WEB_PORT": str(free_port()), "WIREWATCH_DATA_DIR": str(home / "data")}
            procs.append(start_worker(own, home, cpus=worker_cores[i]))
        pids = ", ".join(str(p.process.pid) for p in procs)
        console.print(f"{workers} worker(s) (pids {pids}) in group {settings.app_id}, {partitions} partitions")
        if pin:
            console.print(f"pinned: worker i on core i of {cores}; broker and bench on {sorted(rest)}")
        batch = pipeline_articles(warmup + articles, seed=seed, prefix=settings.app_id, aeb_dir=aeb_dir)
        result = asyncio.run(
            _measure(
                settings,
                procs,
                broker,
                batch,
                warmup=warmup,
                rate=rate,
                timeout=timeout,
                idle_s=idle_s,
                console=console,
                memory_at=memory_at,
            )
        )
        result.extra["pinned"] = pin
        result.extra["time_scale"] = time_scale
        for proc in procs:  # the relay runs alone on the broker
            proc.stop()
        if relay:
            console.print(f"ceiling: a bare aiokafka relay over the same broker, {articles} messages")
            result.relay = asyncio.run(_run_relay(settings, batch[warmup:], timeout))
        return result
    finally:
        for proc in procs:
            proc.stop()
        if broker is not None:
            broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)


# --- output --------------------------------------------------------------------------------------


def render(result: PipelineResult) -> Group:
    """The headline figures, then one row per stage."""
    d = result.as_dict()
    rate = "as fast as possible" if d["rate"] is None else f"at {d['rate']:g}/s"
    head = Table(
        title=f"Pipeline throughput: {d['workers']} worker(s), {d['partitions']} partitions, {d['articles']} articles "
        f"published {rate} (achieved {fmt(d['publish_per_s'], 1)}/s), after {d['warmup']} warm-up; {d['cores']} cores",
        title_justify="left",
    )
    head.add_column("measure")
    head.add_column("value", justify="right")
    head.add_row("articles/s (first publish → all processed)", fmt(d["articles_per_s"], 2))
    head.add_row("bare relay articles/s (ceiling, same broker and messages)", fmt(d["relay_articles_per_s"], 1))
    head.add_row("fraction of the relay", fmt(d["fraction_of_relay"], 4))
    for label, prefix in (("latency to first event, else clean", ""), ("latency to articles.clean", "clean_")):
        cells = " / ".join(fmt(d[f"{prefix}{c}_s"], 2) for c in ("p50", "p95", "p99", "max"))
        head.add_row(f"{label}: p50 / p95 / p99 / max s", cells)
    head.add_row("worker CPU s per article (worker trees)", fmt(d["cpu_s_per_article"], 3))
    head.add_row("articles per extract child call (they queue: coded together)", fmt(d["extract_articles_per_call"], 2))
    head.add_row(
        "CPU s in the window: workers / broker / benchmark",
        f"{fmt(d['worker_cpu_s'], 1)} / {fmt(d['broker_cpu_s'], 1)} / {fmt(d['bench_cpu_s'], 1)}",
    )
    head.add_row(
        "machine busy cores in the window: all / not this run",
        f"{fmt(d['machine_busy_cores'], 2)} / {fmt(d['other_busy_cores'], 2)} of {d['cores']}",
    )
    head.add_row(
        "standing by, nothing to process: worker / broker cores",
        f"{fmt(d['idle_worker_cores'], 3)} / {fmt(d['idle_broker_cores'], 3)}",
    )
    head.add_row("consumer-group rebalances in the window (processing pauses)", str(d["rebalances"]))
    head.add_row("peak RSS MB: all workers / highest worker", f"{d['peak_rss_mb']} / {d['peak_rss_mb_per_worker']}")
    for mark, mem in d["memory_at"].items():
        head.add_row(
            f"workers' RSS / Pss MB after {mark} articles (Pss of the worker processes alone)",
            f"{mem['rss_mb']} / {mem['pss_mb']} ({mem['worker_process_pss_mb']})",
        )
    head.add_row("wall s (first publish → all processed)", fmt(d["wall_s"], 2))
    head.caption = (
        f"{d['processed']}/{d['articles']} processed ({d['cleaned']} cleaned, {d['dead_letters']} dead letters, "
        f"{d['duplicates']} marked duplicates), {d['with_events']} raised {d['events']} events; mix "
        + ", ".join(f"{k} {v}" for k, v in d["origins"].items())
        + f"; load average before {' '.join(f'{x:.2f}' for x in d['load_before'])}"
        + ("" if d["completed"] else "; [red]INCOMPLETE: timed out[/]")
    )
    head.caption_justify = "left"
    stages = Table(title="Per stage (sum over workers)", title_justify="left")
    for column in ("stage", "messages", "messages/s sustained", "mean s per message"):
        stages.add_column(column, justify="left" if column == "stage" else "right")
    for stage, row in d["stages"].items():
        stages.add_row(stage, fmt(int(row["messages"])), fmt(row["per_s"], 2), fmt(row["mean_s"], 3))
    stages.caption = "messages/s: done / seconds from the first publish until the stage's count stopped rising"
    stages.caption_justify = "left"
    return Group(head, stages)


def plot(result: PipelineResult, path: Path) -> None:
    """Latency of each article against when its output arrived (seconds since the first publish), as a PNG."""
    from streams.pngplot import Series, scatter_png

    t0 = min((s.sent_at for s in result.samples), default=0.0)
    clean = [(s.cleaned_at - t0, s.cleaned_at - s.sent_at) for s in result.samples if s.cleaned_at is not None]
    event = [(s.event_at - t0, s.event_at - s.sent_at) for s in result.samples if s.event_at is not None]
    d = result.as_dict()
    scatter_png(
        path,
        [Series("articles.clean", clean, (44, 160, 44)), Series("first event", event, (31, 119, 180))],
        title=f"wirewatch bench pipeline: {d['workers']} worker(s), {d['articles']} articles",
        xlabel="arrival of the output, seconds since the first publish",
        ylabel="latency (s)",
        caption=f"{fmt(d['articles_per_s'], 2)} articles/s; p50 {fmt(d['p50_s'], 2)} s, p99 {fmt(d['p99_s'], 2)} s "
        f"(first event, else clean); relay ceiling {fmt(d['relay_articles_per_s'], 1)}/s",
    )
