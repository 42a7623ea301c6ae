"""``wirewatch bench alerts``: alert latency, article published on ``articles.raw`` → alert on ``alerts``.

The mix: every benchmark article is one of the bundled corpus's plain-text articles that raise
an alert (``ALERT_BASES``: Israeli strikes on Iranian nuclear sites twice,
M23 fighting in Congo, the Al Udeid strike, Kenyan police and protesters), whole, followed by
filler sentences drawn in a random order from the corpus's English articles that raise no alert
(``FILLER``) — at least as many words as the base, so two variants of one base stay below the
near-duplicate threshold and each is cleaned and coded in full, as a new story would be. Each
variant has its own id, outlet and URL and keeps its base's ``published_at``, so the first variant
of a base raises the alert and every later one updates it (a further report of the same story).
Variants are cut from a seeded RNG: the same ``--articles`` and ``--seed`` give the same bytes.
The filler pool is small (~1,600 words), so some variants of the longer bases still land above the
threshold and are marked near-duplicates (then not coded again, only added to the story); the
result counts them and gives their median apart. With the default five warm-up articles (one per
base) the warm-up raises the alerts and every measured article is an alert update.

Latency of an article: from its record's produce timestamp (aiokafka's CreateTime from the ack)
to the first alert message whose evidence carries its id. The headline is the wall clock at
which the benchmark's consumer received that alert (what a user sees). (The alert record's own
timestamp is no measure: the worker stamps every output with its input's timestamp, Kafka
Streams style, so an alert carries its article's raw timestamp.) The arrival of the article on
``articles.clean`` splits clean + deduplicate from extract + story + alert.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from schemas import Alert, CleanArticle
from schemas.articles import RawArticle
from streams.benchkit import PublishedArticle, bench_settings, fmt, percentile, stamp, until
from streams.broker import EmbeddedBroker, free_port
from streams.cleaning.stage import clean
from streams.corpus import sample_articles
from streams.demo import scrape_counter, stage_done
from streams.kafka import bootstrap_servers, consume, new_producer, start_client
from streams.settings import Settings
from streams.topics import ensure_topics
from streams.workers import WorkerProcess, start_worker

ALERT_BASES = (
    "seed-putin-calls",
    "gulfdispatch-israel-strikes-iran-0613",
    "capitol-wire-drc-rwanda-0627",
    "gulfdispatch-al-udeid-0623",
    "https://savannahtribune.example/kenya/nairobi-protests-anniversary-tear-gas",
)
"""Plain-text corpus articles (id, else URL) that raise at least one alert with the shipped rules."""

FILLER = (
    # No alert since its killers are no longer coded as the convoy's agencies (an attack on X that killed).
    "un-observer-sudan-convoy-0605",
    "eurodesk-eu-18th-sanctions-0610",
    "caucasus-report-tbilisi-journalists-0612",
    "bosphorus-times-istanbul-talks-0602",
    "dniester-daily-moldova-expels-diplomats",
    "baltic-monitor-baltops-0603",
    "vistula-news-poland-election-0602",
    "gulfdispatch-ceasefire-israel-iran-0624",
    "balkandesk-belgrade-protest-0628",
    "https://lowlandspost.example/world/nato-summit-hague-declaration-five-percent",
    "https://courtside.example/tennis/roland-garros-2025-final-alcaraz-sinner",
)
"""English corpus articles (text or HTML) that raise no alert: the source of filler sentences."""

FILLER_RATIO = 1.5
"""Filler words per base word: enough that two variants of one base stay below the near-duplicate threshold."""

_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class BenchArticle:
    """One message for ``articles.raw`` and the base it was cut from."""

    article_id: str
    base: str
    key: bytes
    value: bytes


def _key(article: RawArticle) -> str:
    return article.id or article.url or ""


def _sentences(article: RawArticle) -> list[str]:
    """Body sentences of a corpus article as the clean stage keeps them (no headline, no furniture)."""
    return [s for p in clean(article).paragraphs for s in _SENTENCE_END.split(p) if len(s.split()) >= 6]


def bench_articles(count: int, *, seed: int = 0, prefix: str = "bench") -> list[BenchArticle]:
    """``count`` alert-raising variants, the bases in turn, each with its own id, outlet, URL and filler."""
    corpus = {_key(a): a for a in sample_articles()}
    bases = [corpus[k] for k in ALERT_BASES]
    pool = [s for k in FILLER for s in _sentences(corpus[k])]
    rng = random.Random(seed)
    out: list[BenchArticle] = []
    for i in range(count):
        base = bases[i % len(bases)]
        text = base.text or ""
        need = len(text.split()) * FILLER_RATIO
        filler: list[str] = []
        for sentence in rng.sample(pool, len(pool)):
            if need <= 0:
                break
            filler.append(sentence)
            need -= len(sentence.split())
        paragraphs = [" ".join(filler[j : j + 3]) for j in range(0, len(filler), 3)]
        article_id = f"{prefix}-{i:05d}"
        outlet = f"Bench Wire {i:05d}"
        raw = {
            "id": article_id,
            "url": f"https://bench-{i:05d}.wirewatch.test/{_key(base).rsplit('/', 1)[-1]}",
            "source": outlet,
            "title": base.title,
            "published_at": base.published_at.isoformat() if base.published_at else None,
            "text": "\n\n".join([text.rstrip(), *paragraphs]),
        }
        value = RawArticle.model_validate({k: v for k, v in raw.items() if v is not None}).to_json()
        out.append(BenchArticle(article_id=article_id, base=_key(base), key=article_id.encode(), value=value))
    return out


@dataclass(kw_only=True)
class Sample(PublishedArticle):
    """One measured article, followed to its first alert (epoch seconds)."""

    base: str
    alert_received_at: float | None = None
    """Wall clock when the first alert carrying it reached the benchmark's consumer: what a user sees."""

    @property
    def latency(self) -> float | None:
        return None if self.alert_received_at is None else self.alert_received_at - self.sent_at


@dataclass
class BenchResult:
    """What one run measured."""

    rate: float
    """Requested articles per second."""
    achieved_rate: float
    """Articles per second actually published (first to last send)."""
    samples: list[Sample]
    alert_messages: int
    """Alert messages (new alerts and updates) caused by the measured articles."""
    warmup: int
    stage_mean_s: dict[str, float]
    """Mean seconds per message in each worker stage (its /metrics histogram, warm-up included)."""
    load_average: tuple[float, float, float]

    def _stats(self, values: list[float | None], prefix: str) -> dict[str, float | None]:
        got = [v for v in values if v is not None]
        return {
            f"{prefix}p50_s": statistics.median(got) if got else None,
            f"{prefix}p95_s": percentile(got, 95),
            f"{prefix}p99_s": percentile(got, 99),
            f"{prefix}max_s": max(got) if got else None,
        }

    def as_dict(self) -> dict[str, object]:
        missing = [s.article_id for s in self.samples if s.latency is None]
        return {
            "articles": len(self.samples),
            "alerted": len(self.samples) - len(missing),
            "alerts": self.alert_messages,
            "rate": self.rate,
            "achieved_rate": round(self.achieved_rate, 3),
            "warmup": self.warmup,
            "duplicates": sum(1 for s in self.samples if s.duplicate),
            **self._stats([s.latency for s in self.samples], ""),
            "mean_s": statistics.fmean(v)
            if (v := [s.latency for s in self.samples if s.latency is not None])
            else None,
            **self._stats([s.clean_latency for s in self.samples], "clean_"),
            "coded_p50_s": statistics.median(c) if (c := self._coded()) else None,
            "duplicate_p50_s": statistics.median(d) if (d := self._coded(duplicate=True)) else None,
            **self._drift(),
            "stage_mean_s": self.stage_mean_s,
            "missing": len(missing),
            "missing_ids": missing,
            "load_average": list(self.load_average),
        }

    def _drift(self) -> dict[str, float | None]:
        """Median latency of the first and the last quarter sent: a rising figure means the worker falls behind."""
        ordered = sorted(self.samples, key=lambda s: s.sent_at)
        quarter = max(1, len(ordered) // 4)
        first = [v for s in ordered[:quarter] if (v := s.latency) is not None]
        last = [v for s in ordered[-quarter:] if (v := s.latency) is not None]
        return {
            "first_quarter_p50_s": statistics.median(first) if first else None,
            "last_quarter_p50_s": statistics.median(last) if last else None,
        }

    def _coded(self, *, duplicate: bool = False) -> list[float]:
        return [s.latency for s in self.samples if s.latency is not None and bool(s.duplicate) == duplicate]


async def _measure(
    settings: Settings,
    worker: WorkerProcess,
    articles: list[BenchArticle],
    *,
    warmup: int,
    rate: float,
    timeout: float,
    console: Console,
) -> BenchResult:
    await ensure_topics(settings)
    samples: dict[str, Sample] = {}
    first_seen: set[str] = set()  # article ids already in some alert's evidence
    cleaned: dict[str, tuple[float, bool]] = {}
    alert_messages = 0
    ready = asyncio.Event()

    async def read() -> None:
        nonlocal alert_messages
        async for record in consume(settings, [settings.topic_clean, settings.topic_alerts], ready=ready):
            received = time.time()
            value = record.value or b""
            if record.topic == settings.topic_clean:
                article = CleanArticle.from_json(value)
                cleaned.setdefault(article.id, (received, article.duplicate_of is not None))
                continue
            alert = Alert.from_json(value)
            new = [e.article_id for e in alert.evidence if e.article_id not in first_seen]
            first_seen.update(new)
            if any(a in samples for a in new):
                alert_messages += 1
            for article_id in new:
                sample = samples.get(article_id)
                if sample is not None:
                    sample.alert_received_at = received

    reader = asyncio.ensure_future(read())
    producer = new_producer(settings, max_request_size=max(settings.max_message_bytes * 4, 1_048_576), linger_ms=0)
    try:
        await asyncio.wait_for(asyncio.shield(ready.wait()), 30)
        await asyncio.to_thread(worker.wait_ready)
        await start_client(producer, settings)
        warm, measured = articles[:warmup], articles[warmup:]
        for article in warm:
            await (await producer.send(settings.topic_raw, article.value, key=article.key))
        await until(lambda: all(a.article_id in first_seen for a in warm), timeout, [worker])
        console.print(f"warm-up: {len(warm)} articles alerted; publishing {len(measured)} at {rate:g}/s")
        acks: list[asyncio.Future[None]] = []
        start = time.monotonic()
        for i, article in enumerate(measured):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            sample = Sample(article_id=article.article_id, base=article.base, sent_at=time.time())
            samples[article.article_id] = sample
            ack = await producer.send(settings.topic_raw, article.value, key=article.key)
            acks.append(asyncio.ensure_future(stamp(ack, sample)))
        elapsed = time.monotonic() - start
        await asyncio.gather(*acks)
        await until(lambda: all(s.alert_received_at is not None for s in samples.values()), timeout, [worker])
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await producer.stop()
    for sample in samples.values():
        if sample.article_id in cleaned:
            sample.cleaned_at, sample.duplicate = cleaned[sample.article_id]
    sums = scrape_counter(worker.metrics_url, "wirewatch_stage_duration_seconds", "stage", suffix="_sum")
    counts = stage_done(worker.metrics_url)
    return BenchResult(
        rate=rate,
        achieved_rate=(len(measured) - 1) / elapsed if len(measured) > 1 and elapsed > 0 else float(len(measured)),
        samples=list(samples.values()),
        alert_messages=alert_messages,
        warmup=len(warm),
        stage_mean_s={k: sums[k] / counts[k] for k in sums if counts.get(k)},
        load_average=os.getloadavg(),
    )


def run_bench(
    broker_url: str | None = None,
    *,
    articles: int = 200,
    rate: float = 10.0,
    warmup: int = len(ALERT_BASES),
    timeout: float = 120.0,
    seed: int = 0,
    partitions: int = 4,
    console: Console | None = None,
) -> BenchResult:
    """Start a broker (unless ``broker_url``) and a worker, publish at ``rate``, time each article's first alert.

    The run has its own app id and its own topics (``<app id>.articles.raw`` …), so a broker's
    earlier messages are not in its way; the worker and broker it started are always stopped.
    """
    console = console or Console(stderr=True)
    broker: EmbeddedBroker | None = None
    worker: WorkerProcess | None = None
    tmp = Path(tempfile.mkdtemp(prefix="wirewatch-bench-"))
    try:
        if broker_url is None:
            broker = EmbeddedBroker(port=free_port(), log_path=tmp / "broker.log").start()
            bootstrap = broker.bootstrap
            console.print(f"started the embedded broker on {bootstrap}")
        else:
            bootstrap = bootstrap_servers(broker_url)
        # the caller's broker: its TLS/SASL settings for the worker too; the embedded one is plaintext
        env, settings = bench_settings(
            bootstrap, tmp, app_prefix="wirewatch-bench", partitions=partitions, external=broker_url is not None
        )
        app_id = settings.app_id
        worker = start_worker(env, tmp)
        console.print(f"worker pid {worker.process.pid} ({app_id}), log {worker.log_path}")
        batch = bench_articles(warmup + articles, seed=seed, prefix=app_id)
        return asyncio.run(
            _measure(settings, worker, batch, warmup=warmup, rate=rate, timeout=timeout, console=console)
        )
    finally:
        if worker is not None:
            worker.stop()
        if broker is not None:
            broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # the worker's data and logs: nothing to keep after the run


def _trend(d: dict[str, Any]) -> str:
    first, last = d["first_quarter_p50_s"], d["last_quarter_p50_s"]
    if first is None or last is None or last <= first * 1.5:
        return " (steady)"
    return " (rising: the worker falls behind the rate)"


def render_table(result: BenchResult) -> Table:
    """Latency percentiles per definition, then counts and the worker's stage means."""
    d = result.as_dict()
    table = Table(
        title=f"Alert latency, articles.raw → alerts: {d['articles']} articles at {d['rate']:g}/s "
        f"(achieved {d['achieved_rate']:g}/s), after {d['warmup']} warm-up",
        title_justify="left",
    )
    table.add_column("seconds from publish to", justify="left")
    for column in ("p50", "p95", "p99", "max"):
        table.add_column(column, justify="right")
    rows = [
        ("alert received (headline)", ""),
        ("clean article received", "clean_"),
    ]
    for label, prefix in rows:
        table.add_row(label, *(fmt(d[f"{prefix}{c}_s"]) for c in ("p50", "p95", "p99", "max")))
    table.caption = (
        f"{d['alerted']}/{d['articles']} articles alerted ({d['missing']} missing), {d['alerts']} alert messages, "
        f"{d['duplicates']} marked near-duplicates (p50 {fmt(d['duplicate_p50_s'])} s; coded in full "
        f"p50 {fmt(d['coded_p50_s'])} s); p50 of the first quarter sent {fmt(d['first_quarter_p50_s'])} s, "
        f"of the last {fmt(d['last_quarter_p50_s'])} s{_trend(d)}; "
        "mean s per message in the worker: "
        + ", ".join(f"{k} {v:.3f}" for k, v in sorted(result.stage_mean_s.items()))
        + f"; load average {' '.join(f'{x:.2f}' for x in result.load_average)}"
    )
    table.caption_justify = "left"
    return table
