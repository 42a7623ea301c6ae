"""Hard time limits for stage work: a child process that is killed when it overruns.

A thread cannot be stopped, so a runaway parse in a thread keeps burning the CPU and
blocks the next articles. pebble's process pool terminates the child on timeout and
starts a fresh one, which makes the per-article limit a real bound.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

from streams.deadletters import Stage, StageFailure

T = TypeVar("T")


class StageRunner:
    """Run picklable stage functions in child processes under a time limit."""

    def __init__(self, stage: Stage, timeout_s: float, workers: int = 1) -> None:
        self.stage = stage
        self.timeout_s = timeout_s
        context = multiprocessing.get_context("forkserver")
        # Children fork from a server that imported the stages and loaded the models once,
        # so a replaced child is ready in milliseconds instead of re-loading everything.
        context.set_forkserver_preload(["streams.pipeline", "streams.warm"])
        self._pool = ProcessPool(max_workers=workers, context=context)

    async def warm_up(self) -> None:
        """Start the forkserver and a child now (imports take seconds), without a time limit."""
        await asyncio.wrap_future(self._pool.schedule(os.getpid))

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in a child; StageFailure("stage_timeout") when it overruns, ("stage_error") when it dies."""
        future = self._pool.schedule(fn, args=args, timeout=self.timeout_s)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout as exc:
            raise StageFailure(
                self.stage, "stage_timeout", f"no result within {self.timeout_s} s; child stopped"
            ) from exc
        except ProcessExpired as exc:
            raise StageFailure(self.stage, "stage_error", f"stage process died: {exc}") from exc

    def close(self) -> None:
        """Stop the children (they hold no state worth waiting for); a second call does nothing."""
        if not self._pool.active:
            return
        self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join(timeout=5)
