"""Faust's own Prometheus sensor on our registry: its metrics in seconds, its series looked up once.

Faust's ``PrometheusMonitor`` records messages in and out, stream events, sends, commits,
table operations and rebalances. Two things are changed here and nothing else: its
millisecond histograms are declared in seconds (the Prometheus base unit), and the labelled
series it updates on every message are cached (see ``CachedPrometheusMonitor``).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import faust
from faust.sensors.monitor import Monitor
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from prometheus_client import CollectorRegistry, Histogram

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
    app.monitor = CachedPrometheusMonitor(metrics=faust_metrics(registry))


class CachedPrometheusMonitor(PrometheusMonitor):
    """Faust's Prometheus monitor with each labelled series looked up once, then kept.

    Faust's monitor calls ``labels()`` (a lock, the label values sorted and turned into
    strings) and formats the label text (a regex over the stream's name) on every message in,
    stream event, send and table operation: about 40 times per article in this pipeline.
    The same metrics, names, labels and values; only the lookups are saved.

    Faust removes the per-topic and per-partition series at every rebalance; their cache is
    dropped with them, so a series is made again on its next use, as Faust's own would be.
    """

    def __init__(self, metrics: FaustMetrics, **kwargs: Any) -> None:
        super().__init__(metrics, **kwargs)
        self._received_by_topic: dict[str, Any] = {}
        self._read_offset_by_tp: dict[Any, Any] = {}
        self._sent_by_topic: dict[str, Any] = {}
        self._events_by_stream: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._table_operations: dict[tuple[str, str], Any] = {}
        self._counted_by_name: dict[str, Any] = {}

    def on_message_in(self, tp: Any, offset: int, message: Any) -> None:
        Monitor.on_message_in(self, tp, offset, message)
        metrics = self._metrics
        metrics.messages_received.inc()
        metrics.active_messages.inc()
        topic = self._received_by_topic.get(tp.topic)
        if topic is None:
            topic = self._received_by_topic[tp.topic] = metrics.messages_received_per_topics.labels(topic=tp.topic)
        topic.inc()
        read = self._read_offset_by_tp.get(tp)
        if read is None:
            read = self._read_offset_by_tp[tp] = metrics.messages_received_per_topics_partition.labels(
                topic=tp.topic, partition=tp.partition
            )
        read.set(offset)

    def on_stream_event_in(self, tp: Any, offset: int, stream: Any, event: Any) -> dict[str, Any] | None:
        state: dict[str, Any] | None = Monitor.on_stream_event_in(self, tp, offset, stream, event)
        self._metrics.total_events.inc()
        self._metrics.total_active_events.inc()
        events = self._events_by_stream.get(stream)
        if events is None:
            label = f"stream.{self._stream_label(stream)}.events"
            events = self._events_by_stream[stream] = self._metrics.total_events_per_stream.labels(stream=label)
        events.inc()
        return state

    def _table_operation(self, table: Any, operation: str) -> Any:
        key = (table.name, operation)
        series = self._table_operations.get(key)
        if series is None:
            series = self._table_operations[key] = self._metrics.table_operations.labels(
                table=f"table.{table.name}", operation=operation
            )
        return series

    def on_table_get(self, table: Any, key: Any) -> None:
        Monitor.on_table_get(self, table, key)
        self._table_operation(table, self.KEYS_RETRIEVED).inc()

    def on_table_set(self, table: Any, key: Any, value: Any) -> None:
        Monitor.on_table_set(self, table, key, value)
        self._table_operation(table, self.KEYS_UPDATED).inc()

    def on_table_del(self, table: Any, key: Any) -> None:
        Monitor.on_table_del(self, table, key)
        self._table_operation(table, self.KEYS_DELETED).inc()

    def on_send_initiated(self, producer: Any, topic: str, message: Any, keysize: int, valsize: int) -> Any:
        sent = self._sent_by_topic.get(topic)
        if sent is None:
            sent = self._sent_by_topic[topic] = self._metrics.topic_messages_sent.labels(topic=f"topic.{topic}")
        sent.inc()
        return Monitor.on_send_initiated(self, producer, topic, message, keysize, valsize)

    def count(self, metric_name: str, count: int = 1) -> None:
        Monitor.count(self, metric_name, count=count)
        series = self._counted_by_name.get(metric_name)
        if series is None:
            series = self._counted_by_name[metric_name] = self._metrics.count_metrics_by_name.labels(metric=metric_name)
        series.inc(count)

    def _clear_partition_related_metrics(self) -> None:
        super()._clear_partition_related_metrics()
        self._received_by_topic.clear()
        self._read_offset_by_tp.clear()
        self._sent_by_topic.clear()
