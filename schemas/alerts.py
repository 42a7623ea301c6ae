"""Alerts for analysts (topic ``alerts``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from schemas.base import Timestamp, WireModel

Severity = Literal["info", "warning", "critical"]


class Evidence(WireModel):
    """One report behind an alert: the event, the sentence, the article."""

    event_id: str
    """Id of the event on the ``events`` topic."""
    article_id: str
    """Article the event came from."""
    article_url: Annotated[str, Field(max_length=4_096)] | None
    """Where an analyst can read it."""
    outlet: str | None
    """Who published it."""
    sentence: Annotated[str, Field(max_length=5_000)]
    """The sentence that reports the event."""


class WindowStats(WireModel):
    """What the rule saw in its window when it fired or was updated."""

    start: Timestamp
    """Start of the window (earliest evidence time)."""
    end: Timestamp
    """End of the window (latest evidence time)."""
    events: Annotated[int, Field(ge=0)]
    """Events that matched the rule in the window."""
    articles: Annotated[int, Field(ge=0)]
    """Distinct articles among them."""
    outlets: Annotated[int, Field(ge=0)]
    """Distinct outlets among them."""


class Alert(WireModel):
    """An alert; an update keeps its ``alert_id`` and raises ``version``."""

    alert_id: Annotated[str, Field(pattern=r"^al-[0-9a-f]{20}$")]
    """Deterministic id of (rule, story): the same happening never raises two alerts."""
    version: Annotated[int, Field(ge=1)]
    """1 when first raised, +1 for every update with new evidence."""
    rule: Annotated[str, Field(min_length=1, max_length=100)]
    """Name of the rule that fired."""
    severity: Severity
    """info, warning or critical."""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    """One line for the pager."""
    summary: Annotated[str, Field(max_length=5_000)]
    """Who did what to whom, where and when, in a sentence or two."""
    story_id: str
    """Story the alert is about."""
    countries: list[str]
    """ISO 3166-1 alpha-3 countries involved (actors and places), sorted."""
    triggered_at: Timestamp
    """When the alert was first raised (wall clock)."""
    updated_at: Timestamp
    """When this version was produced (wall clock)."""
    sources: list[str]
    """Outlets that reported the evidence, sorted."""
    evidence: Annotated[list[Evidence], Field(min_length=1, max_length=50)]
    """The reports behind the alert (capped at 50, newest kept)."""
    window: WindowStats
    """Counts over the evidence window."""
