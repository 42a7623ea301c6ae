"""The key-value interface stateful stages are written against: a dict offline, a Faust table in the stream."""

from __future__ import annotations

from typing import Protocol


class KeyValueStore(Protocol):
    """The two operations the stages need; both a ``dict[str, bytes]`` and ``TableStore`` provide them."""

    def get(self, key: str) -> bytes | None: ...

    def __setitem__(self, key: str, value: bytes) -> None: ...


def right_sized(value: bytes) -> bytes:
    """``value`` in an allocation of its own length, for keeping.

    orjson (3.12 and later) returns its output buffer as the bytes object, with the length set
    but the allocation left at its capacity: at least 4 KiB, rounded up to a power of two (a
    25-byte ``{"t": …}`` holds 4,096 bytes). A table keeps its values for their retention, so
    each one is copied once here (~0.5 µs) instead of holding that buffer.
    """
    return bytes(memoryview(value))
