"""Fault injection on the real broker: a TCP proxy that cuts or slows the network, and the checks
that a worker lost nothing.

The proxy stands between every client and the embedded broker: the broker advertises the
proxy's port (``EmbeddedBroker(advertised_port=proxy.port)``), so after bootstrapping every
Kafka connection (worker and test clients alike) goes through it. ``cut()`` is a network
outage (open connections reset, new ones reset on accept), ``restore()`` ends it, and
``throttle()`` makes one direction slow (a broker slow to take what clients send).

The article and output checks shared with the lifecycle and scale-out tests come from
``fleet.py``; the offset helpers here read committed offsets rather than a worker's counters,
which do not survive a kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.benchkit import pss_bytes
from streams.broker import EmbeddedBroker, free_port
from streams.demo import scrape_counter
from streams.inputs import InputMessage
from streams.kafka import log_end_offsets
from streams.offline import process_messages
from streams.settings import Settings
from streams.topics import CLEANED_SUFFIX, EVENTS_BY_DYAD_SUFFIX, EVENTS_FOR_ALERTS_SUFFIX, HAPPENINGS_BY_SUBJECT_SUFFIX
from streams.workers import WorkerProcess
from tests.integration.fleet import Feeder, by_id, distinct_sentences, event_problems, read_all, reports

# --- the proxy ---------------------------------------------------------------------------

UPSTREAM = "upstream"
"""Client → broker (requests: what a producer sends)."""
DOWNSTREAM = "downstream"
"""Broker → client (responses: what a consumer fetches)."""


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    broker: asyncio.StreamWriter
    client_id: str | None = None
    """The Kafka client id of the connection's first request (None until it is read)."""

    def abort(self) -> None:
        for writer in (self.client, self.broker):
            writer.transport.abort()  # RST, as a dropped link looks to both ends


@dataclass
class ProxyStats:
    accepted: int = 0
    reset_on_accept: int = 0
    reset_open: int = 0
    bytes: dict[str, int] = field(default_factory=lambda: {UPSTREAM: 0, DOWNSTREAM: 0})


class TcpProxy:
    """A TCP forwarder on a free loopback port to ``target_host:target_port``, on its own event
    loop in a daemon thread; a context manager that always stops it."""

    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1") -> None:
        self.target_host, self.target_port, self.host = target_host, target_port, host
        self.port = 0
        self.stats = ProxyStats()
        self._cut = False
        self._rate: dict[str, float | None] = {UPSTREAM: None, DOWNSTREAM: None}
        self._slow_clients = ""
        self._links: set[_Link] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _call(self, coro: object) -> object:
        future: Future[object] = asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]
        return future.result(timeout=10)

    def start(self) -> TcpProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats.accepted += 1
        if self._cut:
            self.stats.reset_on_accept += 1
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            writer.transport.abort()
            return
        link = _Link(client=writer, broker=up_writer)
        self._links.add(link)
        try:
            await asyncio.gather(
                self._pump(reader, up_writer, UPSTREAM, link),
                self._pump(up_reader, writer, DOWNSTREAM, link),
                return_exceptions=True,
            )
        finally:
            self._links.discard(link)
            link.abort()

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: str, link: _Link
    ) -> None:
        while True:
            data = await reader.read(16 * 1024)
            if not data:
                writer.transport.abort()
                return
            if link.client_id is None and direction == UPSTREAM:
                link.client_id = kafka_client_id(data)
            rate = self._rate[direction]
            if rate is not None and (link.client_id or "").startswith(self._slow_clients):
                # a slow link: this chunk takes len/rate seconds to get through
                await asyncio.sleep(len(data) / rate)
            if writer.transport.is_closing():
                return
            writer.write(data)
            self.stats.bytes[direction] += len(data)
            await writer.drain()

    def cut(self) -> None:
        """A network outage: every open connection is reset, new ones are reset on accept."""

        async def _cut() -> None:
            self._cut = True
            for link in list(self._links):
                self.stats.reset_open += 1
                link.abort()

        self._call(_cut())

    def restore(self) -> None:
        """The network is back: new connections are forwarded again."""

        async def _restore() -> None:
            self._cut = False

        self._call(_restore())

    def throttle(self, direction: str, bytes_per_s: float | None, client_id: str = "") -> None:
        """Make ``direction`` slow (each connection's chunks pass at ``bytes_per_s``) for the
        connections whose Kafka client id starts with ``client_id`` (all by default); None lifts it."""

        async def _set() -> None:
            self._rate[direction] = bytes_per_s
            self._slow_clients = client_id

        self._call(_set())

    def stop(self) -> None:
        if not self._thread.is_alive():
            return

        async def _close() -> None:
            if self._server is not None:
                self._server.close()
            for link in list(self._links):
                link.abort()

        self._call(_close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def kafka_client_id(request: bytes) -> str:
    """The client id in the header of a Kafka request (``request`` starts with one): after the
    size (int32), API key, version (int16 each) and correlation id (int32), a nullable int16-length
    string in every header version. Empty when the bytes are too short to hold it."""
    if len(request) < 14:
        return ""
    size = int.from_bytes(request[12:14], "big", signed=True)
    return request[14 : 14 + size].decode("utf-8", "replace") if size > 0 else ""


# --- articles and what the offline run makes of them ---------------------------------------


def short_articles(prefix: str, count: int, *, per_article: int = 2) -> list[tuple[bytes, bytes]]:
    """``count`` raw articles of ``per_article`` consecutive corpus sentences each, cheap to code,
    with distinct ids and outlets; past the corpus's sentences they wrap round (the later ones are
    then near-copies of earlier ones, flagged ``duplicate_of``)."""
    sentences = distinct_sentences()
    out = []
    for i in range(count):
        start = (per_article * i) % (len(sentences) - per_article + 1)
        article_id = f"{prefix}-{i:03d}"
        raw = {
            "id": article_id,
            "source": f"Outlet {i % 7}",
            "published_at": f"2025-06-{1 + i % 28:02d}T12:00:00Z",
            "text": " ".join(sentences[start : start + per_article]),
        }
        out.append((article_id.encode(), orjson.dumps(raw)))
    return out


def offline(messages: list[tuple[bytes, bytes]]) -> dict[str, list[bytes]]:
    """What ``wirewatch process`` publishes for ``messages``, per topic."""
    settings = Settings()
    result = process_messages([InputMessage(key=k, value=v, origin="test") for k, v in messages], settings)
    return {topic: [m.to_json() for m in models] for topic, models in result.by_topic.items()}


def clean_problems(stream: dict[str, list[bytes]], expected: dict[str, list[bytes]]) -> list[str]:
    """Articles missing from ``articles.clean`` or not as the offline run cleans them (the stream
    may repeat an article after a fault, but only byte-identically)."""
    problems = [f"{i}: missing" for i in sorted(set(expected) - set(stream))]
    problems += [f"{i}: never sent" for i in sorted(set(stream) - set(expected))]
    for article_id, values in stream.items():
        if len(set(values)) > 1:
            problems.append(f"{article_id}: {len(set(values))} different versions")
        elif article_id in expected and values[0] != expected[article_id][0]:
            problems.append(f"{article_id}: not as the offline run cleans it")
    return problems


# --- the broker's view: committed offsets, whole topics ------------------------------------


def source_topics(app_id: str, raw: str = "articles.raw", clean: str = "articles.clean") -> list[str]:
    """Every topic a worker's agents consume (the tables' changelogs are read outside the group)."""
    internal = [CLEANED_SUFFIX, EVENTS_BY_DYAD_SUFFIX, EVENTS_FOR_ALERTS_SUFFIX, HAPPENINGS_BY_SUBJECT_SUFFIX]
    return [raw, clean, *(f"{app_id}.{s}" for s in internal)]


async def _offsets(bootstrap: str, group_id: str, topics: list[str]) -> dict[str, tuple[int, int]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        out: dict[str, tuple[int, int]] = {}
        for topic in topics:
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
            ends = await log_end_offsets(consumer, partitions)
            committed = 0
            for tp in partitions:
                committed += (await consumer.committed(tp)) or 0
            out[topic] = (sum(ends.values()), committed)
        return out
    finally:
        await consumer.stop()


def committed(bootstrap: str, group_id: str, topic: str) -> int:
    """Records of ``topic`` the group has committed, over all partitions."""
    return asyncio.run(_offsets(bootstrap, group_id, [topic]))[topic][1]


def lag(bootstrap: str, group_id: str, topics: list[str]) -> dict[str, int]:
    """Records between the group's committed offsets and the end of each topic."""
    return {t: end - done for t, (end, done) in asyncio.run(_offsets(bootstrap, group_id, topics)).items()}


def wait_caught_up(bootstrap: str, app_id: str, worker: WorkerProcess, timeout: float = 180.0) -> None:
    """Until the group has committed everything on every topic its agents read (twice in a row,
    so a stage that just published to the next one is seen), the worker alive throughout."""
    deadline = time.monotonic() + timeout
    topics = source_topics(app_id)
    settled = 0
    behind: dict[str, int] = {}
    while time.monotonic() < deadline:
        assert worker.alive(), f"worker exited with {worker.process.returncode}:\n{worker.log()[-5000:]}"
        behind = lag(bootstrap, app_id, topics)
        settled = settled + 1 if not any(behind.values()) else 0
        if settled >= 2:
            return
        time.sleep(1.0)
    raise TimeoutError(f"group {app_id} still lagging after {timeout} s: {behind}\n{worker.log()[-3000:]}")


# --- processes -----------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children …), from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_memory(worker: WorkerProcess) -> int:
    """The worker's memory: Pss summed over its process tree (the Faust process, its stage children)."""
    return pss_bytes(worker.process.pid)


def sigkill_tree(worker: WorkerProcess, timeout: float = 30.0) -> None:
    """SIGKILL the worker, as the OOM killer would; its stage children (orphaned) are killed too,
    by pid, once it is gone, so none outlives the test."""
    orphans = descendants(worker.process.pid)
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout)
    for pid in orphans:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_until(worker: WorkerProcess, condition: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    """Until ``condition()`` holds, the worker alive throughout."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert worker.alive(), f"worker exited with {worker.process.returncode}:\n{worker.log()[-5000:]}"
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s\n{worker.log()[-3000:]}")
        time.sleep(0.1)


def published_clean(worker: WorkerProcess) -> float:
    """Articles this worker process has published on ``articles.clean`` (its /metrics)."""
    return scrape_counter(worker.metrics_url, "wirewatch_stage_messages_out", "stage").get("clean", 0.0)


def read_raw(worker: WorkerProcess) -> float:
    """Raw articles this worker process has read (its clean stage's input, from /metrics)."""
    return scrape_counter(worker.metrics_url, "wirewatch_stage_messages_in", "stage").get("clean", 0.0)


__all__ = [
    "Feeder",
    "by_id",
    "distinct_sentences",
    "event_problems",
    "read_all",
    "reports",
]
"""Re-exported from ``fleet.py`` for the fault tests."""


class OutputsAsOffline:
    """What every fault test checks of the stream's outputs (``run.outputs``, per topic) against
    the offline run (``expected``): subclass it as ``TestOutputs`` in a module that has both
    fixtures, and pytest runs these checks there."""

    def test_every_article_reaches_articles_clean_and_repeats_are_identical(
        self, run: HasOutputs, expected: dict[str, list[bytes]]
    ) -> None:
        assert clean_problems(by_id(run.outputs["articles.clean"]), by_id(expected["articles.clean"])) == []

    def test_events_per_sentence_are_the_ones_the_offline_run_codes(
        self, run: HasOutputs, expected: dict[str, list[bytes]]
    ) -> None:
        assert reports(run.outputs["events"]) == reports(expected["events"])

    def test_no_event_id_tells_two_stories(self, run: HasOutputs) -> None:
        assert event_problems(run.outputs["events"]) == []

    def test_nothing_is_dead_lettered(self, run: HasOutputs) -> None:
        assert run.outputs["articles.deadletter"] == []


class HasOutputs(Protocol):
    outputs: dict[str, list[bytes]]


@contextlib.contextmanager
def proxied_broker() -> Iterator[tuple[TcpProxy, EmbeddedBroker]]:
    """A TCP proxy and the broker behind it, which tells every client to connect to the proxy."""
    with (
        TcpProxy("127.0.0.1", free_port()) as proxy,
        EmbeddedBroker(port=proxy.target_port, advertised_port=proxy.port) as broker,
    ):
        yield proxy, broker
