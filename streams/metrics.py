"""Pipeline metrics in one object, built on an injected registry (prometheus-client).

Label values are bounded: stage names, reason codes, rule names, CAMEO roots — never ids or URLs.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

import streams

# Stage times measured here run from ~1 ms (alerting) to ~1 s (NLP on a long article).
_STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class PipelineMetrics:
    """Counters and histograms of the stages."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.messages_in = Counter("wirewatch_stage_messages_in", "Messages read by a stage.", ["stage"], registry=r)
        self.messages_out = Counter(
            "wirewatch_stage_messages_out", "Messages published by a stage.", ["stage", "topic"], registry=r
        )
        self.dead_letters = Counter(
            "wirewatch_dead_letters", "Messages sent to the dead-letter topic.", ["stage", "reason"], registry=r
        )
        self.stage_seconds = Histogram(
            "wirewatch_stage_duration_seconds",
            "Time to process one message in a stage, until its outputs are acknowledged by the broker.",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=r,
        )
        self.stage_errors = Counter(
            "wirewatch_stage_errors", "Failures inside a stage that did not lose the message.", ["stage"], registry=r
        )
        self.duplicates = Counter(
            "wirewatch_duplicate_articles", "Articles recognised as exact or near duplicates.", registry=r
        )
        self.duplicates_skipped = Counter(
            "wirewatch_duplicate_articles_not_coded",
            "Duplicate articles the extract stage did not code again.",
            registry=r,
        )
        self.events = Counter(
            "wirewatch_events",
            "Events published as new happenings, by CAMEO root and QuadClass.",
            ["root_code", "quad_class"],
            registry=r,
        )
        self.story_reports = Counter(
            "wirewatch_story_reports",
            "Coded events by what the story step made of them: new story, continued story, re-delivery.",
            ["verdict"],
            registry=r,
        )
        self.alerts = Counter(
            "wirewatch_alerts", "Alert versions published, by rule and severity.", ["rule", "severity"], registry=r
        )
        self.webhook_deliveries = Counter(
            "wirewatch_webhook_deliveries",
            "Alert versions by what the webhook made of them: delivered, failed (dead-lettered), "
            "skipped (below the minimum severity).",
            ["outcome"],
            registry=r,
        )
        self.webhook_attempts = Counter(
            "wirewatch_webhook_attempts", "HTTP requests made to the webhook, retries included.", registry=r
        )
        self.build_info = Gauge("wirewatch_build_info", "Build of the running worker.", ["version"], registry=r)
        self.build_info.labels(version=streams.__version__).set(1)

    def exposition(self) -> bytes:
        """The registry in Prometheus text format."""
        return generate_latest(self.registry)
