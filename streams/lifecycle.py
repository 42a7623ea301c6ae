"""Graceful shutdown of the worker: Faust's own stop sequence, bounded by ``WIREWATCH_SHUTDOWN_GRACE_S``.

On SIGTERM (or SIGINT) Faust's worker (``mode.Worker``) stops the app: the fetcher stops and
the partitions are paused, records fetched but not yet taken by an agent are dropped (they are
not committed, so they are read again by whoever gets the partition), ``Consumer.wait_empty``
waits until every message an agent took has been acked — each agent awaits the broker's ack of
its outputs before it takes the next message — committing as acks arrive, then commits once
more; the producer is flushed, the agents are stopped and the consumer leaves the group, so its
partitions move to the other workers at once instead of after the session timeout.

What Faust does not have is a bound: ``wait_empty`` waits as long as an agent needs. This
worker adds a watchdog thread, started with the shutdown, that logs what was still running and
ends the process with exit code 1 once the grace period has passed (what was not committed is
processed again after the restart: at-least-once, with deterministic ids). At the end of a
clean shutdown the stage child processes are stopped, and one line gives the duration.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import faust

log = logging.getLogger(__name__)

EXIT_GRACE_EXCEEDED = 1
"""Exit code of a worker whose shutdown outlasted the grace period."""

_closers: list[Callable[[], None]] = []
"""What to stop once the app has stopped (the stage child processes)."""


def on_shutdown(closer: Callable[[], None]) -> None:
    """Call ``closer`` at the end of the worker's shutdown (also when the grace period runs out)."""
    _closers.append(closer)


def _close_all() -> None:
    while _closers:
        closer = _closers.pop()
        try:
            closer()
        except Exception:  # one stuck pool must not keep the others running
            log.exception("shutdown: stopping %r failed", closer)


def exit_on_early_sigterm() -> None:
    """Before Faust installs its handlers (imports, topic checks): SIGTERM exits 0 at once.

    Nothing is consumed yet, so there is nothing to finish; the default action would end the
    process with -15, which an orchestrator reports as a failure."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)


def worker_class(grace_s: float) -> type[Worker]:
    """The app's ``Worker`` setting: a :class:`Worker` with this grace period."""
    return type("Worker", (Worker,), {"shutdown_grace_s": grace_s, "__module__": __name__})


class Worker(faust.Worker):
    """``faust.Worker`` whose shutdown is logged, timed and bounded by the app's grace period."""

    shutdown_grace_s: float = 30.0
    _shutdown_started: float | None = None
    _watchdog: threading.Timer | None = None

    def _schedule_shutdown(self, signal: signal.Signals) -> None:
        if self._shutdown_started is None:
            self._begin(signal.name)
        super()._schedule_shutdown(signal)

    def _begin(self, reason: str) -> None:
        self._shutdown_started = time.monotonic()
        grace = self.shutdown_grace_s
        log.info("shutdown started (%s): finishing in-flight messages, grace %.1f s", reason, grace)
        self._watchdog = threading.Timer(grace, self._grace_exceeded, args=(grace,))
        self._watchdog.daemon = True
        self._watchdog.start()

    def _grace_exceeded(self, grace: float) -> None:
        """Runs on the watchdog thread: the event loop may be stuck, so read only, then exit."""
        pending: Any = "?"
        tracebacks = ""
        with contextlib.suppress(Exception):
            consumer: Any = self.app.consumer  # Faust keeps no public count of unacked messages
            pending = len(list(consumer._unacked_messages))
        with contextlib.suppress(Exception):
            tracebacks = self.app.agents.human_tracebacks()
        log.error(
            "shutdown did not finish within the grace period of %.1f s: %s message(s) still in flight "
            "(not committed: they are processed again after the restart); exiting with %d\n%s",
            grace,
            pending,
            EXIT_GRACE_EXCEEDED,
            tracebacks,
        )
        with contextlib.suppress(Exception):
            _close_all()
        for handler in logging.getLogger().handlers:
            with contextlib.suppress(Exception):
                handler.flush()
        os._exit(EXIT_GRACE_EXCEEDED)

    def stop_and_shutdown(self) -> None:
        if self._shutdown_started is None:  # stopped for another reason than a signal (a crash)
            self._begin("worker stopping")
        try:
            super().stop_and_shutdown()
        finally:
            _close_all()
            started = self._shutdown_started or time.monotonic()
            log.info("shutdown finished in %.1f s", time.monotonic() - started)
            if self._watchdog is not None:
                self._watchdog.cancel()
