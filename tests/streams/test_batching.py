"""Batcher: items that wait while a batch runs are handled together; a lone item is never held back."""

from __future__ import annotations

import asyncio

import pytest

from streams.batching import Batcher


class Stage:
    """A batch handler that records each batch and runs until ``release`` is set."""

    def __init__(self, *, fail_on: str | None = None, short: bool = False) -> None:
        self.batches: list[list[str]] = []
        self.release = asyncio.Event()
        self.running = 0
        self.most_running = 0
        self.fail_on = fail_on
        self.short = short

    async def __call__(self, items: list[str]) -> list[str]:
        self.batches.append(items)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            await self.release.wait()
        finally:
            self.running -= 1
        if self.fail_on in items:
            raise ValueError(f"bad item {self.fail_on}")
        return [item.upper() for item in items][: len(items) - 1 if self.short else None]


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_a_lone_item_is_handled_at_once_alone() -> None:
    async def main() -> None:
        stage = Stage()
        stage.release.set()
        batcher = Batcher(stage, max_size=8)
        assert await asyncio.wait_for(batcher.run("a"), 1) == "A"
        assert stage.batches == [["a"]]

    asyncio.run(main())


def test_items_arriving_while_a_batch_runs_go_together_in_the_next_one() -> None:
    async def main() -> None:
        stage = Stage()
        batcher = Batcher(stage, max_size=8)
        first = asyncio.ensure_future(batcher.run("a"))
        await _settle()
        later = [asyncio.ensure_future(batcher.run(x)) for x in "bcd"]
        await _settle()
        stage.release.set()
        assert await asyncio.gather(first, *later) == ["A", "B", "C", "D"]
        assert stage.batches == [["a"], ["b", "c", "d"]]

    asyncio.run(main())


def test_a_batch_holds_at_most_max_size_items_in_arrival_order() -> None:
    async def main() -> None:
        stage = Stage()
        batcher = Batcher(stage, max_size=4)
        first = asyncio.ensure_future(batcher.run("a"))
        await _settle()
        later = [asyncio.ensure_future(batcher.run(x)) for x in "bcdefghij"]
        await _settle()
        stage.release.set()
        await asyncio.gather(first, *later)
        assert stage.batches == [["a"], ["b", "c", "d", "e"], ["f", "g", "h", "i"], ["j"]]

    asyncio.run(main())


def test_a_failed_batch_fails_each_of_its_callers_and_the_next_batch_still_runs() -> None:
    async def main() -> None:
        stage = Stage(fail_on="b")
        batcher = Batcher(stage, max_size=2)
        first = asyncio.ensure_future(batcher.run("a"))
        await _settle()
        failing = [asyncio.ensure_future(batcher.run(x)) for x in "bc"]
        after = asyncio.ensure_future(batcher.run("d"))
        await _settle()
        stage.release.set()
        assert await first == "A"
        for caller in failing:
            with pytest.raises(ValueError, match="bad item b"):
                await caller
        assert await after == "D"

    asyncio.run(main())


def test_a_handler_giving_the_wrong_number_of_results_fails_its_callers() -> None:
    async def main() -> None:
        stage = Stage(short=True)
        stage.release.set()
        batcher = Batcher(stage, max_size=2)
        with pytest.raises(RuntimeError, match="a batch of 1 gave 0 results"):
            await batcher.run("a")

    asyncio.run(main())


def test_concurrency_two_runs_two_batches_at_once_and_no_more() -> None:
    async def main() -> None:
        stage = Stage()
        batcher = Batcher(stage, max_size=2, concurrency=2)
        callers = []
        for x in "abcdef":
            callers.append(asyncio.ensure_future(batcher.run(x)))
            await _settle()
        assert stage.running == 2
        stage.release.set()
        await asyncio.gather(*callers)
        assert stage.most_running == 2
        assert sorted(x for batch in stage.batches for x in batch) == list("abcdef")

    asyncio.run(main())


def test_an_item_arriving_just_after_the_last_batch_is_still_handled() -> None:
    async def main() -> None:
        stage = Stage()
        stage.release.set()
        batcher = Batcher(stage, max_size=8)
        for x in "abc":  # each after the previous batch (and its runner) finished
            assert await asyncio.wait_for(batcher.run(x), 1) == x.upper()
        assert stage.batches == [["a"], ["b"], ["c"]]

    asyncio.run(main())


def test_batch_sizes_are_reported_to_the_observer() -> None:
    async def main() -> None:
        sizes: list[int] = []
        stage = Stage()
        batcher = Batcher(stage, max_size=8, observe=sizes.append)
        first = asyncio.ensure_future(batcher.run("a"))
        await _settle()
        later = [asyncio.ensure_future(batcher.run(x)) for x in "bc"]
        await _settle()
        stage.release.set()
        await asyncio.gather(first, *later)
        assert sizes == [1, 2]

    asyncio.run(main())


def test_cancel_cancels_the_running_batch_and_the_waiting_callers() -> None:
    async def main() -> None:
        stage = Stage()
        batcher = Batcher(stage, max_size=8)
        running = asyncio.ensure_future(batcher.run("a"))
        await _settle()
        waiting = asyncio.ensure_future(batcher.run("b"))
        await _settle()
        batcher.cancel()
        for caller in (running, waiting):
            with pytest.raises(asyncio.CancelledError):
                await caller
        assert stage.running == 0

    asyncio.run(main())
