"""A stream where every 10th message is poison (200 messages, 20 poison of ten kinds, from garbage
bytes to an oversized article and one that only fails in the clean stage): each poison message
gives exactly one dead letter with its reason, every valid article around them is processed,
the worker stays up, and its dead-letter counter says the same.

(tests/integration/test_poison_messages.py checks each kind of poison once, in detail: payload
kept as base64, oversized payload cut, the fields a schema violation names.)
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from urllib.request import urlopen

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from schemas import CleanArticle, DeadLetter
from streams.broker import EmbeddedBroker
from tests.integration.faults import by_id, offline, read_all, reports, short_articles
from tests.integration.harness import WorkerProcess, produce_aiokafka, wait_processed

pytestmark = pytest.mark.integration

POISON: dict[str, tuple[bytes, str, str]] = {
    # kind: (value, stage, reason)
    "garbage": (b"\x00\xff\xfe\x9c binary garbage \xc3\x28", "decode", "undecodable"),
    "latin-1": ("Café au lait, déjà vu".encode("latin-1"), "decode", "undecodable"),
    "truncated-json": (b'{"id": "broken", "text": "unterminated', "decode", "invalid_json"),
    "empty": (b"", "decode", "invalid_json"),
    "lone-surrogate": (b'{"id": "s", "text": "\\ud800 half a character"}', "decode", "invalid_json"),
    "unknown-fields": (orjson.dumps({"id": "w", "body": "no text field", "priority": 3}), "decode", "schema_violation"),
    "wrong-type": (orjson.dumps({"id": "t", "text": 42}), "decode", "schema_violation"),
    "json-array": (b'["not", "an", "article"]', "decode", "schema_violation"),
    "oversized": (orjson.dumps({"id": "huge", "text": "Word " * (500 * 1024)}), "decode", "too_large"),  # 2.5 MB
    "empty-page": (orjson.dumps({"id": "blank", "html": "<html><body></body></html>"}), "clean", "stage_error"),
}
TOTAL = 200
EVERY = 10


def _stream() -> list[tuple[bytes, bytes]]:
    """``TOTAL`` messages, every ``EVERY``-th poison (the kinds in turn), the others valid articles."""
    valid = iter(short_articles("valid", TOTAL - TOTAL // EVERY))
    kinds = list(POISON)
    stream = []
    for n in range(TOTAL):
        if n % EVERY == EVERY - 1:
            kind = kinds[(n // EVERY) % len(kinds)]
            stream.append((f"poison-{n:03d}-{kind}".encode(), POISON[kind][0]))
        else:
            stream.append(next(valid))
    return stream


STREAM = _stream()
POISONED = {key.decode(): POISON[key.decode().split("-", 2)[2]] for key, _ in STREAM if key.startswith(b"poison-")}
VALID = {key.decode() for key, _ in STREAM if not key.startswith(b"poison-")}


@dataclass
class Run:
    outputs: dict[str, list[bytes]]
    scrape: str  # the worker's /metrics after the stream

    def metric(self, family: str) -> list[Sample]:
        return [s for f in text_string_to_metric_families(self.scrape) if f.name == family for s in f.samples]


@pytest.fixture(scope="module")
def run(broker: EmbeddedBroker, worker: WorkerProcess) -> Run:
    sent = asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", STREAM))
    assert sent == TOTAL
    wait_processed(worker, sent)
    outputs = read_all(broker.bootstrap, ["articles.clean", "events", "articles.deadletter"])
    with urlopen(worker.metrics_url, timeout=5) as resp:  # a loopback URL we built
        return Run(outputs, resp.read().decode())


def _letters(run: Run) -> list[DeadLetter]:
    return [DeadLetter.from_json(v) for v in run.outputs["articles.deadletter"]]


def test_each_poison_message_gives_exactly_one_dead_letter_with_its_reason(run: Run) -> None:
    letters = _letters(run)
    assert Counter(letter.key for letter in letters) == dict.fromkeys(POISONED, 1)
    assert {letter.key: (letter.stage, letter.reason) for letter in letters} == {
        key: (stage, reason) for key, (_, stage, reason) in POISONED.items()
    }


def test_every_dead_letter_points_at_its_raw_message(run: Run) -> None:
    for letter in _letters(run):
        assert letter.topic == "articles.raw" and letter.partition is not None and letter.offset is not None
        assert letter.payload_size == len(POISONED[letter.key or ""][0])


def test_every_valid_article_is_processed_once(run: Run) -> None:
    clean = by_id(run.outputs["articles.clean"])
    assert set(clean) == VALID
    assert [i for i, values in clean.items() if len(values) > 1] == []


def test_events_are_the_ones_the_offline_run_codes(run: Run) -> None:
    assert reports(run.outputs["events"]) == reports(offline(STREAM)["events"])


def test_the_dead_letter_counter_matches_the_dead_letters(run: Run) -> None:
    expected = Counter((stage, reason) for _, stage, reason in POISONED.values())
    counted = {
        (s.labels["stage"], s.labels["reason"]): s.value
        for s in run.metric("wirewatch_dead_letters")
        if s.name.endswith("_total")
    }
    assert counted == dict(expected)


def test_articles_that_queued_were_coded_together_and_each_coded_once(run: Run) -> None:
    # Published at once, articles wait while the extract child codes: they go in batches.
    batches = {s.name: s.value for s in run.metric("wirewatch_stage_batch_articles") if s.labels["stage"] == "extract"}
    articles = [CleanArticle.from_json(v) for v in run.outputs["articles.clean"]]
    originals = [a for a in articles if a.duplicate_of is None]
    assert batches["wirewatch_stage_batch_articles_sum"] == len(originals)
    assert batches["wirewatch_stage_batch_articles_count"] < len(originals)


def test_the_worker_is_still_running(run: Run, worker: WorkerProcess) -> None:
    assert worker.alive()
    assert "Traceback" not in worker.log()
