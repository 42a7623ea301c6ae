"""Poison messages go to dead letters with their reason; valid ones around them are processed; the worker lives."""

from __future__ import annotations

import asyncio
import base64

import orjson
import pytest

from schemas import CleanArticle, DeadLetter
from streams.broker import EmbeddedBroker
from tests.integration.harness import WorkerProcess, collect_aiokafka, produce_aiokafka, wait_processed

pytestmark = pytest.mark.integration

GARBAGE = b"\x00\xff\xfe\x9c binary garbage \xc3\x28"
INVALID_JSON = b'{"id": "broken", "text": "unterminated'
WRONG_SCHEMA = orjson.dumps({"id": "wrong-schema", "body": "no text field", "priority": 3})
HUGE = orjson.dumps({"id": "huge", "text": "Word " * (1024 * 1024)})  # ~5 MB


def _valid(n: int) -> bytes:
    return orjson.dumps(
        {
            "id": f"valid-{n}",
            "url": f"https://example.test/valid-{n}",
            "text": f"Police detained {n} protesters in Nairobi on Tuesday, officials said.\n\n"
            "The protesters had marched towards parliament.",
        }
    )


POISON = {b"garbage": GARBAGE, b"broken": INVALID_JSON, b"wrong-schema": WRONG_SCHEMA, b"huge": HUGE}
EXPECTED_REASON = {
    b"garbage": "undecodable",
    b"broken": "invalid_json",
    b"wrong-schema": "schema_violation",
    b"huge": "too_large",
}


@pytest.fixture(scope="module")
def outputs(broker: EmbeddedBroker, worker: WorkerProcess) -> dict[str, list[bytes]]:
    stream: list[tuple[bytes | None, bytes]] = []
    for n, (key, value) in enumerate(POISON.items()):
        stream.append((f"valid-{n}".encode(), _valid(n)))
        stream.append((key, value))
    stream.append((b"valid-last", _valid(99)))
    sent = asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", stream))
    wait_processed(worker, sent)
    return asyncio.run(
        collect_aiokafka(
            broker.bootstrap,
            ["articles.clean", "articles.deadletter"],
            until=lambda c: len(c["articles.clean"]) + len(c["articles.deadletter"]) >= sent,
        )
    )


def _letters(outputs: dict[str, list[bytes]]) -> dict[str, DeadLetter]:
    letters = [DeadLetter.from_json(v) for v in outputs["articles.deadletter"]]
    return {letter.key or "": letter for letter in letters}


@pytest.mark.parametrize("key", list(POISON), ids=[k.decode() for k in POISON])
def test_each_poison_message_is_dead_lettered_with_its_reason(outputs: dict[str, list[bytes]], key: bytes) -> None:
    letter = _letters(outputs)[key.decode()]
    assert letter.reason == EXPECTED_REASON[key]
    assert (letter.stage, letter.topic) == ("decode", "articles.raw")
    assert letter.partition is not None and letter.offset is not None
    assert letter.payload_size == len(POISON[key])


def test_undecodable_payload_is_kept_as_base64(outputs: dict[str, list[bytes]]) -> None:
    letter = _letters(outputs)["garbage"]
    assert letter.payload_encoding == "base64" and base64.b64decode(letter.payload) == GARBAGE


def test_oversized_payload_is_cut_in_the_dead_letter(outputs: dict[str, list[bytes]]) -> None:
    letter = _letters(outputs)["huge"]
    assert letter.payload_truncated and len(letter.payload.encode()) <= 64 * 1024


def test_schema_violation_names_the_offending_fields(outputs: dict[str, list[bytes]]) -> None:
    error = _letters(outputs)["wrong-schema"].error
    assert "body" in error and "priority" in error


def test_every_valid_article_around_the_poison_is_processed(outputs: dict[str, list[bytes]]) -> None:
    ids = {CleanArticle.from_json(v).id for v in outputs["articles.clean"]}
    assert ids == {f"valid-{n}" for n in (0, 1, 2, 3, 99)}


def test_worker_is_still_running_after_the_poison(worker: WorkerProcess, outputs: dict[str, list[bytes]]) -> None:
    assert worker.alive()
    assert "Traceback" not in worker.log()
