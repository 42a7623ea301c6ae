"""What a stage keeps in a Faust table costs its own length, not the serialiser's buffer."""

from __future__ import annotations

import tracemalloc
from datetime import timedelta

import orjson

from streams.agents import TableStore
from streams.kvstore import right_sized


def _store() -> TableStore:
    # A dict stands in for the Faust table: TableStore uses only its mapping operations.
    return TableStore({}, "test book", timedelta(days=1), prune_every_s=3600.0)


def test_orjson_output_holds_a_buffer_far_larger_than_its_length() -> None:
    """Why ``right_sized`` exists: if orjson stops over-allocating, it can go."""
    tracemalloc.start()
    try:
        values = [orjson.dumps({"t": float(i)}) for i in range(100)]
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert sum(len(v) for v in values) < 3_000
    assert held > 100 * 1_024


def test_a_small_value_kept_in_a_table_costs_about_its_length() -> None:
    store = _store()
    tracemalloc.start()
    try:
        for i in range(200):
            store[f"counted|subject-{i}"] = orjson.dumps({"t": 1_795_849_469.0 + i})
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # keys, values and the dict: ~40 KB; orjson's buffers would hold 200 × 4 KiB = 800 KiB
    assert held < 100 * 1_024, held


def test_a_value_kept_in_a_table_reads_back_the_same() -> None:
    store = _store()
    value = orjson.dumps({"sig": list(range(128)), "t": 1.5})
    store["s:article-1"] = value
    assert store.get("s:article-1") == value
    assert store.items() == [("s:article-1", value)]


def test_right_sized_copies_the_bytes_exactly() -> None:
    value = orjson.dumps({"id": "a", "t": 2.0})
    assert right_sized(value) == value
    assert right_sized(b"") == b""
