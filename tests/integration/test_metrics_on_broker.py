"""/metrics, /healthz and /readyz of a real worker on the embedded broker, after a few corpus articles."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams.broker import EmbeddedBroker
from streams.corpus import sample_payloads
from tests.integration.harness import WorkerProcess, produce_aiokafka, wait_processed

pytestmark = pytest.mark.integration

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
ARTICLES = 4


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # a loopback URL we built
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def samples(text: str) -> dict[str, list[Any]]:
    """Samples by family name (counters without ``_total``, as the parser names them)."""
    return {f.name: list(f.samples) for f in text_string_to_metric_families(text)}


@pytest.fixture(scope="module")
def scrape(broker: EmbeddedBroker, worker: WorkerProcess) -> str:
    sent = asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", sample_payloads()[:ARTICLES]))
    wait_processed(worker, sent)
    status, body = get(worker.metrics_url)
    assert status == 200
    return body.decode()


def test_the_live_scrape_passes_promtool_check_metrics(scrape: str) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool (from Prometheus) is not on the PATH: the exposition is not checked")
    result = subprocess.run(
        [promtool, "check", "metrics"], input=scrape.encode(), capture_output=True, timeout=30, check=False
    )
    assert result.returncode == 0 and not result.stdout and not result.stderr, result.stdout + result.stderr


def test_healthz_and_readyz_answer_200_on_a_ready_worker(worker: WorkerProcess, scrape: str) -> None:
    base = f"http://127.0.0.1:{worker.web_port}"
    assert get(f"{base}/healthz") == (200, b"ok\n")
    status, body = get(f"{base}/readyz")
    assert status == 200, body
    assert json.loads(body) == {"ready": True, "not_ready": []}
    assert samples(scrape)["wirewatch_ready"][0].value == 1.0


def test_end_to_end_latency_is_observed_on_articles_clean_and_events(scrape: str) -> None:
    counts = {
        s.labels["topic"]: s.value
        for s in samples(scrape)["wirewatch_end_to_end_latency_seconds"]
        if s.name.endswith("_count")
    }
    assert counts.get("articles.clean") == ARTICLES
    assert counts.get("events", 0) > 0
    sums = {
        s.labels["topic"]: s.value
        for s in samples(scrape)["wirewatch_end_to_end_latency_seconds"]
        if s.name.endswith("_sum")
    }
    # From the raw record's timestamp: positive, and well under the test's own length.
    assert 0 < sums["articles.clean"] / ARTICLES < 120


def test_articles_are_counted_by_outlet_and_language(scrape: str) -> None:
    articles = samples(scrape)["wirewatch_articles"]
    assert sum(s.value for s in articles if s.name.endswith("_total")) == ARTICLES
    assert all(s.labels["language"] and s.labels["source"] for s in articles)


def test_consumer_lag_and_table_entries_are_reported(worker: WorkerProcess, scrape: str) -> None:
    lag = samples(scrape)["wirewatch_consumer_lag"]
    topics = {s.labels["topic"] for s in lag}
    assert {"articles.raw", "articles.clean"} <= topics
    assert not any(t.endswith("-changelog") for t in topics)
    tables = {s.labels["table"]: s.value for s in samples(scrape)["wirewatch_table_entries"]}
    assert {"duplicate-index", "report-book", "story-book", "alert-book", "escalation-book"} <= set(tables)
    assert tables["duplicate-index"] > 0
    # Everything was processed: once the offsets are committed (every few seconds), no lag is left.
    deadline = time.monotonic() + 30
    while True:
        lag = samples(get(worker.metrics_url)[1].decode())["wirewatch_consumer_lag"]
        if all(s.value == 0 for s in lag) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert all(s.value == 0 for s in lag), [(s.labels, s.value) for s in lag if s.value]


def test_faust_sensor_metrics_are_on_the_same_page(scrape: str) -> None:
    families = samples(scrape)
    documented = re.findall(r"^\| `(faust_[a-z_]+)` \|\s*(\w+)", README, flags=re.MULTILINE)
    assert documented
    missing = [
        name
        for name, kind in documented
        if (name.removesuffix("_total") if kind == "counter" else name) not in families
    ]
    assert not missing, missing
    received = families["faust_messages_received"]
    assert next(s.value for s in received if s.name.endswith("_total")) >= ARTICLES


def test_a_scrape_can_ask_for_named_samples_alone(worker: WorkerProcess, scrape: str) -> None:
    wanted = ["wirewatch_stage_messages_in_total", "wirewatch_stage_duration_seconds_count"]
    query = "&".join(f"name[]={name}" for name in wanted)
    status, body = get(f"{worker.metrics_url}?{query}")
    assert status == 200
    narrow = samples(body.decode())
    assert {s.name for family in narrow.values() for s in family} == set(wanted)
    full = {(s.name, tuple(sorted(s.labels.items()))): s.value for f in samples(scrape).values() for s in f}
    for family in narrow.values():  # the same series as the full page (nothing ran in between)
        for s in family:
            assert full[(s.name, tuple(sorted(s.labels.items())))] == s.value
