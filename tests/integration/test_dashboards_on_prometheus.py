"""Every dashboard panel returns data from a real Prometheus scraping a real worker.

One module fixture starts the embedded broker, a worker (with a local webhook receiver), and a
Prometheus (`prometheus` on the PATH: skipped without it, failed under CI) that scrapes the worker
every second and evaluates the repository's recording rules every second, on free ports with a
temporary TSDB. The sample corpus goes through the pipeline; then each panel's queries, variables
substituted, go to Prometheus' HTTP API (`/api/v1/query`) and must return a non-empty result.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.broker import EmbeddedBroker, free_port
from streams.corpus import sample_payloads
from tests.integration.harness import WorkerProcess, produce_aiokafka, start_worker, wait_processed, worker_env
from tests.monitoring.dashboards import BUILTINS, Target, substitute, targets
from tests.monitoring.files import MONITORING, require_tool

pytestmark = pytest.mark.integration

RECORDING_RULES = MONITORING / "prometheus" / "rules" / "recording.yml"
SCRAPE_INTERVAL_S = 1
# Samples a 5-minute rate needs in its window (2) and a margin for the rules evaluated on them.
SCRAPES_BEFORE_QUERYING = 5
QUERY_PATIENCE_S = 20.0
POISON = b"\xff\xfe not JSON"


def _panels() -> list[tuple[str, list[Target]]]:
    """(dashboard/panel title, its queries), one test each."""
    keyed = sorted(targets(), key=lambda target: (target.dashboard, target.panel_id))
    return [
        (f"{dashboard}/{title}", list(group))
        for (dashboard, _, title), group in groupby(keyed, key=lambda t: (t.dashboard, t.panel_id, t.panel_title))
    ]


PANELS = _panels()


class _Receiver:
    """A webhook that accepts every alert, so the delivery metrics exist."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@dataclass
class Prometheus:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def get(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}{path}?{query}", timeout=10) as response:  # loopback URL we built
            body = json.loads(response.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = self.get("/api/v1/query", query=expr)
        if data["resultType"] in ("vector", "matrix"):
            return list(data["result"])
        return [{"value": data["result"]}]  # scalar or string

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_prometheus(tmp: Path, worker_target: str) -> Prometheus:
    binary = require_tool("prometheus")
    port = free_port()
    config = {
        "global": {
            "scrape_interval": f"{SCRAPE_INTERVAL_S}s",
            "scrape_timeout": f"{SCRAPE_INTERVAL_S}s",
            "evaluation_interval": f"{SCRAPE_INTERVAL_S}s",
        },
        "rule_files": [str(RECORDING_RULES)],
        "scrape_configs": [
            {"job_name": "wirewatch", "metrics_path": "/metrics", "static_configs": [{"targets": [worker_target]}]}
        ],
    }
    config_path = tmp / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    log_path = tmp / "prometheus.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config_path}",
                f"--storage.tsdb.path={tmp / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    prometheus = Prometheus(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited with {process.returncode}:\n{prometheus.log()[-5000:]}")
        try:
            with urllib.request.urlopen(f"{prometheus.url}/-/ready", timeout=2) as response:
                if response.status == 200:
                    return prometheus
        except OSError:
            pass
        if time.monotonic() > deadline:
            prometheus.stop()
            raise TimeoutError(f"prometheus not ready after 30 s:\n{prometheus.log()[-5000:]}")
        time.sleep(0.2)


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.5)


@dataclass
class Stack:
    prometheus: Prometheus
    worker: WorkerProcess
    values: dict[str, str]


@pytest.fixture(scope="module")
def stack(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("dashboards")
    require_tool("prometheus")  # skip (or fail under CI) before starting anything
    receiver = _Receiver()
    receiver.thread.start()
    worker: WorkerProcess | None = None
    prometheus: Prometheus | None = None
    try:
        worker = start_worker(worker_env(broker.bootstrap, tmp, WIREWATCH_WEBHOOK_URL=receiver.url), tmp)
        worker.wait_ready()
        instance = f"127.0.0.1:{worker.web_port}"
        prometheus = start_prometheus(tmp, instance)
        running = prometheus

        def scraped() -> bool:
            return any(sample["value"][1] == "1" for sample in running.query('up{job="wirewatch"}'))

        _wait(scraped, 30, f"Prometheus never scraped the worker:\n{running.log()[-3000:]}")
        # The corpus and one undecodable message, so the dead-letter panels show a dead letter.
        messages = [*sample_payloads(), (b"dashboards-poison", POISON)]
        sent = asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", messages))
        assert sent == len(messages) == 24
        wait_processed(worker, sent)
        # Every series scraped a few times after the last change, the rules evaluated on them.
        time.sleep(SCRAPES_BEFORE_QUERYING * SCRAPE_INTERVAL_S)
        # $source: the outlet with the most articles (the corpus has three from one outlet).
        busiest = running.query("topk(1, sum by (source) (wirewatch_articles_total))")
        assert busiest, "no wirewatch_articles_total{source} scraped"
        values = {**BUILTINS, "worker": instance, "source": busiest[0]["metric"]["source"]}
        yield Stack(prometheus=running, worker=worker, values=values)
    finally:
        if prometheus is not None:
            prometheus.stop()
        if worker is not None:
            worker.stop()
        receiver.server.shutdown()
        receiver.server.server_close()


@pytest.mark.parametrize(("panel", "queries"), PANELS, ids=[name for name, _ in PANELS])
def test_panel_returns_data(stack: Stack, panel: str, queries: list[Target]) -> None:
    for target in queries:
        expr = substitute(target.expr, stack.values)
        deadline = time.monotonic() + QUERY_PATIENCE_S
        while True:
            result = stack.prometheus.query(expr)
            numbers = [float(sample["value"][1]) for sample in result]
            if any(not math.isnan(number) for number in numbers) or time.monotonic() > deadline:
                break
            time.sleep(SCRAPE_INTERVAL_S)
        print(f"{panel} {target.ref_id}: {len(result)} series, values {sorted(numbers, reverse=True)[:5]}")
        assert result, f"{panel} {target.ref_id}: no data for {expr}"
        assert any(not math.isnan(number) for number in numbers), f"{panel} {target.ref_id}: only NaN for {expr}"
