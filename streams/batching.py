"""Messages that wait together are handled together: the extract agent's batches.

spaCy costs less per article in a batch (fewer, fuller matrix products; its per-call
overhead paid once), but waiting to fill a batch would add latency when the stream is
quiet. A ``Batcher`` never waits: a message that arrives while no batch is running is
handled at once, alone; messages that arrive while a batch runs (the agent has several
in flight, see :mod:`streams.inorder`) go together in the next one, up to ``max_size``.
So batches grow only when the stage is the bottleneck, which is when they pay.

Written here because Faust's ``stream.take`` waits for a full batch or a timeout (latency
when quiet) and acks only after the whole batch; this keeps the per-message acks and
order that :class:`streams.inorder.InOrder` gives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

I = TypeVar("I")  # noqa: E741 - the item type
O = TypeVar("O")  # noqa: E741 - the result type


class Batcher(Generic[I, O]):
    """Run ``handle`` on lists of the items that waited together; at most ``concurrency`` lists at once."""

    def __init__(
        self,
        handle: Callable[[list[I]], Awaitable[Sequence[O]]],
        *,
        max_size: int,
        concurrency: int = 1,
        observe: Callable[[int], None] | None = None,
    ) -> None:
        if max_size < 1 or concurrency < 1:
            raise ValueError("max_size and concurrency must be at least 1")
        self._handle = handle
        self._max_size = max_size
        self._concurrency = concurrency
        self._observe = observe
        self._waiting: list[tuple[I, asyncio.Future[O]]] = []
        self._runners: set[asyncio.Task[None]] = set()
        self._active = 0  # runners still draining (a finished task leaves the set only later)

    async def run(self, item: I) -> O:
        """``item``'s result, handled in a batch with the items waiting beside it."""
        future: asyncio.Future[O] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._active < self._concurrency:
            self._active += 1
            runner = asyncio.ensure_future(self._drain())
            self._runners.add(runner)
            runner.add_done_callback(self._runners.discard)
        return await future

    def cancel(self) -> None:
        """Stop the batches in flight; their waiting callers are cancelled."""
        for runner in self._runners:
            runner.cancel()
        for _, future in self._waiting:
            future.cancel()
        self._waiting.clear()

    async def _drain(self) -> None:
        try:
            await self._drain_waiting()
        finally:
            self._active -= 1  # no await since the last look at ``_waiting``: nothing is left behind

    async def _drain_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max_size], self._waiting[self._max_size :]
            try:
                results = await self._handle([item for item, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"a batch of {len(batch)} gave {len(results)} results")
            except asyncio.CancelledError:
                for _, future in batch:
                    future.cancel()
                raise
            except Exception as exc:  # noqa: BLE001 - handed to every caller of the batch, who raise it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            if self._observe is not None:
                self._observe(len(batch))
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():  # a caller cancelled meanwhile
                    future.set_result(result)
