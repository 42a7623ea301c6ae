"""Several messages in flight, finished in arrival order: the extract agent's pipeline.

An agent that handles one message at a time leaves its stage child idle while it sends the
outputs of the last message and waits for their acks, and leaves the event loop idle while
the child works. ``InOrder`` starts a message's work (the child's coding) as soon as it
arrives, up to ``depth`` at once, and runs each message's finish (table updates, sends,
ack) only after the previous message's finish: outputs keep the input's order, and a
message is acked only after its own outputs and every earlier message's.

Each message's task is created in the caller's context, so Faust's current event (which a
table uses to pick its changelog partition) is that message's, not the latest one's.
Written here because Faust's ``concurrency`` runs copies of an agent that finish in any
order, and ``stream.take`` acks a batch only after the whole batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class InOrder:
    """Up to ``depth`` messages in flight; finishes run one after another in submission order."""

    def __init__(self, depth: int, name: str) -> None:
        self._slots = asyncio.Semaphore(depth)
        self._name = name
        self._last: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._error: BaseException | None = None

    async def submit(self, work: Callable[[], Awaitable[T]], finish: Callable[[T], Awaitable[None]]) -> None:
        """Start ``work()`` now (after waiting for a free slot); ``finish(result)`` runs when every
        earlier message has finished. Raises the error of an earlier message that failed."""
        self._raise_failure()
        await self._slots.acquire()
        self._raise_failure()
        task = asyncio.ensure_future(self._run(work, finish, self._last))
        self._tasks.add(task)
        task.add_done_callback(self._done)
        self._last = task

    async def drain(self) -> None:
        """Wait until every submitted message has finished (or failed)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._raise_failure()

    def cancel(self) -> None:
        """Stop every message in flight (unfinished messages are not acked: they are re-delivered)."""
        for task in self._tasks:
            task.cancel()

    async def _run(
        self,
        work: Callable[[], Awaitable[T]],
        finish: Callable[[T], Awaitable[None]],
        before: asyncio.Task[None] | None,
    ) -> None:
        try:
            result = await work()
            if before is not None:
                await before  # an earlier failure fails this message too: nothing is published out of order
            await finish(result)
        finally:
            self._slots.release()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        if self._error is None:  # the first failure; the later ones are its consequence
            self._error = task.exception()
            log.error("%s: a message failed; the agent stops at its next message", self._name, exc_info=self._error)

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error
