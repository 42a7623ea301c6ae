"""Common base for every topic message: frozen, strict, extra fields rejected, orjson on the wire."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self

import orjson
from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

# Timestamps and dates arrive as ISO-8601 strings in JSON; strict mode would refuse
# them after orjson decoding, so these two types (and only these) are lax.
Timestamp = Annotated[datetime, Field(strict=False)]
CalendarDate = Annotated[date, Field(strict=False)]


class WireModel(BaseModel):
    """A message on a Wirewatch topic.

    Frozen so a stage cannot mutate what it was given; ``extra="forbid"`` so a
    producer's typo becomes a dead letter instead of silently lost data.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        use_attribute_docstrings=True,
        ser_json_timedelta="float",
        # JSON has no inf or NaN (orjson writes them as null, which the reader then refuses):
        # a value that cannot make the round trip is refused when the message is built.
        allow_inf_nan=False,
    )

    schema_version: int = SCHEMA_VERSION
    """Version of this message's schema; raised on incompatible changes."""

    def to_json(self) -> bytes:
        """Serialise to compact JSON bytes (orjson), ``None`` fields included for stable shape."""
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Parse JSON bytes with orjson, then validate against the model.

        Raises ``orjson.JSONDecodeError`` for malformed JSON and
        ``pydantic.ValidationError`` for a schema violation, so callers can tell
        the two apart in dead letters.
        """
        return cls.from_obj(orjson.loads(data))

    @classmethod
    def from_obj(cls, obj: Any) -> Self:
        """Validate an already-decoded JSON object."""
        return cls.model_validate(obj)
