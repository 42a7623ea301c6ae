"""Pieces shared by the benchmarks that run workers on a broker (``bench alerts``, ``bench pipeline``).

Isolated settings (own app id, own topics), waiting with a deadline that notices a dead worker,
the producer's ack timestamp, nearest-rank percentiles, and CPU time and memory of a process
tree read from ``/proc`` (a worker's stage runners are child processes of a forkserver child,
so the tree, not the worker process alone, is what a worker costs).
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aiokafka.structs import RecordMetadata

from streams import security
from streams.settings import Settings
from streams.workers import WorkerProcess, worker_env

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile (an observed value, no interpolation); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def fmt(value: object, digits: int = 3) -> str:
    """A table cell: — for None, floats to ``digits`` places."""
    return "—" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


@dataclass(kw_only=True)
class PublishedArticle:
    """One article a benchmark published and follows through the pipeline (epoch seconds); each
    benchmark adds what it waits for after cleaning."""

    article_id: str
    sent_at: float
    """Producer timestamp of the record (CreateTime from the ack), else wall clock before send."""
    cleaned_at: float | None = None
    """When its message on ``articles.clean`` reached the benchmark's consumer."""
    duplicate: bool | None = None
    """Whether the deduplicate stage marked it a near or exact copy (then it is not coded again)."""

    @property
    def clean_latency(self) -> float | None:
        return None if self.cleaned_at is None else self.cleaned_at - self.sent_at


async def stamp(ack: asyncio.Future[RecordMetadata], sample: PublishedArticle) -> None:
    """Take the record's timestamp from the ack (the producer's CreateTime, or the broker's LogAppendTime)."""
    metadata = await ack
    if metadata.timestamp is not None and metadata.timestamp > 0:
        sample.sent_at = metadata.timestamp / 1000


async def until(done: Callable[[], bool], timeout: float, workers: Iterable[WorkerProcess]) -> bool:
    """Wait until ``done()`` or ``timeout`` s (False then); a dead worker ends the run with its log."""
    deadline = time.monotonic() + timeout
    workers = list(workers)
    while not done():
        if time.monotonic() >= deadline:
            return False
        for worker in workers:
            if not worker.alive():
                raise RuntimeError(f"worker exited with {worker.process.returncode}:\n{worker.log()[-3000:]}")
        await asyncio.sleep(0.05)
    return True


CARRIED_OVER = (
    "WIREWATCH_EXTRACT_PROCESSES",
    "WIREWATCH_CLEAN_PROCESSES",
    "WIREWATCH_EXTRACT_PIPELINE_DEPTH",
    "WIREWATCH_EXTRACT_BATCH_ARTICLES",
    "WIREWATCH_PRODUCER_MAX_BATCH_BYTES",
    # backpressure, so it can be measured on and off (WIREWATCH_CLEAN_AHEAD_ARTICLES=0)
    "WIREWATCH_CLEAN_AHEAD_ARTICLES",
    "WIREWATCH_MAX_POLL_RECORDS",
    # retentions, for a soak whose tables reach their steady size within the run
    "WIREWATCH_DUPLICATE_WINDOW_DAYS",
    "WIREWATCH_DUPLICATE_CLEANUP_INTERVAL_S",
    "WIREWATCH_STORY_RETENTION_DAYS",
    # and the alert and escalation books': their retention must exceed the rules' cooldowns, so a
    # soak that compresses it also needs rules with short cooldowns and windows
    "WIREWATCH_ALERT_RETENTION_DAYS",
    "WIREWATCH_RULES_FILE",
)
"""The caller's settings a benchmark's workers take (the rest of the worker's settings are the run's own)."""


def bench_settings(
    bootstrap: str, tmp: Path, *, app_prefix: str, partitions: int, external: bool = False
) -> tuple[dict[str, str], Settings]:
    """A worker environment and the matching Settings with their own app id and topics (``<app id>.articles.raw`` …).

    With ``external`` (the caller's broker) the caller's security settings apply; else plaintext.
    The caller's fetch wait (``WIREWATCH_FETCH_MAX_WAIT_S``, the per-hop latency) and the settings in
    ``CARRIED_OVER`` (stage processes, pipeline depth, retentions) carry over to the worker.
    """
    env = worker_env(bootstrap, tmp, app_prefix=app_prefix, WIREWATCH_PARTITIONS=str(partitions))
    if external:  # the caller's broker (``--broker``): its TLS/SASL settings for the worker too
        env.update({k: v for k, v in os.environ.items() if k.startswith(security.SECURITY_VARIABLES)})
    app_id = env["WIREWATCH_APP_ID"]
    settings = Settings(
        broker=f"kafka://{bootstrap}",
        # the embedded broker listens in plaintext: the caller's security settings are for --broker
        **({} if external else security.PLAINTEXT),
        app_id=app_id,
        partitions=partitions,
        topic_raw=f"{app_id}.articles.raw",
        topic_clean=f"{app_id}.articles.clean",
        topic_events=f"{app_id}.events",
        topic_alerts=f"{app_id}.alerts",
        topic_deadletter=f"{app_id}.articles.deadletter",
    )
    env["WIREWATCH_FETCH_MAX_WAIT_S"] = repr(settings.fetch_max_wait_s)
    for name in CARRIED_OVER:
        if name in os.environ:
            env[name] = os.environ[name]
    for name in ("raw", "clean", "events", "alerts", "deadletter"):
        env[f"WIREWATCH_TOPIC_{name.upper()}"] = getattr(settings, f"topic_{name}")
    return env, settings


# --- process trees from /proc (Linux) ------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (field 3, the state, is index 0)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def process_tree(root: int) -> list[int]:
    """``root`` and every live descendant (children of children: the stage runners' forkserver and pool)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root``'s tree, including children it has already reaped."""
    total = 0
    for pid in process_tree(root):
        fields = _stat_fields(pid)
        if fields is not None:
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / _TICK


def rss_bytes(root: int) -> int:
    """Resident set size summed over ``root``'s tree (forked children's shared pages count once per process)."""
    total = 0
    for pid in process_tree(root):
        fields = _stat_fields(pid)
        if fields is not None:
            total += int(fields[21]) * _PAGE
    return total


def pss_bytes(root: int) -> int:
    """Proportional resident memory summed over ``root``'s tree: each process's private pages and
    its share of the pages it shares (the stage children forked from one server), so the sum is
    the tree's footprint where RSS counts shared pages once per process. 0 for a process gone."""
    return sum(process_pss_bytes(pid) for pid in process_tree(root))


def process_pss_bytes(pid: int) -> int:
    """Proportional resident memory of one process (no children); 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine has spent busy since boot (/proc/stat: all but idle and iowait)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(x) for x in fields[:8]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / _TICK


class MemorySampler:
    """Samples the RSS of each root's process tree every ``interval`` s in a thread; keeps the peaks."""

    def __init__(self, roots: Sequence[int], interval: float = 0.5) -> None:
        self.roots = list(roots)
        self.interval = interval
        self.peak_each = [0] * len(self.roots)
        """Highest RSS seen of each root's tree."""
        self.peak_total = 0
        """Highest sum over the roots seen in one sample."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        sizes = [rss_bytes(root) for root in self.roots]
        self.peak_each = [max(a, b) for a, b in zip(self.peak_each, sizes, strict=True)]
        self.peak_total = max(self.peak_total, sum(sizes))

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
