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
from faust.web import Request, Response, View
from prometheus_client import disable_created_metrics

from streams.faust_sensor import install_faust_sensor
from streams.metrics import PipelineMetrics, WorkerState
from streams.transport import worker_kafka_consumer

if TYPE_CHECKING:
    from multidict import MultiMapping  # aiohttp's query type

log = logging.getLogger(__name__)


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
    coordinator = getattr(worker_kafka_consumer(consumer), "_coordinator", None)
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
