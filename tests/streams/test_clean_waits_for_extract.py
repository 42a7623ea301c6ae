"""Backpressure between stages: what the stages after clean have not finished, and the gate that
stops fetching raw articles past a bound (end to end: tests/integration/test_fault_backlog.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import NamedTuple

from streams.backpressure import Backlog, FetchGate


class TP(NamedTuple):
    topic: str
    partition: int


CLEAN = "articles.clean"
ENDS = {TP(CLEAN, 0): 100, TP(CLEAN, 1): 40, TP("articles.raw", 0): 1_000}


def _records(backlog: Backlog, assigned: list[TP], committed: dict[TP, int | None] | None = None) -> int:
    return backlog.records(assigned, ENDS.get, committed or {})


def test_nothing_finished_counts_from_the_committed_offsets() -> None:
    backlog = Backlog(CLEAN)
    assert _records(backlog, [TP(CLEAN, 0), TP(CLEAN, 1)], {TP(CLEAN, 0): 90, TP(CLEAN, 1): None}) == 10 + 40


def test_finished_records_are_not_counted() -> None:
    backlog = Backlog(CLEAN)
    backlog.finished(TP(CLEAN, 0), 94)
    backlog.finished(TP(CLEAN, 0), 80)  # an older offset does not move it back
    assert _records(backlog, [TP(CLEAN, 0)], {TP(CLEAN, 0): 60}) == 100 - 95


def test_a_commit_past_the_finished_offset_counts() -> None:
    backlog = Backlog(CLEAN)
    backlog.finished(TP(CLEAN, 0), 10)
    assert _records(backlog, [TP(CLEAN, 0)], {TP(CLEAN, 0): 98}) == 2


def test_only_the_topics_partitions_assigned_here_count() -> None:
    backlog = Backlog(CLEAN)
    assert _records(backlog, [TP(CLEAN, 1), TP("articles.raw", 0)]) == 40


def test_a_partition_without_a_known_end_counts_nothing() -> None:
    backlog = Backlog(CLEAN)
    assert _records(backlog, [TP(CLEAN, 5)]) == 0


def test_records_written_here_count_before_the_consumer_has_fetched_them() -> None:
    # Faust stops fetching a partition whose agent is behind: its high watermark goes stale.
    backlog = Backlog(CLEAN)
    backlog.produced(TP(CLEAN, 0), 129)
    backlog.produced(TP(CLEAN, 5), 9)  # no high watermark known at all
    assert _records(backlog, [TP(CLEAN, 0), TP(CLEAN, 5)], {TP(CLEAN, 0): 100}) == 30 + 10


def test_a_partition_given_away_forgets_its_finished_offset() -> None:
    backlog = Backlog(CLEAN)
    backlog.finished(TP(CLEAN, 0), 99)
    assert _records(backlog, [TP(CLEAN, 1)]) == 40  # partition 0 went to another worker
    assert _records(backlog, [TP(CLEAN, 0)], {TP(CLEAN, 0): 70}) == 30  # back: from its commit


class _Client:
    """aiokafka's pause and resume: which partitions are fetched."""

    def __init__(self, assigned: set[TP]) -> None:
        self.fetched = set(assigned)

    def pause(self, *tps: TP) -> None:
        self.fetched -= set(tps)

    def resume(self, *tps: TP) -> None:
        self.fetched |= set(tps)


class _Thread:
    def __init__(self, client: _Client) -> None:
        self.client = client
        self._consumer = client  # where Faust's consumer thread keeps its aiokafka consumer

    async def call_thread(self, fn: Callable[..., None], *args: object) -> None:
        fn(*args)


class _Consumer:
    """What the gate uses of Faust's consumer: the assignment, and its aiokafka consumer's thread."""

    def __init__(self, assigned: set[TP]) -> None:
        self.assigned = assigned
        self._thread = _Thread(_Client(assigned))
        self.flow_active = True

    def assignment(self) -> set[TP]:
        return self.assigned

    @property
    def fetched(self) -> set[TP]:
        return self._thread.client.fetched


class _App:
    def __init__(self, consumer: _Consumer) -> None:
        self._consumer = consumer
        self.rebalancing = self.should_stop = self.in_recovery = False


RAW = {TP("articles.raw", 0), TP("articles.raw", 1)}


def _gate(behind: list[int], assigned: set[TP] | None = None) -> tuple[FetchGate, _App]:
    app = _App(_Consumer(set(RAW if assigned is None else assigned) | {TP(CLEAN, 0)}))
    return FetchGate("articles.raw", 10, lambda: behind[0]), app


def test_fetching_stops_past_the_bound_and_resumes_at_half_of_it() -> None:
    behind = [11]
    gate, app = _gate(behind)
    asyncio.run(gate.check(app))
    assert app._consumer.fetched == {TP(CLEAN, 0)}  # only the raw partitions stop
    behind[0] = 6
    asyncio.run(gate.check(app))
    assert app._consumer.fetched == {TP(CLEAN, 0)}  # under the bound, not yet at half
    behind[0] = 5
    asyncio.run(gate.check(app))
    assert app._consumer.fetched == RAW | {TP(CLEAN, 0)}


def test_a_rebalance_leaves_the_partitions_to_faust() -> None:
    behind = [11]
    gate, app = _gate(behind)
    app.rebalancing = True
    asyncio.run(gate.check(app))
    assert app._consumer.fetched == RAW | {TP(CLEAN, 0)}


def test_partitions_fetched_again_by_a_rebalance_are_held_again() -> None:
    behind = [11]
    gate, app = _gate(behind)
    asyncio.run(gate.check(app))
    app._consumer._thread.client.fetched |= RAW  # a rebalance's new assignment starts unpaused
    asyncio.run(gate.check(app))
    assert app._consumer.fetched == {TP(CLEAN, 0)}


def test_a_partition_given_away_is_not_resumed_here() -> None:
    behind = [11]
    gate, app = _gate(behind)
    asyncio.run(gate.check(app))
    app._consumer.assigned = {TP("articles.raw", 0)}
    behind[0] = 0
    asyncio.run(gate.check(app))
    assert app._consumer.fetched == {TP(CLEAN, 0), TP("articles.raw", 0)}


def test_the_seconds_held_are_counted_between_looks() -> None:
    behind = [11]
    gate, app = _gate(behind)
    assert asyncio.run(gate.check(app)) == 0.0
    assert asyncio.run(gate.check(app)) > 0.0
    behind[0] = 0
    assert asyncio.run(gate.check(app)) > 0.0  # held until this look
    assert asyncio.run(gate.check(app)) == 0.0
