"""The key-value interface stateful stages are written against: a dict offline, a Faust table in the stream."""

from __future__ import annotations

from typing import Protocol


class KeyValueStore(Protocol):
    """The two operations the stages need; both a ``dict[str, bytes]`` and ``TableStore`` provide them."""

    def get(self, key: str) -> bytes | None: ...

    def __setitem__(self, key: str, value: bytes) -> None: ...
