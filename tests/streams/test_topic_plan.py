"""The topic plan without a broker: names, partitions, replication, cleanup policies and retention,
and that its changelogs and source topics are the ones the Faust app declares."""

from __future__ import annotations

import pytest

from streams.alerting.escalation import bucket_retention
from streams.alerting.rules import load_rules
from streams.settings import Settings
from streams.topics import CLEANUP_POLICY, RETENTION_MS, human_ms, topic_plan

PLAN_SETTINGS = dict(
    app_id="plan",
    partitions=3,
    replication_factor=2,
    retention_hours=48,
    alerts_topic_retention_days=60,
    deadletter_retention_days=10,
    internal_retention_hours=12,
)
SETTINGS = Settings(**PLAN_SETTINGS)  # type: ignore[arg-type]
HOUR_MS = 3_600_000


def test_every_topic_with_its_partitions_and_replication() -> None:
    plan = {t.name: t for t in topic_plan(SETTINGS)}
    assert {name: (t.kind, t.partitions) for name, t in plan.items()} == {
        "articles.raw": ("public", 3),
        "articles.clean": ("public", 3),
        "events": ("public", 3),
        "alerts": ("public", 3),
        "articles.deadletter": ("public", 3),
        "plan.articles-cleaned": ("internal", 1),
        "plan.events-by-dyad": ("internal", 3),
        "plan.events-for-alerts": ("internal", 3),
        "plan.happenings-by-subject": ("internal", 3),
        "plan-alert-book-changelog": ("changelog", 3),
        "plan-report-book-changelog": ("changelog", 3),
        "plan-story-book-changelog": ("changelog", 3),
        "plan-duplicate-index-changelog": ("changelog", 1),
        "plan-escalation-book-changelog": ("changelog", 3),
        "plan-escalation-buckets-changelog": ("changelog", 3),
    }
    assert {t.replication_factor for t in plan.values()} == {2}
    # A partition mismatch stops the worker only where a table reads the topic or it is a changelog.
    assert {n for n, t in plan.items() if not t.strict} == {"articles.raw", "events", "alerts", "articles.deadletter"}


def test_cleanup_policies_and_retention() -> None:
    plan = {t.name: dict(t.configs) for t in topic_plan(SETTINGS)}
    window_ms = round(bucket_retention(load_rules().escalation).total_seconds() * 1000)  # type: ignore[arg-type]
    assert window_ms == 90_300_000  # the shipped rules: 24 baseline windows of 1 h, step 5 min
    for name in ("articles.raw", "articles.clean", "events"):
        assert plan[name] == {CLEANUP_POLICY: "delete", RETENTION_MS: str(48 * HOUR_MS)}
    assert plan["alerts"] == {CLEANUP_POLICY: "delete", RETENTION_MS: str(60 * 24 * HOUR_MS)}
    assert plan["articles.deadletter"] == {CLEANUP_POLICY: "delete", RETENTION_MS: str(10 * 24 * HOUR_MS)}
    for suffix in ("articles-cleaned", "events-by-dyad", "events-for-alerts"):
        assert plan[f"plan.{suffix}"] == {CLEANUP_POLICY: "delete", RETENTION_MS: str(12 * HOUR_MS)}
    assert plan["plan.happenings-by-subject"] == {CLEANUP_POLICY: "delete", RETENTION_MS: str(12 * HOUR_MS + window_ms)}
    for table in ("alert-book", "report-book", "story-book", "duplicate-index", "escalation-book"):
        assert plan[f"plan-{table}-changelog"] == {CLEANUP_POLICY: "compact"}
    assert plan["plan-escalation-buckets-changelog"] == {CLEANUP_POLICY: "compact,delete", RETENTION_MS: str(window_ms)}


def test_without_escalation_there_is_no_windowed_changelog() -> None:
    rules = load_rules().model_copy(update={"escalation": None})
    plan = {t.name: t for t in topic_plan(SETTINGS, rules)}
    assert "plan-escalation-buckets-changelog" not in plan
    assert plan["plan.happenings-by-subject"].configs[RETENTION_MS] == str(12 * HOUR_MS)


@pytest.mark.parametrize("webhook", [None, "http://example.invalid/hook"])
def test_the_plan_has_every_topic_the_faust_app_declares(webhook: str | None) -> None:
    """Changelog names, partitions and configs as Faust would create them; every agent's source topic."""
    from streams.app import create_app

    settings = Settings(**PLAN_SETTINGS, webhook_url=webhook)  # type: ignore[arg-type]
    plan = {t.name: t for t in topic_plan(settings)}
    app = create_app(settings)
    for table in app.tables.values():
        topic = table.changelog_topic
        spec = plan[topic.get_topic_name()]
        assert spec.kind == "changelog"
        assert spec.partitions == (topic.partitions or settings.partitions)
        policy = ",".join(p for p, on in (("compact", topic.compacting), ("delete", topic.deleting)) if on)
        assert spec.configs[CLEANUP_POLICY] == policy
        if topic.retention:
            assert spec.configs[RETENTION_MS] == str(int(topic.retention * 1000))
        else:
            assert RETENTION_MS not in spec.configs
    assert {t.name for t in plan.values() if t.kind == "changelog"} == {
        t.changelog_topic.get_topic_name() for t in app.tables.values()
    }
    for agent in app.agents.values():
        (name,) = agent.channel.topics
        assert plan[name].partitions == (agent.channel.partitions or settings.partitions), name


def test_retention_is_printed_readably() -> None:
    assert [human_ms(v) for v in ("604800000", "90300000", "1500", "abc", None)] == [
        "7d",
        "1d1h5m",
        "1500ms",
        "abc",
        "-",
    ]
