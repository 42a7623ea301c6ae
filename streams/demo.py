"""``wirewatch demo``: broker (embedded if none answers) + worker + sample corpus, events and alerts printed live."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console

from schemas import Alert, CleanArticle, DeadLetter, Event
from streams.broker import EmbeddedBroker, free_port, port_open
from streams.corpus import sample_payloads
from streams.inputs import InputMessage
from streams.kafka import bootstrap_servers, consume, produce
from streams.render import describe, event_header, event_row
from streams.settings import Settings
from streams.topics import HAPPENINGS_BY_SUBJECT_SUFFIX, ensure_topics


def scrape_counter(metrics_url: str, family: str, label: str, suffix: str = "_total") -> dict[str, float]:
    """Values of counter ``family`` by ``label`` from a worker's /metrics (empty if unreachable);
    ``suffix="_count"`` reads a histogram's observation counts."""
    try:
        with urllib.request.urlopen(metrics_url, timeout=2) as resp:  # a loopback URL we built
            text = resp.read().decode()
    except OSError:
        return {}
    values: dict[str, float] = {}
    for metric in text_string_to_metric_families(text):
        if metric.name == family:
            for sample in metric.samples:
                if sample.name.endswith(suffix):
                    key = sample.labels[label]
                    values[key] = values.get(key, 0.0) + sample.value
    return values


def stage_done(metrics_url: str) -> dict[str, float]:
    """Messages each stage has finished (its duration is observed once the outputs are sent):
    a message read but still in flight does not count, so the demo never stops before it lands."""
    return scrape_counter(metrics_url, "wirewatch_stage_duration_seconds", "stage", suffix="_count")


async def _watch(settings: Settings, metrics_url: str, once: bool, timeout: float, console: Console) -> int:
    topics = [settings.topic_clean, settings.topic_events, settings.topic_alerts, settings.topic_deadletter]
    await ensure_topics(settings)
    payloads = [InputMessage(key=k, value=v, origin="corpus") for k, v in sample_payloads()]
    seen = {"clean": 0, "events": 0, "alerts": 0, "dead": 0}
    latest_alerts: dict[str, Alert] = {}
    ready = asyncio.Event()
    consumer = consume(settings, topics, from_beginning=False, ready=ready)
    first = asyncio.ensure_future(anext(consumer))  # position at the end before producing
    await ready.wait()
    summary = await produce(settings, payloads, settings.topic_raw)
    console.print(f"published {summary.sent} sample articles to {settings.topic_raw} ({summary.failed} failed)")
    deadline = time.monotonic() + timeout if once else float("inf")
    pending: asyncio.Future = first  # type: ignore[type-arg]
    while time.monotonic() < deadline:
        done, _ = await asyncio.wait({pending}, timeout=1.0)
        if done:
            record = pending.result()
            pending = asyncio.ensure_future(anext(consumer))
            value = record.value or b""
            if record.topic == settings.topic_events:
                seen["events"] += 1
                if seen["events"] == 1:
                    console.print(f"[bold]       {event_header()}[/]", highlight=False)
                console.print(
                    f"[cyan]event[/]  {event_row(Event.from_json(value))}", highlight=False, overflow="ellipsis"
                )
            elif record.topic == settings.topic_alerts:
                seen["alerts"] += 1
                alert = Alert.from_json(value)
                latest_alerts[alert.alert_id] = alert
                style = {"critical": "bold red", "warning": "yellow", "info": "blue"}[alert.severity]
                console.print(f"[{style}]ALERT[/]  {describe(alert)}", highlight=False)
            elif record.topic == settings.topic_clean:
                seen["clean"] += 1
                console.print(
                    f"[green]clean[/]  {describe(CleanArticle.from_json(value))}", highlight=False, overflow="ellipsis"
                )
            elif record.topic == settings.topic_deadletter:
                seen["dead"] += 1
                console.print(f"[red]dead[/]   {describe(DeadLetter.from_json(value))}", highlight=False)
            continue
        if once and seen["clean"] + seen["dead"] >= summary.sent:
            counts = stage_done(metrics_url)
            coded = scrape_counter(metrics_url, "wirewatch_stage_messages_out", "stage").get("extract", 0)
            to_topic = scrape_counter(metrics_url, "wirewatch_stage_messages_out", "topic")
            routed = to_topic.get(f"{settings.app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}", 0)
            if (
                counts.get("extract", -1) >= seen["clean"]
                and counts.get("story", 0) >= coded
                and seen["events"] >= coded
                and counts.get("alert", -1) >= seen["events"]
                and counts.get("escalate", 0) >= routed
            ):
                break
    else:
        console.print(f"[red]timed out after {timeout:.0f} s[/] ({seen})")
        pending.cancel()
        return 1
    pending.cancel()
    console.rule("Alerts: latest version of each, its first evidence sentence and every article")
    rank = {"critical": 0, "warning": 1, "info": 2}
    for alert in sorted(latest_alerts.values(), key=lambda a: (rank[a.severity], a.title)):
        console.print(
            f"[bold]{alert.severity.upper():8}[/] {alert.title}  (v{alert.version}, {len(alert.evidence)} reports, "
            f"{', '.join(alert.sources)})",
            highlight=False,
        )
        console.print(f"         “{alert.evidence[0].sentence}”", highlight=False, style="dim")
        urls = dict.fromkeys(e.article_url or e.article_id for e in alert.evidence)  # distinct, in order
        for url in urls:
            console.print(f"         {url}", highlight=False, style="dim")
    console.print(
        f"{summary.sent} articles → {seen['clean']} clean, {seen['dead']} dead letters, "
        f"{seen['events']} events, {seen['alerts']} alert versions"
    )
    return 0


def run_demo(settings: Settings, *, once: bool, timeout: float, console: Console) -> int:
    """Run the demo; returns the process exit code."""
    host, _, port_text = bootstrap_servers(settings.broker).split(",")[0].rpartition(":")
    broker: EmbeddedBroker | None = None
    if not port_open(host, int(port_text)):
        broker = EmbeddedBroker(port=int(port_text), host=host, binary=settings.tansu_bin).start()
        console.print(f"started the embedded broker on {broker.bootstrap}")
    else:
        console.print(f"using the broker at {host}:{port_text}")
    web_port = settings.web_port if not port_open(settings.web_host, settings.web_port) else free_port()
    workdir = Path(tempfile.mkdtemp(prefix="wirewatch-demo-"))
    log_path = workdir / "worker.log"
    env = {
        **os.environ,
        "WIREWATCH_BROKER": settings.broker,
        "WIREWATCH_WEB_PORT": str(web_port),
        "WIREWATCH_DATA_DIR": str(workdir / "data"),
    }
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    metrics_url = f"http://{settings.web_host}:{web_port}/metrics"
    console.print(f"worker pid {worker.pid}, log {log_path}; metrics at [bold]{metrics_url}[/]")
    try:
        return asyncio.run(_watch(settings, metrics_url, once, timeout, console))
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if broker is not None:
            broker.stop()
