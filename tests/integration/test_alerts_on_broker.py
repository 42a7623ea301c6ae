"""Alerts on the real broker: the seed's critical alert with its evidence, a second outlet's
report of the same story as version 2 of that alert, and both delivered to a webhook."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest

from schemas import Alert
from streams.broker import EmbeddedBroker, free_port
from streams.corpus import sample_payloads
from tests.integration.harness import (
    WorkerProcess,
    collect_aiokafka,
    produce_aiokafka,
    wait_processed,
    worker_running,
)

pytestmark = pytest.mark.integration

SEED_ID = "seed-putin-calls"
SEED_URL = "https://example.test/world/putin-calls-iran-israel"
# Another outlet's report of the same strikes, three hours later, in its own words.
SECOND = {
    "id": "harbour-post-strikes",
    "url": "https://harbour-post.example/mideast/israel-iran",
    "source": "Harbour Post",
    "published_at": "2025-06-13T21:00:00Z",
    "text": "Israel struck Iranian nuclear sites on Friday, hitting the enrichment plant at Natanz and targets "
    "in Tehran, Iranian state media reported.\n\nThe Israeli military said dozens of jets took part in the "
    "operation, which it said was aimed at Iran's nuclear programme.",
}
SECRET_PATH = "/hooks/T000/B000/s3cr3t"


class Receiver:
    """A local HTTP server that records every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET_PATH}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    hook.thread.start()
    try:
        yield hook
    finally:
        hook.server.shutdown()
        hook.server.server_close()


@pytest.fixture(scope="module")
def alert_worker(
    broker: EmbeddedBroker, receiver: Receiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    with worker_running(
        broker.bootstrap,
        tmp_path_factory.mktemp("alerts"),
        WIREWATCH_WEBHOOK_URL=receiver.url,
        WIREWATCH_WEBHOOK_MIN_SEVERITY="critical",
        WIREWATCH_WEBHOOK_BACKOFF_S="0.1",
    ) as process:
        yield process


@pytest.fixture(scope="module")
def alerts(broker: EmbeddedBroker, alert_worker: WorkerProcess) -> list[Alert]:
    seed = next(value for key, value in sample_payloads() if key.decode() == SEED_ID)
    # One after the other: the seed's alert exists before the second report arrives.
    asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", [(SEED_ID.encode(), seed)]))
    wait_processed(alert_worker, 1)
    asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", [(b"harbour-post-strikes", orjson.dumps(SECOND))]))
    wait_processed(alert_worker, 2)

    def nuclear_versions(collected: dict[str, list[bytes]]) -> int:
        return sum(b"nuclear-facility-strike" in v for v in collected["alerts"])

    collected = asyncio.run(collect_aiokafka(broker.bootstrap, ["alerts"], until=lambda c: nuclear_versions(c) >= 2))
    return [Alert.from_json(v) for v in collected["alerts"]]


def _critical(alerts: list[Alert]) -> list[Alert]:
    return [a for a in alerts if a.severity == "critical"]


def test_the_seed_raises_one_critical_nuclear_strike_alert(alerts: list[Alert]) -> None:
    assert {(a.alert_id, a.rule) for a in _critical(alerts)} == {
        (_critical(alerts)[0].alert_id, "nuclear-facility-strike")
    }


def test_the_first_version_carries_the_sentence_the_url_and_the_places(alerts: list[Alert]) -> None:
    first = next(a for a in _critical(alerts) if a.version == 1)
    assert first.evidence[0].article_url == SEED_URL
    assert "airstrikes on nuclear facilities" in first.evidence[0].sentence
    assert {"Tehran", "Natanz", "Tabriz", "Isfahan"} <= set(first.places)
    assert (first.sources, first.title) == (["Example Wire"], "Strike on nuclear facilities: Israel → Iran")


def test_the_second_outlets_report_is_version_two_with_two_sources(alerts: list[Alert]) -> None:
    versions = sorted(_critical(alerts), key=lambda a: a.version)
    assert [a.version for a in versions] == [1, 2]
    update = versions[1]
    assert update.sources == ["Example Wire", "Harbour Post"] and update.independent_sources == 2
    assert update.evidence[-1].article_url == SECOND["url"]
    assert update.triggered_at == versions[0].triggered_at


def test_the_webhook_received_both_versions_with_a_pager_line(alerts: list[Alert], receiver: Receiver) -> None:
    expected = sorted((a.alert_id, a.version) for a in _critical(alerts))
    deadline = time.monotonic() + 30  # the deliver agent reads `alerts` after they are published
    while len(receiver.bodies) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted((b["alert_id"], b["version"]) for b in receiver.bodies) == expected
    assert all("Strike on nuclear facilities" in b["text"] and "critical" in b["text"].lower() for b in receiver.bodies)


def test_alerts_below_the_webhook_severity_are_not_posted(alerts: list[Alert], receiver: Receiver) -> None:
    assert any(a.severity != "critical" for a in alerts)
    assert all(b["severity"] == "critical" for b in receiver.bodies)
