"""Alerts for analysts (topic ``alerts``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from schemas.base import Timestamp, WireModel

Severity = Literal["info", "warning", "critical"]
AlertKind = Literal["event", "surge", "first_seen"]


class Evidence(WireModel):
    """One report behind an alert: the event, the sentence, the article."""

    event_id: str
    """Id of the event on the ``events`` topic."""
    story_id: str
    """Story (real-world happening) the event belongs to."""
    article_id: str
    """Article the event came from."""
    article_url: Annotated[str, Field(max_length=4_096)] | None
    """Where an analyst can read it."""
    outlet: str | None
    """Who published it."""
    copy_of: str | None = None
    """Id of the article this report copies (a duplicate flagged by the clean stage): a copy
    is not an independent source."""
    reported_at: Timestamp
    """When the article was published (when it was coded, if the article has no date)."""
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


class Escalation(WireModel):
    """Why a ``surge`` or ``first_seen`` alert fired: the count against its baseline."""

    subject: Annotated[str, Field(min_length=1, max_length=200)]
    """What was counted: ``dyad ISR→IRN`` or ``country IRN``, with the QuadClass."""
    quad_class: Annotated[int, Field(ge=1, le=4)]
    """QuadClass of the counted events."""
    window_start: Timestamp
    """Start of the counting window (event time)."""
    window_end: Timestamp
    """End of the counting window (event time)."""
    count: Annotated[int, Field(ge=0)]
    """Distinct happenings (stories, not reports) counted in the window."""
    baseline: Annotated[float, Field(ge=0)]
    """EWMA of the counts of the previous windows (0 for a dyad never seen)."""
    z_score: float
    """(count − baseline) / EW standard deviation (floored), as the rule compared it."""


class Alert(WireModel):
    """An alert; an update keeps its ``alert_id`` and raises ``version``."""

    alert_id: Annotated[str, Field(pattern=r"^al-[0-9a-f]{20}$")]
    """Deterministic id (alert key and the first evidence): replays never raise a second alert."""
    version: Annotated[int, Field(ge=1)]
    """1 when first raised, +1 for every update with new evidence."""
    kind: AlertKind = "event"
    """``event``: a rule matched an event; ``surge``: a dyad or country counts far more events
    than its baseline; ``first_seen``: a dyad's first material conflict within the retention."""
    key: Annotated[str, Field(min_length=1, max_length=300)]
    """Cooldown key (rule and dyad, or the counted subject): one alert per key per cooldown,
    further evidence within it updates that alert."""
    rule: Annotated[str, Field(min_length=1, max_length=100)]
    """Name of the rule that fired (``surge`` / ``first-seen`` for escalations)."""
    severity: Severity
    """info, warning or critical."""
    title: Annotated[str, Field(min_length=1, max_length=300)]
    """One line for the pager."""
    summary: Annotated[str, Field(max_length=5_000)]
    """Who did what to whom, where and when, in a sentence or two."""
    story_id: str | None
    """Story of the first evidence (None only if an escalation had none)."""
    stories: Annotated[list[str], Field(max_length=50)] = Field(default_factory=list)
    """Every story in the evidence (first first)."""
    countries: list[str]
    """ISO 3166-1 alpha-3 countries involved (actors and places), sorted."""
    places: Annotated[list[str], Field(max_length=50)] = Field(default_factory=list)
    """Names of the places the evidence ties to the events (first seen first)."""
    triggered_at: Timestamp
    """When the alert was first raised (wall clock)."""
    updated_at: Timestamp
    """When this version was produced (wall clock)."""
    sources: list[str]
    """Outlets that reported the evidence, sorted."""
    independent_sources: Annotated[int, Field(ge=0)] = 0
    """Distinct outlets among evidence that is not a copy of another article."""
    corroborated: bool = False
    """True once the rule's corroboration threshold (independent sources in its window) was reached."""
    evidence: Annotated[list[Evidence], Field(min_length=1, max_length=50)]
    """The reports behind the alert (capped at 50, newest kept)."""
    window: WindowStats
    """Counts over the evidence window."""
    escalation: Escalation | None = None
    """The count behind a ``surge`` / ``first_seen`` alert."""
