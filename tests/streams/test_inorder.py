"""InOrder: messages worked on together, finished one after another in arrival order."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from streams.inorder import InOrder

CURRENT: contextvars.ContextVar[int] = contextvars.ContextVar("current")


def _run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_finishes_run_in_submission_order_when_work_completes_in_reverse() -> None:
    finished: list[int] = []

    async def main() -> None:
        order = InOrder(4, "test")
        for n, delay in enumerate([0.04, 0.03, 0.02, 0.01]):

            async def work(n: int = n, delay: float = delay) -> int:
                await asyncio.sleep(delay)
                return n

            async def finish(n: int) -> None:
                finished.append(n)

            await order.submit(work, finish)
        await order.drain()

    _run(main())
    assert finished == [0, 1, 2, 3]


def test_later_work_starts_before_earlier_messages_finish() -> None:
    events: list[str] = []

    async def main() -> None:
        order = InOrder(2, "test")
        gate = asyncio.Event()

        async def first() -> int:
            events.append("work 0")
            await gate.wait()
            return 0

        async def second() -> int:
            events.append("work 1")
            gate.set()
            return 1

        async def finish(n: int) -> None:
            events.append(f"finish {n}")

        await order.submit(first, finish)
        await order.submit(second, finish)
        await order.drain()

    _run(main())
    assert events == ["work 0", "work 1", "finish 0", "finish 1"]


def test_no_more_than_depth_messages_are_in_flight() -> None:
    peak = 0
    running = 0

    async def main() -> None:
        nonlocal peak
        order = InOrder(3, "test")

        async def work() -> None:
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.005)

        async def finish(_: None) -> None:
            nonlocal running
            running -= 1

        for _ in range(12):
            await order.submit(work, finish)
        await order.drain()

    _run(main())
    assert peak == 3


def test_a_failed_message_stops_the_later_finishes_and_is_raised_at_the_next_submit() -> None:
    finished: list[int] = []

    async def main() -> None:
        order = InOrder(4, "test")

        async def fail() -> int:
            raise ValueError("bug in a stage")

        async def ok() -> int:
            return 1

        async def finish(n: int) -> None:
            finished.append(n)

        await order.submit(fail, finish)
        await order.submit(ok, finish)
        await asyncio.sleep(0.01)
        with pytest.raises(ValueError, match="bug in a stage"):
            await order.submit(ok, finish)

    _run(main())
    assert finished == []


def test_each_finish_sees_the_context_of_its_own_submission() -> None:
    # Faust's current event lives in a context variable; a table write uses it for its partition.
    seen: list[int] = []

    async def main() -> None:
        order = InOrder(4, "test")
        for n in range(3):
            CURRENT.set(n)

            async def work() -> None:
                await asyncio.sleep(0.01)

            async def finish(_: None) -> None:
                seen.append(CURRENT.get())

            await order.submit(work, finish)
        await order.drain()

    _run(main())
    assert seen == [0, 1, 2]
