"""Backpressure between stages: a worker stops fetching raw articles while the stages after
clean are far behind on it.

Faust's agents read their topics independently. Under a backlog (a worker back after an outage,
a burst of scraped articles) the clean agent, two to three times faster than extract, would clean
the whole backlog first while extract worked through its queue: the CPU goes to the stage that is
ahead, the backlog's first events come out only once all of it is cleaned, and the internal
topics hold a copy of the backlog. Stopping the raw topic's fetches while clean's output not yet
through deduplicate and extract on this worker exceeds a bound (``WIREWATCH_CLEAN_AHEAD_ARTICLES``)
keeps articles flowing through every stage; fetching resumes once half of that is left.

Written here because Faust has no flow control between agents. Holding the clean agent itself
between messages does not work: Faust hands every fetched record to the agents from one
dispatcher, which waits on an agent whose read-ahead buffer is full, and every other agent
(the ones clean would wait for) waits with it. Faust's own read-ahead limit
(``Consumer.on_buffer_full``) is undone by Faust as soon as that buffer drains, and Faust's
``pause_partitions`` drops records already fetched for the partition (Faust then counts them
as a gap: lost). So the gate pauses the raw partitions in aiokafka (``AIOKafkaConsumer.pause``:
fetched records of a paused partition are fetched again after ``resume``, its position does
not move), which Faust does not use, and leaves them alone while Faust rebalances, recovers
tables or stops; a rebalance's new assignment starts unpaused, and the gate pauses it again.
Records already handed to Faust still reach clean: it can run past the bound by one poll
(``WIREWATCH_MAX_POLL_RECORDS``) and its read-ahead (``WIREWATCH_STREAM_BUFFER_MESSAGES``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from aiokafka import TopicPartition

from streams.probes import partition_end
from streams.transport import call_in_consumer_thread

log = logging.getLogger(__name__)

#: A hold is logged once it lasts this long (s), and again every LOG_EVERY_S while it does.
LOG_AFTER_S = 5.0
LOG_EVERY_S = 60.0


class Backlog:
    """Records of one topic's partitions assigned here that the stage reading it has not finished.

    ``finished`` is told each record's offset once its outputs are acked; a partition nothing was
    finished on since it was assigned counts from its committed offset. A partition's end is the
    larger of the consumer's high watermark and what this worker has written there
    (``produced``, from the acks): Faust stops fetching a partition whose agent's buffer is
    full — just when the stage is behind — so the high watermark alone goes stale then."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self._done: dict[Any, int] = {}
        self._written: dict[Any, int] = {}

    def produced(self, tp: Any, offset: int) -> None:
        """This worker wrote the record at ``offset`` of ``tp``."""
        if offset + 1 > self._written.get(tp, 0):
            self._written[tp] = offset + 1

    def finished(self, tp: Any, offset: int) -> None:
        """The record at ``offset`` of ``tp`` (and everything before it) is done."""
        if offset + 1 > self._done.get(tp, -1):
            self._done[tp] = offset + 1

    def records(
        self, assigned: Iterable[Any], highwater: Callable[[Any], int | None], committed: Mapping[Any, int | None]
    ) -> int:
        """Unfinished records over the ``assigned`` partitions of the topic (end unknown: none counted)."""
        mine = {tp for tp in assigned if tp.topic == self.topic}
        for offsets in (self._done, self._written):
            for gone in set(offsets) - mine:  # another worker's now: these offsets would mislead later
                del offsets[gone]
        total = 0
        for tp in mine:
            end = max(highwater(tp) or 0, self._written.get(tp, 0))
            done = max(self._done.get(tp, 0), committed.get(tp) or 0)
            total += max(end - done, 0)
        return total


def unfinished(app: Any, backlog: Backlog) -> int:
    """``backlog``'s unfinished records as this worker's consumer sees them (0 while it has none)."""
    consumer = app._consumer  # not app.consumer: that property would create one
    if consumer is None:
        return 0
    try:
        assigned = consumer.assignment()
    except Exception:  # noqa: BLE001 - not started yet, or stopping
        return 0
    return backlog.records(assigned, partial(partition_end, consumer), consumer._committed_offset)


class FetchGate:
    """Stops fetching ``topic`` on this worker while ``behind()`` exceeds ``limit``; resumes at half.

    ``check`` is called periodically (a Faust timer)."""

    def __init__(self, topic: str, limit: int, behind: Callable[[], int]) -> None:
        self.topic = topic
        self.limit = limit
        self.behind = behind
        self.held: set[Any] = set()
        self._looked_at: float | None = None  # the last look, while held
        self._held_from = 0.0
        self._logged_at = 0.0

    async def check(self, app: Any) -> float:
        """One look: hold or release the topic's partitions; the seconds held since the last look."""
        consumer = app._consumer  # not app.consumer: that property would create one
        if consumer is None or app.rebalancing or app.should_stop or app.in_recovery or not consumer.flow_active:
            return 0.0  # Faust is pausing and resuming partitions itself now
        try:
            assigned = {tp for tp in consumer.assignment() if tp.topic == self.topic}
        except Exception:  # noqa: BLE001 - not started yet, or stopping
            return 0.0
        now = time.monotonic()
        held_s = now - self._looked_at if self._looked_at is not None else 0.0
        self.held &= assigned  # a partition given to another worker is no longer ours to resume
        behind = self.behind()
        if behind > self.limit:
            if not self.held:
                self._held_from = now
            # every time: a rebalance gives the consumer a new assignment, unpaused
            await _in_consumer_thread(consumer, "pause", assigned)
            self.held = assigned
            if now - self._held_from >= LOG_AFTER_S and now - self._logged_at >= LOG_EVERY_S:
                log.warning(
                    "fetching %s held for %.0f s: %d records behind after clean",
                    self.topic,
                    now - self._held_from,
                    behind,
                )
                self._logged_at = now
        elif behind <= self.limit // 2 and self.held:
            await _in_consumer_thread(consumer, "resume", self.held)
            self.held = set()
        self._looked_at = now if self.held else None
        return held_s


async def _in_consumer_thread(consumer: Any, method: str, tps: set[Any]) -> None:
    """aiokafka's ``pause``/``resume`` of ``tps``, in the thread (and event loop) that runs it."""
    await call_in_consumer_thread(consumer, method, *(TopicPartition(tp.topic, tp.partition) for tp in tps))
