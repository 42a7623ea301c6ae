"""Turning a failed message into a DeadLetter that keeps everything needed to find and replay it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from schemas import DeadLetter, DeadLetterReason

Stage = Literal["decode", "clean", "extract", "alert", "deliver"]


@dataclass(frozen=True, slots=True)
class Record:
    """A message as read from a topic (or from a file offline): bytes plus where it came from."""

    value: bytes
    key: bytes | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp: float | None = None
    """Broker timestamp in seconds since the epoch, when known."""


class StageFailure(Exception):
    """A message a stage gave up on; carries the dead-letter reason code."""

    def __init__(self, stage: Stage, reason: DeadLetterReason, error: BaseException | str) -> None:
        self.stage = stage
        self.reason = reason
        self.error_class = type(error).__name__ if isinstance(error, BaseException) else "StageFailure"
        super().__init__(str(error))


def _encode(data: bytes, *, truncated: bool = False) -> tuple[str, Literal["utf-8", "base64"]]:
    """UTF-8 text where the bytes are text, base64 otherwise.

    A cut payload may end inside a multi-byte character; that tail is dropped so
    the text stays readable instead of turning the whole payload into base64.
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8"
        return base64.b64encode(data).decode("ascii"), "base64"


def _text(message: str, limit: int) -> str:
    """``message`` cut to ``limit`` characters, with any lone surrogate escaped: the error path
    must not fail on a message a buggy stage built (JSON cannot carry lone surrogates)."""
    return message[:limit].encode("utf-8", "backslashreplace").decode("utf-8")


def dead_letter(
    record: Record,
    failure: StageFailure,
    *,
    payload_limit: int,
    failed_at: datetime | None = None,
) -> DeadLetter:
    """Build the dead letter for ``record``; oversized payloads keep their first ``payload_limit`` bytes."""
    truncated = len(record.value) > payload_limit
    payload, payload_encoding = _encode(record.value[:payload_limit], truncated=truncated)
    key, key_encoding = _encode(record.key) if record.key is not None else (None, None)
    return DeadLetter(
        stage=failure.stage,
        reason=failure.reason,
        error_class=_text(failure.error_class, 200)[:200],
        error=_text(str(failure), 5_000)[:5_000],
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=key,
        key_encoding=key_encoding,
        payload=payload,
        payload_encoding=payload_encoding,
        payload_size=len(record.value),
        payload_truncated=truncated,
        payload_sha256=hashlib.sha256(record.value).hexdigest(),
        failed_at=failed_at or datetime.now(UTC),
    )
