"""The whole pipeline on the embedded broker: a real worker, published with aiokafka and librdkafka."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from confluent_kafka import Producer

from schemas import Alert, CleanArticle, DeadLetter, Event
from streams.broker import EmbeddedBroker
from streams.corpus import sample_payloads
from streams.demo import scrape_counter
from streams.inputs import InputMessage
from streams.offline import process_messages
from streams.settings import Settings
from tests.integration.harness import WorkerProcess, collect_aiokafka, librdkafka_reader, wait_processed

pytestmark = pytest.mark.integration

TOPICS = ["articles.clean", "events", "alerts", "articles.deadletter"]
SEED_ID = "seed-putin-calls"


def _librdkafka_articles() -> list[tuple[bytes, bytes]]:
    """Three corpus articles re-published under new ids through librdkafka."""
    out = []
    for key, value in sample_payloads()[1:4]:
        obj = orjson.loads(value)
        obj["id"] = f"rdkafka-{key.decode()[:60]}"
        obj.pop("url", None)
        out.append((obj["id"].encode(), orjson.dumps(obj)))
    return out


def _produce_librdkafka(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> int:
    producer = Producer({"bootstrap.servers": bootstrap})
    delivered: list[Any] = []
    for key, value in messages:
        producer.produce(topic, value=value, key=key, partition=0, on_delivery=lambda err, msg: delivered.append(err))
    producer.flush(30)
    assert delivered and all(err is None for err in delivered), delivered
    return len(delivered)


def _wait_extract_read(worker: WorkerProcess, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while scrape_counter(worker.metrics_url, "wirewatch_stage_messages_in", "stage").get("extract", 0) < count:
        assert time.monotonic() < deadline and worker.alive(), worker.log()[-5000:]
        time.sleep(0.1)


async def _produce_one_by_one(bootstrap: str, worker: WorkerProcess, messages: list[tuple[bytes, bytes]]) -> int:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for sent, (key, value) in enumerate(messages, start=1):
            await (await producer.send("articles.raw", value, key=key, partition=0))
            await asyncio.to_thread(_wait_extract_read, worker, sent)
    finally:
        await producer.stop()
    return len(messages)


@pytest.fixture(scope="module")
def outputs(broker: EmbeddedBroker, worker: WorkerProcess) -> dict[str, list[bytes]]:
    # One article at a time, each read by the extract agent before the next is published:
    # the agent handles one article at a time, so articles reach the story step in input
    # order and "which report came first" (a story keeps its first report's event id)
    # matches the offline run. Published at once, two articles about one happening could
    # reach it in either order, from different articles.clean partitions
    # (tests/integration/test_stories_on_broker.py covers that case).
    sent = asyncio.run(_produce_one_by_one(broker.bootstrap, worker, sample_payloads()))
    # Exact copies, keyed like their originals downstream, so their order is kept anyway.
    sent += _produce_librdkafka(broker.bootstrap, "articles.raw", _librdkafka_articles())
    wait_processed(worker, sent)
    collected = asyncio.run(
        collect_aiokafka(
            broker.bootstrap,
            TOPICS,
            until=lambda c: len(c["articles.clean"]) + len(c["articles.deadletter"]) >= sent,
        )
    )
    collected["_sent"] = [str(sent).encode()]
    return collected


def _clean(outputs: dict[str, list[bytes]]) -> list[CleanArticle]:
    return [CleanArticle.from_json(v) for v in outputs["articles.clean"]]


def _events(outputs: dict[str, list[bytes]]) -> list[Event]:
    return [Event.from_json(v) for v in outputs["events"]]


def test_every_raw_article_becomes_a_clean_article_or_a_dead_letter(outputs: dict[str, list[bytes]]) -> None:
    sent = int(outputs["_sent"][0])
    assert len(outputs["articles.clean"]) + len(outputs["articles.deadletter"]) == sent
    assert len(outputs["articles.clean"]) == sent, [
        DeadLetter.from_json(v).error for v in outputs["articles.deadletter"]
    ]


def test_every_message_validates_against_its_topic_schema(outputs: dict[str, list[bytes]]) -> None:
    models = {"articles.clean": CleanArticle, "events": Event, "alerts": Alert, "articles.deadletter": DeadLetter}
    for topic, model in models.items():
        for value in outputs[topic]:
            model.from_json(value)


def test_seed_is_cleaned_up_to_friday_night(outputs: dict[str, list[bytes]]) -> None:
    seed = next(a for a in _clean(outputs) if a.id == SEED_ID)
    assert seed.text.endswith("which started on Friday night.")
    assert not any("çerez" in p for p in seed.paragraphs)


def test_syndicated_copy_raises_the_counts_of_the_original_events_instead_of_new_events(
    outputs: dict[str, list[bytes]],
) -> None:
    original = "gulfdispatch-ceasefire-israel-iran-0624"
    copies = [a for a in _clean(outputs) if a.duplicate_of == original]
    assert [a.url for a in copies] == ["https://mundo-noticias.example/en/wire/2025/06/24/israel-iran-ceasefire-qatar"]
    events = _events(outputs)
    first = {e.event_id for e in events if e.article_id == original and e.mentions == 1}
    # the updates name the copy as their report, under the original's event ids
    updated = {e.event_id for e in events if e.article_id == copies[0].id}
    assert first and updated == first
    assert all((e.mentions, e.sources) == (2, 2) for e in events if e.article_id == copies[0].id)


def test_articles_republished_under_new_ids_are_exact_duplicates(outputs: dict[str, list[bytes]]) -> None:
    republished = {key.decode() for key, _ in _librdkafka_articles()}
    flagged = {a.id: a.duplicate_of for a in _clean(outputs) if a.id in republished}
    assert set(flagged) == republished and all(flagged.values())


def _has(events: list[Event], root: str, source: str, target: str) -> list[Event]:
    return [
        e
        for e in events
        if e.article_id == SEED_ID
        and e.root_code == root
        and e.source.country == source
        and e.target is not None
        and e.target.country == target
    ]


def test_seed_yields_the_four_key_events(outputs: dict[str, list[bytes]]) -> None:
    events = _events(outputs)
    assert _has(events, "04", "RUS", "IRN"), "Russia→Iran phone consult"
    assert _has(events, "04", "RUS", "ISR"), "Russia→Israel consult"
    assert _has(events, "11", "RUS", "ISR"), "Russia→Israel condemn"
    strikes = _has(events, "19", "ISR", "IRN")
    assert strikes, "Israel→Iran strikes"
    places = {p.name for e in strikes for p in e.places}
    assert {"Tehran", "Natanz", "Tabriz", "Isfahan"} <= places


def test_seed_raises_a_critical_nuclear_strike_alert_with_evidence(outputs: dict[str, list[bytes]]) -> None:
    alerts = [Alert.from_json(v) for v in outputs["alerts"]]
    critical = [a for a in alerts if a.severity == "critical" and a.rule == "nuclear-facility-strike"]
    seed_evidence = [e for a in critical for e in a.evidence if e.article_id == SEED_ID]
    assert seed_evidence, [a.title for a in alerts]
    assert any("nuclear" in e.sentence or "Natanz" in e.sentence for e in seed_evidence)
    assert all(e.article_url == "https://example.test/world/putin-calls-iran-israel" for e in seed_evidence)


def test_alert_updates_keep_the_id_and_raise_the_version(outputs: dict[str, list[bytes]]) -> None:
    versions: dict[str, list[int]] = {}
    for value in outputs["alerts"]:
        alert = Alert.from_json(value)
        versions.setdefault(alert.alert_id, []).append(alert.version)
    for alert_id, seen in versions.items():
        assert sorted(seen) == list(range(1, len(seen) + 1)), (alert_id, seen)


def test_articles_published_with_librdkafka_are_processed_and_readable_with_librdkafka(
    broker: EmbeddedBroker, outputs: dict[str, list[bytes]]
) -> None:
    wanted = {key.decode() for key, _ in _librdkafka_articles()}
    consumer = librdkafka_reader(broker.bootstrap, "articles.clean", "rdkafka-reader")
    found: set[str] = set()
    errors: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and not wanted <= found:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                errors.append(str(message.error()))
                continue
            found.add(CleanArticle.from_json(message.value()).id)
    finally:
        consumer.close()
    assert wanted <= found, (sorted(wanted - found), errors[:5], len(found))


def _without(obj: Any, fields: set[str]) -> Any:
    if isinstance(obj, dict):
        return {k: _without(v, fields) for k, v in obj.items() if k not in fields}
    if isinstance(obj, list):
        return [_without(v, fields) for v in obj]
    return obj


def test_stream_and_offline_processing_publish_the_same_messages(
    outputs: dict[str, list[bytes]], tmp_path: Path
) -> None:
    messages = [InputMessage(key=k, value=v, origin="corpus") for k, v in sample_payloads()]
    messages += [InputMessage(key=k, value=v, origin="rdkafka") for k, v in _librdkafka_articles()]
    offline = process_messages(messages, Settings())
    wall_clock = {"coded_at", "triggered_at", "updated_at", "failed_at"}

    def normalised(values: list[bytes]) -> list[bytes]:
        return sorted(orjson.dumps(_without(orjson.loads(v), wall_clock), option=orjson.OPT_SORT_KEYS) for v in values)

    for topic in ("articles.clean", "events"):
        offline_values = [m.to_json() for m in offline.by_topic[topic]]
        assert normalised(outputs[topic]) == normalised(offline_values), topic
    stream_all = [Alert.from_json(v) for v in outputs["alerts"]]
    offline_all = [a for a in offline.by_topic["alerts"] if isinstance(a, Alert)]
    stream_latest = {a.alert_id: a for a in sorted(stream_all, key=lambda a: a.version)}
    offline_latest = {a.alert_id: a for a in sorted(offline_all, key=lambda a: a.version)}
    assert set(stream_latest) == set(offline_latest)
    for alert_id, alert in offline_latest.items():
        streamed = stream_latest[alert_id]
        assert (streamed.severity, streamed.version) == (alert.severity, alert.version)
        assert {e.event_id for e in streamed.evidence} == {e.event_id for e in alert.evidence}


def test_cli_produce_then_tail_round_trips_messages(broker: EmbeddedBroker, tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    lines = [orjson.dumps({"id": f"cli-{n}", "text": f"Article {n}."}) for n in range(3)]
    source.write_bytes(b"\n".join(lines) + b"\n")
    env = {**os.environ, "WIREWATCH_BROKER": f"kafka://{broker.bootstrap}"}
    produced = subprocess.run(
        [sys.executable, "-m", "streams.cli", "produce", str(source), "--topic", "cli.roundtrip"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert produced.returncode == 0, produced.stderr
    assert "sent 3, failed 0" in produced.stderr
    tailed = subprocess.run(
        [sys.executable, "-m", "streams.cli", "tail", "cli.roundtrip", "--json", "--limit", "3", "--idle-exit", "20"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert tailed.returncode == 0, tailed.stderr
    assert sorted(tailed.stdout.splitlines()) == sorted(lines)
