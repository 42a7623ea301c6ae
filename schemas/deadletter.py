"""Messages that could not be processed (topic ``articles.deadletter``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from schemas.base import Timestamp, WireModel

DeadLetterReason = Literal[
    "undecodable",
    "invalid_json",
    "schema_violation",
    "too_large",
    "stage_error",
    "stage_timeout",
    "delivery_failed",
]


class DeadLetter(WireModel):
    """A message a stage could not process, with everything needed to find and replay it.

    The original record stays on its topic at ``topic/partition/offset``; the payload is
    copied here (up to ``payload_limit`` bytes) so most cases can be read without it.
    """

    stage: Literal["decode", "clean", "extract", "alert", "deliver"]
    """Stage that gave up on the message."""
    reason: DeadLetterReason
    """Stable reason code, for counting and routing."""
    error_class: Annotated[str, Field(max_length=200)]
    """Python class of the error (e.g. "ValidationError")."""
    error: Annotated[str, Field(max_length=5_000)]
    """Human-readable error message (cut to 5,000 characters)."""
    topic: str | None
    """Topic the message was read from (None offline)."""
    partition: int | None
    """Partition it was read from."""
    offset: int | None
    """Offset it was read from."""
    key: str | None
    """Original record key, decoded as UTF-8 or base64 (see ``key_encoding``)."""
    key_encoding: Literal["utf-8", "base64"] | None
    """How ``key`` is encoded."""
    payload: str
    """Original record value: UTF-8 text, or base64 where the bytes are not UTF-8."""
    payload_encoding: Literal["utf-8", "base64"]
    """How ``payload`` is encoded."""
    payload_size: Annotated[int, Field(ge=0)]
    """Size of the original value in bytes."""
    payload_truncated: bool
    """True when ``payload`` holds only the first bytes of a value over the limit."""
    payload_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """SHA-256 of the full original value, to match it against the source topic."""
    failed_at: Timestamp
    """When the stage gave up (wall clock)."""
