"""Scale-out on the real broker: workers of one group share topics of 6 partitions; one joins
mid-stream, one is SIGKILLed mid-stream and restarted; nothing is lost or told twice.

Two workers start; articles flow (one every ~0.3 s); a third worker joins; the worker that holds
the duplicate index (``<app>.articles-cleaned`` has one partition) is SIGKILLed; the others take
its partitions once its session times out and rebuild its tables from the changelogs; it is
restarted and rejoins; then copies of three articles published before the kill arrive. At the
end, when the group has committed everything on every topic its agents read:

- every article is on ``articles.clean``, each id's repeats (re-deliveries after the kill) byte-identical;
- the copies are flagged ``duplicate_of`` their originals (the index survived the move), nothing else is;
- per sentence, as many events as the offline run (``wirewatch process``) codes: none lost, none doubled;
- each event id tells one story; a report repeated after the kill differs at most in ``coded_at``;
  the counts (mentions) match the reporting articles, so no report was counted twice.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from aiokafka.partitioner import DefaultPartitioner

from schemas import CleanArticle
from streams.broker import EmbeddedBroker
from streams.inputs import InputMessage
from streams.offline import process_messages
from streams.settings import Settings
from streams.workers import WorkerProcess
from tests.integration.fleet import (
    Feeder,
    Group,
    assert_each_happening_counted_once,
    by_id,
    counter,
    event_problems,
    near_copy,
    read_all,
    reports,
    short_articles,
    skipped_offsets,
    stop_all,
    wait_caught_up,
)

pytestmark = pytest.mark.integration

ARTICLES = short_articles("scale", 60)
ORIGINALS = (1, 5, 9)  # published before the kill; their copies after the restart
timings: dict[str, float] = {}
groups: list[Group] = []


def _copy_id(index: int) -> str:
    """A copy id whose raw partition differs from its original's (another clean agent handles it)."""
    partition = DefaultPartitioner()
    original = partition(ARTICLES[index][0], list(range(6)), list(range(6)))
    for n in range(100):
        copy_id = f"copy-{n}-of-{index}"
        if partition(copy_id.encode(), list(range(6)), list(range(6))) != original:
            return copy_id
    raise AssertionError("no copy id on another partition")


COPIES = [near_copy(ARTICLES[i], _copy_id(i)) for i in ORIGINALS]


def _dedup_holder(workers: list[WorkerProcess], timeout: float = 30) -> WorkerProcess:
    """The live worker whose deduplicate agent is publishing (it holds the one partition of the index)."""
    before = [counter([w], "wirewatch_stage_messages_out", "stage").get("clean", 0) for w in workers]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        for worker, seen in zip(workers, before, strict=True):
            if counter([worker], "wirewatch_stage_messages_out", "stage").get("clean", 0) > seen:
                return worker
    raise AssertionError("no worker is deduplicating")


@pytest.fixture(scope="module")
def outputs(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[bytes]]:
    group = Group(broker.bootstrap, tmp_path_factory.mktemp("scale"), "scale")
    groups.append(group)
    workers: list[WorkerProcess] = []
    feeder = Feeder(broker.bootstrap, group.topics["raw"], ARTICLES, every=0.3)
    started = time.monotonic()
    try:
        workers += [group.start("w1"), group.start("w2")]
        for worker in workers:
            worker.wait_ready()
        timings["two workers ready"] = time.monotonic() - started
        feeder.wait_sent(12)  # then the rest of the first phase flows while the third worker joins
        feeder.allow(30)
        workers.append(group.start("w3"))  # joins mid-stream: a rebalance over three members
        workers[-1].wait_ready()
        timings["third worker ready"] = time.monotonic() - started
        feeder.allow(42)
        victim = _dedup_holder(workers)
        sent_at_kill = feeder.sent
        os.kill(victim.process.pid, signal.SIGKILL)
        victim.process.wait(10)
        print(f"\nSIGKILLed {victim.log_path.parent.name} (held the duplicate index) after {feeder.sent} articles")
        workers.remove(victim)
        timings["killed"] = time.monotonic() - started
        assert all(sent_at_kill > i for i in ORIGINALS), sent_at_kill
        feeder.allow(52)  # flows while the survivors wait out its session and take its partitions
        survivor = _dedup_holder(workers, timeout=90)  # the index was rebuilt from its changelog there
        timings["taken over"] = time.monotonic() - started
        print(f"{survivor.log_path.parent.name} took the duplicate index over")
        restarted = group.start("restarted")
        workers.append(restarted)
        restarted.wait_ready()
        timings["restarted ready"] = time.monotonic() - started
        assert feeder.sent < len(ARTICLES), "the stream ended before the restart"
        feeder.wait_sent(len(ARTICLES))
        copies = Feeder(broker.bootstrap, group.topics["raw"], COPIES, every=0.1)
        copies.wait_sent(len(COPIES))
        timings["caught up after"] = wait_caught_up(group, workers)
        timings["total"] = time.monotonic() - started
        outputs = read_all(broker.bootstrap, [group.topics["clean"], group.topics["events"]])
    finally:
        stop_all(workers)
    print(f"\nscale-out timings (s): { {k: round(v, 1) for k, v in timings.items()} }")
    return {"clean": outputs[group.topics["clean"]], "events": outputs[group.topics["events"]]}


@pytest.fixture(scope="module")
def offline() -> dict[str, list[bytes]]:
    """The same articles through ``wirewatch process`` (one process, in order)."""
    messages = [InputMessage(key=k, value=v, origin="test") for k, v in [*ARTICLES, *COPIES]]
    result = process_messages(messages, Settings())
    return {
        "clean": [a.to_json() for a in result.by_topic["articles.clean"]],
        "events": [e.to_json() for e in result.by_topic["events"]],
    }


def test_every_article_is_on_articles_clean_and_its_repeats_are_identical(outputs: dict[str, list[bytes]]) -> None:
    clean = by_id(outputs["clean"])
    expected = {k.decode() for k, _ in [*ARTICLES, *COPIES]}
    assert sorted(expected - set(clean)) == []  # none missing
    assert set(clean) == expected  # nothing else
    assert {i: len(set(v)) for i, v in clean.items() if len(set(v)) > 1} == {}
    repeated = sum(len(v) - 1 for v in clean.values())
    print(f"\narticles.clean: {len(clean)} ids, {repeated} re-publication(s) after the kill")


def test_copies_published_after_the_restart_are_flagged_as_duplicates(outputs: dict[str, list[bytes]]) -> None:
    verdicts = {a.id: a.duplicate_of for a in map(CleanArticle.from_json, outputs["clean"])}
    flagged = {k: v for k, v in verdicts.items() if v is not None}
    assert flagged == {k.decode(): ARTICLES[i][0].decode() for (k, _), i in zip(COPIES, ORIGINALS, strict=True)}


def test_events_match_the_offline_run_per_sentence(
    outputs: dict[str, list[bytes]], offline: dict[str, list[bytes]]
) -> None:
    assert by_id(offline["clean"]).keys() == by_id(outputs["clean"]).keys()
    stream, expected = reports(outputs["events"]), reports(offline["events"])
    assert sum(expected.values()) > 40  # the articles are worth coding
    missing = {k: n for k, n in expected.items() if stream.get(k, 0) < n}
    extra = {k: n for k, n in stream.items() if expected.get(k, 0) < n}
    assert (missing, extra) == ({}, {})


def test_each_event_id_is_one_story_counted_once_per_report(outputs: dict[str, list[bytes]]) -> None:
    assert event_problems(outputs["events"]) == []
    distinct = len(set(outputs["events"]))
    print(f"\nevents: {len(outputs['events'])} messages, {len(outputs['events']) - distinct} byte-identical repeats")


def test_the_scenario_stays_within_its_budget(outputs: dict[str, list[bytes]]) -> None:
    # Not a benchmark: a guard that the scenario (and the CI budget) does not quietly grow.
    assert timings.get("total", 0) < 240, timings


def test_no_worker_counted_offsets_it_never_read_as_done(outputs: dict[str, list[bytes]]) -> None:
    assert skipped_offsets(groups[0].members) == []


def test_each_happening_is_counted_once_in_its_escalation_window(outputs: dict[str, list[bytes]]) -> None:
    assert_each_happening_counted_once(groups[0])
