"""What a running worker reports about itself: readiness, consumer lag, table sizes, Faust's sensor.

Everything here reads the Faust app's in-memory state (no broker round trip), so ``/readyz``
and ``/metrics`` stay cheap, and nothing raises on a worker that is starting or stopping:
a consumer that is not started yet simply has no lag to report.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import faust
from faust.exceptions import ConsumerNotStarted
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from faust.web import Request, Response, View
from prometheus_client import CollectorRegistry, Histogram, disable_created_metrics

from streams.metrics import PipelineMetrics, WorkerState

if TYPE_CHECKING:
    from multidict import MultiMapping  # aiohttp's query type

log = logging.getLogger(__name__)

FAUST_PREFIX = "faust"
"""Name prefix of Faust's own metrics (Faust's default, the app id, would change with every app id)."""

# Faust observes these in milliseconds; they are re-declared in seconds (the Prometheus base unit,
# and what ``promtool check metrics`` wants) under the names below.
_FAUST_HISTOGRAMS = {
    "events_runtime_latency": ("events_runtime_seconds", "Time a stream event takes, in seconds."),
    "producer_send_latency": ("producer_send_latency_seconds", "Producer send latency in seconds."),
    "producer_error_send_latency": (
        "producer_error_send_latency_seconds",
        "Latency of producer sends that failed, in seconds.",
    ),
    "assign_latency": ("assign_latency_seconds", "Partition assignment latency in seconds."),
    "rebalance_done_consumer_latency": (
        "rebalance_done_consumer_latency_seconds",
        "Time until the consumer replied to the broker that a rebalance is done, in seconds.",
    ),
    "rebalance_done_latency": ("rebalance_done_latency_seconds", "Time until a rebalance finished, in seconds."),
    "http_latency": ("http_latency_seconds", "Web response latency in seconds."),
    "consumer_commit_latency": ("consumer_commit_latency_seconds", "Consumer commit latency in seconds."),
}
_FAUST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class _MillisecondsHistogram(Histogram):
    """A histogram in seconds that Faust's monitor feeds with milliseconds."""

    def observe(self, amount: float, exemplar: dict[str, str] | None = None) -> None:
        super().observe(amount / 1000.0, exemplar)


def faust_metrics(registry: CollectorRegistry, prefix: str = FAUST_PREFIX) -> FaustMetrics:
    """Faust's sensor metrics on ``registry``: its counters and gauges as Faust names them,
    its millisecond histograms as ``…_seconds`` histograms (see ``_FAUST_HISTOGRAMS``)."""
    scratch = CollectorRegistry(auto_describe=False)
    original = FaustMetrics.create(scratch, prefix)
    fields: dict[str, Any] = {}
    for name, metric in original._asdict().items():
        if name in _FAUST_HISTOGRAMS:
            new_name, documentation = _FAUST_HISTOGRAMS[name]
            fields[name] = _MillisecondsHistogram(
                f"{prefix}_{new_name}", documentation, buckets=_FAUST_BUCKETS, registry=registry
            )
        else:
            registry.register(metric)
            fields[name] = metric
    return FaustMetrics(**fields)


def install_faust_sensor(app: faust.App, registry: CollectorRegistry) -> None:
    """Faust's Prometheus monitor, recording on our registry (one ``/metrics`` page serves both).

    ``faust.sensors.prometheus.setup_prometheus_sensors`` would also add its own ``/metrics``
    route (colliding with ours) and millisecond histograms; this installs only the monitor."""
    app.monitor = PrometheusMonitor(metrics=faust_metrics(registry))


def _started(service: Any) -> bool:
    return service is not None and bool(service.started) and not bool(service.crashed)


def _source_partitions(app: faust.App) -> set[Any]:
    """Partitions assigned to the consumer, table changelogs excluded (empty when not started)."""
    consumer: Any = app._consumer  # not app.consumer: that property would create one
    if not _started(consumer):
        return set()
    try:
        assigned = set(consumer.assignment())
    except ConsumerNotStarted:
        return set()
    changelogs = app.tables.changelog_topics
    return {tp for tp in assigned if tp.topic not in changelogs}


def _coordinator_unknown(consumer: Any) -> bool:
    """Whether the aiokafka consumer has lost its group coordinator: aiokafka forgets it when a
    heartbeat or commit fails on the connection (the broker unreachable) and finds it again once
    a lookup succeeds. The consumer and its coordinator live in Faust's consumer thread; this
    reads one attribute, so the answer may be a heartbeat old. False when there is no such
    consumer (not started, or another transport)."""
    inner = getattr(getattr(consumer, "_thread", None), "_consumer", None)
    coordinator = getattr(inner, "_coordinator", None)
    return coordinator is not None and getattr(coordinator, "coordinator_id", 0) is None


def not_ready(app: faust.App) -> list[str]:
    """What keeps the worker from being ready (empty when it is): the producer started, the
    consumer started with partitions assigned and the first rebalance's recovery done, every
    agent running with no crashed actor."""
    problems: list[str] = []
    if not _started(app._producer):
        problems.append("producer: not started")
    consumer: Any = app._consumer  # not app.consumer: that property would create one
    if not _started(consumer):
        problems.append("consumer: not started")
    else:
        try:
            assigned = consumer.assignment()
        except ConsumerNotStarted:
            assigned = set()
        if not assigned:
            problems.append("consumer: no partitions assigned")
        if _coordinator_unknown(consumer):
            problems.append("consumer: group coordinator unknown (broker unreachable)")
        recovery: Any = app.tables.recovery  # type: ignore[attr-defined]  # TableManager has it, not its ABC
        if not recovery.completed.is_set():
            problems.append("consumer: first rebalance not finished (table recovery)")
    for name, agent in app.agents.items():
        if not _started(agent):
            problems.append(f"agent {name}: not running")
            continue
        actors = list(agent._actors)
        if not actors:
            problems.append(f"agent {name}: no actor")
        for actor in actors:
            task = actor.actor_task
            if actor.crashed or (task is not None and task.done()):
                problems.append(f"agent {name}: actor crashed")
                break
    return problems


def partition_end(consumer: Any, tp: Any) -> int | None:
    """``tp``'s end as the consumer's last fetch saw it; None before one, or once the partition
    has been taken away (aiokafka asserts it is still assigned) or the consumer stopped."""
    try:
        end = consumer.highwater(tp)
    except (AssertionError, ConsumerNotStarted):
        return None
    return None if end is None else int(end)


def consumer_lag(app: faust.App) -> dict[tuple[str, int], int]:
    """Messages between the committed offset and the end of each assigned source partition.

    Partitions whose end the consumer has not fetched yet are left out (no value rather than
    a wrong one); a partition never committed counts from its start (offset 0)."""
    consumer: Any = app._consumer  # not app.consumer: that property would create one
    lag: dict[tuple[str, int], int] = {}
    for tp in _source_partitions(app):
        end = partition_end(consumer, tp)
        if end is None:
            continue
        committed = consumer._committed_offset.get(tp) or 0
        lag[(tp.topic, tp.partition)] = max(int(end) - int(committed), 0)
    return lag


def table_entries(app: faust.App) -> dict[str, int]:
    """Entries of each table on this worker (its active and standby partitions)."""
    sizes: dict[str, int] = {}
    for name, table in app.tables.items():
        sizes[name] = len(table)
    return sizes


def worker_state(app: faust.App) -> WorkerState:
    """Lag, table entries and readiness of ``app``, for ``PipelineMetrics.watch``."""
    return WorkerState(lag=consumer_lag(app), tables=table_entries(app), ready=not not_ready(app))


def install_pages(app: faust.App, metrics: PipelineMetrics) -> None:
    """``/metrics`` (ours and Faust's sensor, one registry), ``/healthz`` and ``/readyz``."""
    # The OpenMetrics ``…_created`` samples would add one gauge family per counter and histogram
    # to the classic text format; Prometheus 2 does not use them.
    disable_created_metrics()  # type: ignore[no-untyped-call]
    install_faust_sensor(app, metrics.registry)
    metrics.watch(lambda: worker_state(app))

    @app.page("/metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> Response:
            # The aiohttp driver's query is a MultiDict: ``name[]`` may repeat (prometheus-client's filter).
            names = cast("MultiMapping[str]", request.query).getall("name[]", [])
            return self.bytes(metrics.exposition(names), content_type="text/plain; version=0.0.4")

    @app.page("/healthz")
    class HealthView(View):
        async def get(self, request: Request) -> Response:
            return self.text("ok\n")

    @app.page("/readyz")
    class ReadyView(View):
        async def get(self, request: Request) -> Response:
            problems = not_ready(app)
            return self.json({"ready": not problems, "not_ready": problems}, status=503 if problems else 200)
