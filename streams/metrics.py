"""Pipeline metrics in one object, built on an injected registry (prometheus-client).

Label values are bounded: stage names, reason codes, rule names, CAMEO roots, ISO3 countries,
and at most a configured number of outlets and dyads (later ones count as ``other``) — never
ids or URLs. The README's "Metrics" table is the contract for names, types and labels.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

import streams
from schemas import CleanArticle, Event

# Stage times measured on the sample corpus: under 1 ms (alerting, escalation), 5-25 ms (cleaning),
# 10-250 ms (NLP), up to seconds on a long article; the stage time limit (30 s by default) bounds the top.
_STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64)
# Raw record → output: from 50 ms (one article on an idle worker) through seconds (a burst queued
# behind the NLP stage: 1-4 s for the 23-article sample corpus) to minutes when the worker is behind.
_END_TO_END_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
# Goldstein scale: -10 (most conflictual) … +10 (most cooperative).
_GOLDSTEIN_BUCKETS = (-10.0, -7.5, -5.0, -2.5, -1.0, 0.0, 1.0, 2.5, 5.0, 7.5, 10.0)

log = logging.getLogger(__name__)

OTHER = "other"
"""Label value of everything past a bounded label's limit."""
NONE = "none"
"""Label value of a missing field (no outlet, no language, no location, no PLOVER type)."""
_MAX_LABEL_CHARS = 100
_MAX_LANGUAGES = 200


class FirstDistinct:
    """Bounded label values: the first ``limit`` distinct values stand for themselves, later
    distinct ones become ``other`` (a value already seen keeps its own label)."""

    def __init__(self, limit: int, other: str = OTHER) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.other = other
        self._kept: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._kept:
            return value
        if len(self._kept) < self.limit:
            self._kept.add(value)
            return value
        return self.other

    def __len__(self) -> int:
        return len(self._kept)


@dataclass(frozen=True)
class WorkerState:
    """What the worker reports at scrape time (read from the Faust app, see ``streams.probes``)."""

    lag: Mapping[tuple[str, int], int] = field(default_factory=dict)
    """Messages between the committed position and the end, by (topic, partition)."""
    tables: Mapping[str, int] = field(default_factory=dict)
    """Entries by table name."""
    ready: bool = False
    """Whether ``/readyz`` answers 200."""


class _WorkerStateCollector(Collector):
    """Gauges read at scrape time: consumer lag, table entries, readiness."""

    def __init__(self, read: Callable[[], WorkerState]) -> None:
        self.read = read

    def describe(self) -> Iterable[Metric]:
        return self._families(WorkerState())

    def collect(self) -> Iterable[Metric]:
        try:
            state = self.read()
        except Exception:  # a scrape never fails on a worker that is starting or stopping
            log.exception("worker state unreadable; reported as not ready, without lag and table entries")
            state = WorkerState()
        return self._families(state)

    @staticmethod
    def _families(state: WorkerState) -> list[Metric]:
        lag = GaugeMetricFamily(
            "wirewatch_consumer_lag",
            "Messages between the worker's committed position and the end of each partition assigned to it.",
            labels=["topic", "partition"],
        )
        for (topic, partition), value in sorted(state.lag.items()):
            lag.add_metric([topic, str(partition)], value)
        tables = GaugeMetricFamily(
            "wirewatch_table_entries", "Entries in each Faust table on this worker.", labels=["table"]
        )
        for name, value in sorted(state.tables.items()):
            tables.add_metric([name], value)
        ready = GaugeMetricFamily("wirewatch_ready", "1 while /readyz would answer 200.", value=int(state.ready))
        return [lag, tables, ready]


class _SignedHistogram(Histogram):
    """A histogram of values that can be negative, which still exposes ``_sum``.

    prometheus-client leaves ``_sum`` out when the first bucket is negative (OpenMetrics forbids
    a sum of negative observations); the classic text format served here has no such rule, and
    the mean (rate of sum over rate of count) is the point of the Goldstein histogram."""

    def _child_samples(self) -> Iterable[Sample]:
        samples = tuple(super()._child_samples())
        if any(s.name == "_sum" for s in samples):
            return samples
        total = Sample("_sum", {}, self._sum.get(), None, None)
        return (*samples[: len(self._upper_bounds) + 1], total, *samples[len(self._upper_bounds) + 1 :])


def _label(value: str | None) -> str:
    """A free-text label value (outlet, language): stripped, cut, ``none`` when missing."""
    text = (value or "").strip()[:_MAX_LABEL_CHARS]
    return text or NONE


class PipelineMetrics:
    """Counters, histograms and gauges of the stages."""

    def __init__(
        self, registry: CollectorRegistry | None = None, *, max_sources: int = 200, max_dyads: int = 500
    ) -> None:
        self.registry = registry or CollectorRegistry()
        self.sources = FirstDistinct(max_sources)
        self.dyads = FirstDistinct(max_dyads)
        self.languages = FirstDistinct(_MAX_LANGUAGES)
        self._read_state: Callable[[], WorkerState] = WorkerState
        r = self.registry
        self.build_info = Gauge("wirewatch_build_info", "Build of the running worker.", ["version"], registry=r)
        self.build_info.labels(version=streams.__version__).set(1)
        self.messages_in = Counter(
            "wirewatch_stage_messages_in_total", "Messages read by a stage.", ["stage"], registry=r
        )
        self.messages_out = Counter(
            "wirewatch_stage_messages_out_total",
            "Messages published by a stage, by topic.",
            ["stage", "topic"],
            registry=r,
        )
        self.stage_errors = Counter(
            "wirewatch_stage_errors_total",
            "Failures inside a stage that did not lose the message.",
            ["stage"],
            registry=r,
        )
        self.stage_seconds = Histogram(
            "wirewatch_stage_duration_seconds",
            "Time to process one message in a stage, until its outputs are acknowledged by the broker.",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=r,
        )
        self.batch_articles = Histogram(
            "wirewatch_stage_batch_articles",
            "Articles a stage's child handled in one call (they waited together while the one before ran).",
            ["stage"],
            buckets=_BATCH_BUCKETS,
            registry=r,
        )
        self.held_seconds = Counter(
            "wirewatch_stage_held_seconds",
            "Seconds a stage waited for a slower stage after it (backpressure: WIREWATCH_CLEAN_AHEAD_ARTICLES).",
            ["stage"],
            registry=r,
        )
        self.end_to_end_seconds = Histogram(
            "wirewatch_end_to_end_latency_seconds",
            "From the raw article's record timestamp to the acknowledgement of an output derived from it.",
            ["topic"],
            buckets=_END_TO_END_BUCKETS,
            registry=r,
        )
        self.articles = Counter(
            "wirewatch_articles_total",
            "Clean articles published, by outlet and language.",
            ["source", "language"],
            registry=r,
        )
        self.furniture_removed = Counter(
            "wirewatch_furniture_removed_total",
            "Pieces of page furniture the clean stage removed, by reason.",
            ["reason"],
            registry=r,
        )
        self.duplicates = Counter(
            "wirewatch_duplicate_articles_total", "Articles recognised as exact or near duplicates.", registry=r
        )
        self.duplicates_skipped = Counter(
            "wirewatch_duplicate_articles_not_coded_total",
            "Duplicate articles the extract stage did not code again.",
            registry=r,
        )
        self.story_reports = Counter(
            "wirewatch_story_reports_total",
            "Coded events by what the story step made of them: new story, continued story, re-delivery.",
            ["verdict"],
            registry=r,
        )
        self.events = Counter(
            "wirewatch_events_total",
            "New happenings (not further reports), by CAMEO root, QuadClass and PLOVER type.",
            ["root_code", "quad_class", "plover"],
            registry=r,
        )
        self.events_by_country = Counter(
            "wirewatch_events_by_country_total",
            "New happenings by the ISO3 country of their location.",
            ["country"],
            registry=r,
        )
        self.events_by_dyad = Counter(
            "wirewatch_events_by_dyad_total",
            "New happenings by the countries of source and target, and QuadClass.",
            ["source_country", "target_country", "quad_class"],
            registry=r,
        )
        self.goldstein = _SignedHistogram(
            "wirewatch_event_goldstein",
            "Goldstein value of new happenings, from -10 (conflict) to +10 (cooperation).",
            buckets=_GOLDSTEIN_BUCKETS,
            registry=r,
        )
        self.alerts = Counter(
            "wirewatch_alerts_total",
            "Alert versions published, by rule and severity.",
            ["rule", "severity"],
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "wirewatch_webhook_deliveries_total",
            "Alert versions by what the webhook made of them: delivered, failed (dead-lettered), "
            "skipped (below the minimum severity).",
            ["outcome"],
            registry=r,
        )
        self.webhook_attempts = Counter(
            "wirewatch_webhook_attempts_total", "HTTP requests made to the webhook, retries included.", registry=r
        )
        self.dead_letters = Counter(
            "wirewatch_dead_letters_total", "Messages sent to the dead-letter topic.", ["stage", "reason"], registry=r
        )
        r.register(_WorkerStateCollector(lambda: self._read_state()))

    def watch(self, read: Callable[[], WorkerState]) -> None:
        """Read consumer lag, table entries and readiness from ``read()`` at every scrape."""
        self._read_state = read

    def article_published(self, article: CleanArticle) -> None:
        """A clean article was acknowledged on articles.clean."""
        source = self.sources(_label(article.source))
        language = self.languages(_label(article.language).lower())
        self.articles.labels(source=source, language=language).inc()
        for removal in article.removed:
            self.furniture_removed.labels(reason=removal.reason).inc()
        if article.duplicate_of is not None:
            self.duplicates.inc()

    def new_happening(self, event: Event) -> None:
        """An event was published as a new happening (the story step's verdict ``new``)."""
        quad = str(event.quad_class)
        self.events.labels(root_code=event.root_code, quad_class=quad, plover=event.plover or NONE).inc()
        country = event.location.country if event.location is not None else None
        self.events_by_country.labels(country=country or NONE).inc()
        source = event.source.country or NONE
        target = (event.target.country if event.target is not None else None) or NONE
        if self.dyads(f"{source}>{target}") == OTHER:
            source = target = OTHER
        self.events_by_dyad.labels(source_country=source, target_country=target, quad_class=quad).inc()
        self.goldstein.observe(event.goldstein)

    def delivered(self, topic: str, input_timestamp: float | None, now: float | None = None) -> None:
        """An output derived from a raw record (its timestamp, seconds) was acknowledged on ``topic``."""
        if not input_timestamp or input_timestamp <= 0:
            return
        latency = (time.time() if now is None else now) - input_timestamp
        self.end_to_end_seconds.labels(topic=topic).observe(max(latency, 0.0))

    def exposition(self, names: Iterable[str] = ()) -> bytes:
        """The registry in Prometheus text format; only the samples named in ``names`` when given
        (the ``name[]`` filter of prometheus-client's own exporters: a client polling a few
        series every second does not make the worker render every histogram)."""
        wanted = set(names)
        return generate_latest(self.registry.restricted_registry(wanted) if wanted else self.registry)
