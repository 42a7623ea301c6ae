"""Two outlets, one happening: on the real broker, one event id on `events`, the second time with raised counts."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest
from aiokafka.partitioner import DefaultPartitioner

from schemas import Event
from streams.broker import EmbeddedBroker
from tests.integration.harness import (
    WorkerProcess,
    collect_aiokafka,
    librdkafka_reader,
    produce_aiokafka,
    wait_processed,
)

pytestmark = pytest.mark.integration

# Different outlets, different wording, one happening: Russia shelling Kharkiv on Monday 7 July.
LEDGER = {
    "id": "ledger-kharkiv-shelling",
    "url": "https://northern-ledger.example/world/kharkiv-strike",
    "source": "Northern Ledger",
    "published_at": "2025-07-08T09:00:00Z",
    "text": "Russian troops shelled Ukraine's second city, Kharkiv, on Monday night, killing three civilians "
    "and damaging a hospital, the regional governor said.\n\n"
    "Rescue crews worked through the night to clear the rubble.",
}
COURIER = {
    "id": "courier-kharkiv-attack",
    "url": "https://eastern-courier.example/news/kharkiv",
    "source": "Eastern Courier",
    "published_at": "2025-07-08T11:30:00Z",
    "text": "Russia attacked the Ukrainian city of Kharkiv late on Monday, local officials reported.\n\n"
    "The mayor urged residents to stay in shelters as air raid sirens sounded again on Tuesday morning.",
}
ARTICLES = {LEDGER["id"], COURIER["id"]}


def _is_the_attack(event: Event) -> bool:
    return (
        event.root_code == "19"
        and event.source.country == "RUS"
        and event.target is not None
        and event.target.country == "UKR"
    )


def _attacks(values: list[bytes]) -> list[Event]:
    events = [Event.from_json(v) for v in values]
    return [e for e in events if e.article_id in ARTICLES and _is_the_attack(e)]


def test_the_two_articles_reach_the_extract_stage_on_different_partitions() -> None:
    # The case the dyad-keyed internal topic exists for: neither article's partition holds the other.
    partition = DefaultPartitioner()
    assert partition(LEDGER["id"].encode(), [0, 1], [0, 1]) != partition(COURIER["id"].encode(), [0, 1], [0, 1])


@pytest.fixture(scope="module")
def events(broker: EmbeddedBroker, worker: WorkerProcess) -> list[bytes]:
    articles = [(a["id"].encode(), orjson.dumps(a)) for a in (LEDGER, COURIER)]
    sent = asyncio.run(produce_aiokafka(broker.bootstrap, "articles.raw", articles))
    wait_processed(worker, sent)
    return asyncio.run(
        collect_aiokafka(broker.bootstrap, ["events"], until=lambda c: len(_attacks(c["events"])) >= 2, timeout=60)
    )["events"]


def test_two_outlets_reporting_one_happening_publish_one_event_id_twice(events: list[bytes]) -> None:
    attacks = _attacks(events)
    assert len({e.event_id for e in attacks}) == 1, [(e.event_id, e.article_id, e.sentence) for e in attacks]
    assert sorted((e.mentions, e.sources) for e in attacks) == [(1, 1), (2, 2)]


def test_the_update_keeps_the_story_and_names_the_second_report(events: list[bytes]) -> None:
    first, update = sorted(_attacks(events), key=lambda e: e.mentions)
    assert (update.story_id, update.date, update.places) == (first.story_id, first.date, first.places)
    assert {first.article_id, update.article_id} == ARTICLES


def test_librdkafka_reads_the_same_id_twice_under_its_key(broker: EmbeddedBroker, events: list[bytes]) -> None:
    consumer = librdkafka_reader(broker.bootstrap, "events", "rdkafka-stories")
    read: list[bytes] = []
    keys: set[bytes] = set()
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and len(read) < len(events):
            message = consumer.poll(0.5)
            if message is not None and not message.error():
                read.append(message.value())
                if message.value() and _attacks([message.value()]):
                    keys.add(message.key())
    finally:
        consumer.close()
    assert sorted((e.mentions, e.sources) for e in _attacks(read)) == [(1, 1), (2, 2)]
    assert keys == {e.event_id.encode() for e in _attacks(events)}  # keyed by the one event id
