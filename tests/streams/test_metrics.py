"""The metrics contract: the README's table, bounded labels, a clean ``promtool check metrics``."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from schemas import CleanArticle, Location, Removal
from streams.faust_sensor import faust_metrics
from streams.metrics import NONE, OTHER, FirstDistinct, PipelineMetrics, WorkerState
from streams.probes import consumer_lag, not_ready, table_entries, worker_state
from tests.alerting.factories import IRN, ISR, NATANZ, make_event

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
PROMTOOL = shutil.which("promtool")


def readme_table(first_metric_prefix: str) -> dict[str, tuple[str, list[str]]]:
    """Rows ``| `name` | type | labels | meaning |`` of the README table of ``first_metric_prefix`` metrics."""
    rows: dict[str, tuple[str, list[str]]] = {}
    for line in README.splitlines():
        match = re.match(rf"^\| `({first_metric_prefix}[a-z_]+)` \|\s*(\w+)\s*\|([^|]*)\|", line)
        if match:
            labels = [label.strip() for label in match.group(3).split(",") if label.strip()]
            rows[match.group(1)] = (match.group(2), labels)
    return rows


def article(source: str | None = "Example Wire", language: str | None = "en", **fields: Any) -> CleanArticle:
    text = fields.pop("text", "Ministers met in Vienna on Monday.")
    values: dict[str, Any] = {
        "id": hashlib.sha256(f"{source}{text}".encode()).hexdigest()[:16],
        "url": None,
        "source": source,
        "title": None,
        "published_at": None,
        "language": language,
        "text": text,
        "paragraphs": [text],
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "input_format": "text",
    }
    values.update(fields)
    return CleanArticle(**values)


def exercised(registry: CollectorRegistry | None = None) -> PipelineMetrics:
    """A PipelineMetrics with a sample in every family (labels of an empty family are not visible)."""
    metrics = PipelineMetrics(registry)
    metrics.messages_in.labels(stage="clean").inc()
    metrics.messages_out.labels(stage="clean", topic="articles.clean").inc()
    metrics.stage_errors.labels(stage="story").inc()
    metrics.stage_seconds.labels(stage="extract").observe(0.2)
    metrics.batch_articles.labels(stage="extract").observe(3)
    metrics.held_seconds.labels(stage="clean").inc(0.5)
    metrics.article_published(
        article(removed=[Removal(text="Share this", reason="share_bar")], duplicate_of="a0"),
    )
    metrics.duplicates_skipped.inc()
    metrics.story_reports.labels(verdict="new").inc()
    metrics.new_happening(make_event(location=NATANZ))
    metrics.delivered("events", 1_000.0, now=1_002.5)
    metrics.alerts.labels(rule="surge", severity="warning").inc()
    metrics.webhook_deliveries.labels(outcome="delivered").inc()
    metrics.webhook_attempts.inc()
    metrics.dead_letters.labels(stage="decode", reason="invalid_json").inc()
    metrics.watch(lambda: WorkerState(lag={("articles.raw", 0): 3}, tables={"story-book": 7}, ready=True))
    return metrics


def families(metrics: PipelineMetrics) -> dict[str, Any]:
    return {f.name: f for f in text_string_to_metric_families(metrics.exposition().decode())}


def sample_value(metrics: PipelineMetrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


# --- bounded labels ---------------------------------------------------------------------------


def test_first_distinct_keeps_the_first_values_and_calls_later_ones_other() -> None:
    bound = FirstDistinct(2)
    assert [bound(v) for v in ["a", "b", "a", "c", "b", "d"]] == ["a", "b", "a", OTHER, "b", OTHER]
    assert len(bound) == 2


def test_first_distinct_needs_a_positive_limit() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        FirstDistinct(0)


def test_outlets_past_the_limit_count_as_other() -> None:
    metrics = PipelineMetrics(max_sources=2)
    for source in ["Alpha", "Beta", "Gamma", "Alpha", "Delta", None]:
        metrics.article_published(article(source=source, text=f"Body of {source}."))
    counts = {s.labels["source"]: s.value for s in families(metrics)["wirewatch_articles"].samples}
    assert counts == {"Alpha": 2.0, "Beta": 1.0, OTHER: 3.0}


def test_missing_outlet_and_language_are_labelled_none() -> None:
    metrics = PipelineMetrics()
    metrics.article_published(article(source=None, language=None))
    assert sample_value(metrics, "wirewatch_articles_total", source=NONE, language=NONE) == 1.0


def test_dyads_past_the_limit_count_with_both_countries_other() -> None:
    metrics = PipelineMetrics(max_dyads=1)
    metrics.new_happening(make_event("Israel struck Iran."))
    metrics.new_happening(make_event("Iran struck Israel.", source=IRN, target=ISR))
    metrics.new_happening(make_event("Israel struck Iran again."))
    metrics.new_happening(make_event("Israel spoke.", target=None, quad_class=1))
    dyads = {
        (s.labels["source_country"], s.labels["target_country"], s.labels["quad_class"]): s.value
        for s in families(metrics)["wirewatch_events_by_dyad"].samples
    }
    assert dyads == {("ISR", "IRN", "4"): 2.0, (OTHER, OTHER, "4"): 1.0, (OTHER, OTHER, "1"): 1.0}


def test_a_new_happening_counts_root_plover_country_and_goldstein() -> None:
    metrics = PipelineMetrics()
    metrics.new_happening(make_event(location=NATANZ))
    metrics.new_happening(
        make_event("Israel spoke.", plover=None, location=Location(**{**NATANZ.model_dump(), "country": None}))
    )
    assert sample_value(metrics, "wirewatch_events_total", root_code="19", quad_class="4", plover="ASSAULT") == 1.0
    assert sample_value(metrics, "wirewatch_events_total", root_code="19", quad_class="4", plover=NONE) == 1.0
    assert sample_value(metrics, "wirewatch_events_by_country_total", country="IRN") == 1.0
    assert sample_value(metrics, "wirewatch_events_by_country_total", country=NONE) == 1.0
    assert sample_value(metrics, "wirewatch_event_goldstein_count") == 2.0
    assert sample_value(metrics, "wirewatch_event_goldstein_sum") == -20.0  # kept despite negative buckets


def test_furniture_and_duplicates_are_counted_when_the_article_is_published() -> None:
    metrics = PipelineMetrics()
    removed = [Removal(text="Accept cookies", reason="cookie_notice"), Removal(text="Ad", reason="advertisement")]
    metrics.article_published(article(removed=removed))
    metrics.article_published(article(removed=removed[:1], duplicate_of="a0", text="Another body."))
    assert sample_value(metrics, "wirewatch_furniture_removed_total", reason="cookie_notice") == 2.0
    assert sample_value(metrics, "wirewatch_furniture_removed_total", reason="advertisement") == 1.0
    assert sample_value(metrics, "wirewatch_duplicate_articles_total") == 1.0


def test_end_to_end_latency_ignores_a_missing_timestamp_and_clamps_clock_skew() -> None:
    metrics = PipelineMetrics()
    metrics.delivered("events", None)
    metrics.delivered("events", 0.0)
    assert sample_value(metrics, "wirewatch_end_to_end_latency_seconds_count", topic="events") is None
    metrics.delivered("events", 100.0, now=99.0)  # producer clock ahead of ours
    metrics.delivered("events", 100.0, now=100.75)
    assert sample_value(metrics, "wirewatch_end_to_end_latency_seconds_count", topic="events") == 2.0
    assert sample_value(metrics, "wirewatch_end_to_end_latency_seconds_sum", topic="events") == 0.75


# --- scrape-time gauges -----------------------------------------------------------------------


def test_worker_state_is_read_at_scrape_time() -> None:
    metrics = PipelineMetrics()
    state = WorkerState()
    metrics.watch(lambda: state)
    assert sample_value(metrics, "wirewatch_ready") == 0.0
    assert sample_value(metrics, "wirewatch_consumer_lag", topic="articles.raw", partition="1") is None
    state = WorkerState(lag={("articles.raw", 1): 12}, tables={"alert-book": 3}, ready=True)
    assert sample_value(metrics, "wirewatch_ready") == 1.0
    assert sample_value(metrics, "wirewatch_consumer_lag", topic="articles.raw", partition="1") == 12.0
    assert sample_value(metrics, "wirewatch_table_entries", table="alert-book") == 3.0


def test_a_failing_state_reader_never_fails_the_scrape() -> None:
    metrics = PipelineMetrics()

    def broken() -> WorkerState:
        raise RuntimeError("consumer between generations")

    metrics.watch(broken)
    text = metrics.exposition().decode()
    assert "wirewatch_ready 0.0" in text
    assert "# TYPE wirewatch_consumer_lag gauge" in text


def test_an_app_that_is_not_started_is_not_ready_and_has_no_lag() -> None:
    from streams.app import app  # the module-level app, never started here

    problems = not_ready(app)
    assert "producer: not started" in problems
    assert "consumer: not started" in problems
    assert any(p.startswith("agent ") and p.endswith(": not running") for p in problems)
    assert consumer_lag(app) == {}
    assert set(table_entries(app)) >= {"alert-book", "story-book", "duplicate-index"}
    assert worker_state(app).ready is False


# --- Faust's sensor ---------------------------------------------------------------------------


def test_faust_histograms_are_observed_in_seconds() -> None:
    registry = CollectorRegistry()
    fm = faust_metrics(registry)
    fm.consumer_commit_latency.observe(250.0)  # Faust's monitor passes milliseconds
    fm.messages_received.inc()
    assert registry.get_sample_value("faust_consumer_commit_latency_seconds_sum") == 0.25
    assert registry.get_sample_value("faust_consumer_commit_latency_seconds_bucket", {"le": "0.25"}) == 1.0
    assert registry.get_sample_value("faust_messages_received_total") == 1.0


def test_the_faust_table_of_the_readme_lists_the_sensor_metrics() -> None:
    registry = CollectorRegistry()
    faust_metrics(registry)
    exposed = {f.name: f.type for f in registry.collect()}
    documented = readme_table("faust_")
    assert documented, "README: the table of Faust's metrics is missing"
    names = {name.removesuffix("_total") if kind == "counter" else name: kind for name, (kind, _) in documented.items()}
    assert names == exposed


# --- the contract -----------------------------------------------------------------------------


def test_every_metric_of_the_readme_table_exists_with_its_type_and_labels() -> None:
    documented = readme_table("wirewatch_")
    assert len(documented) >= 20, "README: the Metrics table was not found"
    exposed = families(exercised())
    problems = []
    for name, (kind, labels) in documented.items():
        family = exposed.get(name.removesuffix("_total") if kind == "counter" else name)
        if family is None:
            problems.append(f"{name}: not in the registry")
            continue
        if family.type != kind:
            problems.append(f"{name}: {family.type}, README says {kind}")
        seen = {k for s in family.samples for k in s.labels if k != "le"}
        if seen != set(labels):
            problems.append(f"{name}: labels {sorted(seen)}, README says {labels}")
    undocumented = {f for f in exposed if f.startswith("wirewatch_")} - {
        n.removesuffix("_total") if k == "counter" else n for n, (k, _) in documented.items()
    }
    assert not problems and not undocumented, (problems, undocumented)


def test_counters_end_in_total_and_units_are_seconds() -> None:
    for name, (kind, _) in readme_table("wirewatch_").items():
        assert name.endswith("_total") == (kind == "counter"), name
        assert not re.search(r"_(ms|milliseconds|minutes|hours)(_|$)", name), name


@pytest.mark.skipif(
    PROMTOOL is None, reason="promtool (from Prometheus) is not on the PATH: the exposition is not checked"
)
def test_the_exposition_passes_promtool_check_metrics() -> None:
    registry = CollectorRegistry()
    metrics = exercised(registry)
    faust_metrics(registry).events_runtime_latency.observe(12.0)
    result = subprocess.run(
        [str(PROMTOOL), "check", "metrics"], input=metrics.exposition(), capture_output=True, timeout=30, check=False
    )
    assert result.returncode == 0 and not result.stdout and not result.stderr, result.stdout + result.stderr


def test_an_exposition_asked_for_named_samples_renders_only_those() -> None:
    metrics = exercised()
    names = ["wirewatch_stage_duration_seconds_count", "wirewatch_stage_messages_in_total"]
    text = metrics.exposition(names).decode()
    rendered = {
        (s.name, s.labels.get("stage")): s.value for f in text_string_to_metric_families(text) for s in f.samples
    }
    assert {name for name, _ in rendered} == set(names)
    # the registry's own value (one extract observation), rendered through the filter
    assert sample_value(metrics, "wirewatch_stage_duration_seconds_count", stage="extract") == 1.0
    assert rendered[("wirewatch_stage_duration_seconds_count", "extract")] == 1.0
    assert len(text) < len(metrics.exposition().decode()) / 10
