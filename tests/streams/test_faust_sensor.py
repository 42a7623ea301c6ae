"""Faust's sensor with its series cached records exactly what Faust's own monitor records."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from faust.sensors.prometheus import PrometheusMonitor
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.faust_sensor import CachedPrometheusMonitor, faust_metrics


class _Owner:
    """A stream's task owner (the monitor keeps it in a weak map)."""


class _Stream:
    """What the monitor reads of a stream: its label and its owner."""

    def __init__(self, topic: str) -> None:
        self.shortlabel = f"Stream: topic_{topic}"
        self.task_owner = _Owner()


class _Message:
    time_in: float | None = None


TPS = [TP("articles.raw", 0), TP("articles.raw", 3), TP("app.articles-cleaned", 0)]
STREAMS = {tp.topic: _Stream(tp.topic) for tp in TPS}
TABLES = [SimpleNamespace(name="duplicate-index"), SimpleNamespace(name="story-book")]


def _traffic(monitor: Any, rounds: int = 3) -> None:
    """Messages in and out, stream events, sends, table operations and named counts."""
    for n in range(rounds):
        for tp in TPS:
            message = _Message()
            monitor.on_message_in(tp, 10 + n, message)
            state = monitor.on_stream_event_in(tp, 10 + n, STREAMS[tp.topic], None)
            monitor.on_stream_event_out(tp, 10 + n, STREAMS[tp.topic], None, state)
            monitor.on_message_out(tp, 10 + n, message)
            sent = monitor.on_send_initiated(None, "events", None, 3, 100)
            monitor.on_send_completed(None, sent, None)
        for table in TABLES:
            monitor.on_table_get(table, b"k")
            monitor.on_table_set(table, b"k", b"v")
        monitor.on_table_del(TABLES[0], b"k")
        monitor.count("offsets_skipped", 2)


def _samples(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample but the timings (histogram buckets and sums, creation times: the clock's)."""
    found = {}
    for family in registry.collect():
        for s in family.samples:
            if s.name.endswith("_created") or (family.type == "histogram" and not s.name.endswith("_count")):
                continue
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def _pair() -> tuple[tuple[Any, CollectorRegistry], tuple[Any, CollectorRegistry]]:
    stock_registry, cached_registry = CollectorRegistry(), CollectorRegistry()
    stock = PrometheusMonitor(metrics=faust_metrics(stock_registry))
    cached = CachedPrometheusMonitor(metrics=faust_metrics(cached_registry))
    return (stock, stock_registry), (cached, cached_registry)


def test_the_cached_monitor_records_the_same_series_and_values_as_fausts() -> None:
    (stock, stock_registry), (cached, cached_registry) = _pair()
    _traffic(stock)
    _traffic(cached)
    recorded = _samples(cached_registry)
    assert recorded == _samples(stock_registry)
    per_topic = recorded[("faust_messages_received_per_topic_total", (("topic", "articles.raw"),))]
    assert per_topic == 6.0
    assert recorded[("faust_messages_received_per_topics_partition", (("partition", "3"), ("topic", "articles.raw")))]
    assert recorded[
        ("faust_table_operations_total", (("operation", "keys_deleted"), ("table", "table.duplicate-index")))
    ]


def test_after_a_rebalance_the_topic_series_start_again_as_in_fausts_monitor() -> None:
    (stock, stock_registry), (cached, cached_registry) = _pair()
    app = SimpleNamespace(rebalancing_count=1)
    for monitor in (stock, cached):
        _traffic(monitor)
        monitor.on_rebalance_start(app)  # Faust removes the per-topic and per-partition series
        _traffic(monitor, rounds=1)
    recorded = _samples(cached_registry)
    assert recorded == _samples(stock_registry)
    # counted again from the rebalance on, not from the start: the cached series was dropped
    assert recorded[("faust_messages_received_per_topic_total", (("topic", "articles.raw"),))] == 2.0
    assert recorded[("faust_topic_messages_sent_total", (("topic", "topic.events"),))] == 3.0
