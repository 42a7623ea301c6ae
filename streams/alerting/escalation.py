"""Escalation alerts: surges of events per dyad and per country, and a dyad's first material conflict.

Counts are of happenings (the story step's new stories), not of reports: GDELT-style report
counts surge whenever one story is widely syndicated. Each counted event is routed once per
*subject* it belongs to — the dyad (source country, target country, QuadClass) and, with
``per_country``, each of its countries (QuadClass) — keyed by :func:`Subject.key`, so one
partition holds every count of a subject.

Windows hop: the counts live in buckets of ``step`` (a tumbling, changelog-backed Faust
windowed table in the stream: one changelog record per event and subject, where a hopping
table would write ``window / step`` of them), and a window's count is the sum of the
buckets it covers. The baseline is the EWMA (mean and variance) of the counts of the
``baseline_windows`` windows before the current one, oldest first; a subject with no
history has baseline 0, so ``min_count`` happenings in a window are a surge for it. All
times are event times (the report's publication time), so replays and scripted
timelines give exactly the alerts of the live run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import orjson

from schemas import Alert, Escalation, Event
from streams.alerting.rules import EscalationSpec, FirstSeenSpec
from streams.alerting.stage import (
    AlertBook,
    alert_id_for,
    appended,
    evidence_of,
    independent_outlets,
    reported_at,
    window_of,
)
from streams.kvstore import KeyValueStore

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


class BucketCounts(Protocol):
    """Event counts per (subject key, bucket start in epoch seconds)."""

    def count(self, key: str, bucket_start: float) -> int: ...

    def add(self, key: str, at: float) -> None:
        """Count one event at ``at`` (epoch seconds) in the bucket that holds it."""


class MemoryBuckets:
    """BucketCounts in a dict (offline runs and tests); buckets older than ``expires`` are dropped."""

    def __init__(self, step: timedelta, expires: timedelta) -> None:
        self._step = step.total_seconds()
        self._expires = expires.total_seconds()
        self._counts: dict[tuple[str, float], int] = {}
        self._newest = -math.inf

    def count(self, key: str, bucket_start: float) -> int:
        return self._counts.get((key, bucket_start), 0)

    def add(self, key: str, at: float) -> None:
        start = bucket_of(at, self._step)
        self._counts[(key, start)] = self._counts.get((key, start), 0) + 1
        if at > self._newest:
            self._newest = at
            cutoff = at - self._expires
            for stale in [k for k in self._counts if k[1] + self._step < cutoff]:
                del self._counts[stale]


def bucket_of(at: float, step: float) -> float:
    """Start of the bucket of ``step`` seconds that holds ``at`` (aligned to the epoch, as Faust's windows are)."""
    return at - (at % step)


def bucket_retention(spec: EscalationSpec) -> timedelta:
    """How long buckets must be kept: the current window and the baseline's windows, plus one step."""
    return spec.window * (spec.baseline_windows + 1) + spec.step


@dataclass(frozen=True, slots=True)
class Subject:
    """What is counted: a dyad or a country, in one QuadClass."""

    kind: str
    countries: tuple[str, ...]
    quad_class: int

    @property
    def key(self) -> str:
        return "|".join((self.kind, *self.countries, str(self.quad_class)))

    @property
    def label(self) -> str:
        return f"dyad {'→'.join(self.countries)}" if self.kind == "dyad" else f"country {self.countries[0]}"

    @classmethod
    def from_key(cls, key: str) -> Subject:
        """The subject of a routing key; ValueError for a key this module did not write."""
        kind, *rest = key.split("|")
        if kind not in ("dyad", "country") or len(rest) != (3 if kind == "dyad" else 2) or not rest[-1].isdigit():
            raise ValueError(f"not an escalation subject key: {key!r}")
        return cls(kind, tuple(rest[:-1]), int(rest[-1]))


def counted(event: Event, spec: EscalationSpec) -> bool:
    """Whether ``event`` is one of the happenings the escalation counts."""
    c = spec.count
    return (
        not event.negated
        and event.quad_class in c.quad_classes
        and event.modality in c.modalities
        and event.confidence >= c.min_confidence
    )


def subjects(event: Event, spec: EscalationSpec) -> list[Subject]:
    """The subjects a new happening counts for (none when it is not counted or names no country)."""
    if not counted(event, spec):
        return []
    source = event.source.country
    target = event.target.country if event.target is not None else None
    found: list[Subject] = []
    if source and target:
        found.append(Subject("dyad", (source, target), event.quad_class))
    if spec.per_country:
        for country in dict.fromkeys(c for c in (source, target) if c):
            found.append(Subject("country", (country,), event.quad_class))
    return found


def window_count(buckets: BucketCounts, key: str, end: float, spec: EscalationSpec) -> int:
    """Events of ``key`` in the window whose last bucket holds ``end``."""
    step = spec.step.total_seconds()
    last = bucket_of(end, step)
    n = round(spec.window.total_seconds() / step)
    return sum(buckets.count(key, last - i * step) for i in range(n))


def history(buckets: BucketCounts, key: str, end: float, spec: EscalationSpec) -> list[int]:
    """Counts of the ``baseline_windows`` windows before the current one, oldest first."""
    size = spec.window.total_seconds()
    return [window_count(buckets, key, end - k * size, spec) for k in range(spec.baseline_windows, 0, -1)]


def ewma(values: list[int], alpha: float) -> tuple[float, float]:
    """Exponentially weighted mean and standard deviation of ``values`` (oldest first)."""
    if not values:
        return 0.0, 0.0
    mean, var = float(values[0]), 0.0
    for x in values[1:]:
        diff = x - mean
        incr = alpha * diff
        mean += incr
        var = (1 - alpha) * (var + diff * incr)
    return mean, math.sqrt(max(var, 0.0))


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _duration(d: timedelta) -> str:
    s = int(d.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s % size == 0:
            return f"{s // size}{unit}"
    return f"{s}s"


def render(template: str, event: Event, subject: Subject, measure: Escalation, window: timedelta) -> str:
    """An escalation title or summary template filled in."""
    return template.format(
        subject=subject.label,
        count=measure.count,
        baseline=_fmt(measure.baseline),
        z=_fmt(measure.z_score),
        window=_duration(window),
        quad=QUAD_NAMES[subject.quad_class],
        label=event.label,
        sentence=event.sentence,
    )


def _escalation_alert(
    *,
    kind: str,
    rule: str,
    severity: str,
    key: str,
    first: str,
    event: Event,
    measure: Escalation,
    title: str,
    summary: str,
    previous: Alert | None,
    now: datetime,
) -> Alert:
    evidence = [*(previous.evidence if previous else []), evidence_of(event)][-50:]
    stories = appended(previous.stories if previous else [], [event.story_id])
    countries = sorted({*measure.subject.split(" ")[1].split("→"), *(previous.countries if previous else [])})
    places = appended(previous.places if previous else [], [p.name for p in event.places])
    outlets = {e.outlet for e in evidence if e.outlet}
    return Alert.model_validate(
        {
            "alert_id": previous.alert_id if previous else alert_id_for(key, first),
            "version": previous.version + 1 if previous else 1,
            "kind": kind,
            "key": key,
            "rule": rule,
            "severity": severity,
            "title": title[:300],
            "summary": summary[:5_000],
            "story_id": previous.story_id if previous else event.story_id,
            "stories": stories,
            "countries": [c for c in countries if c],
            "places": places,
            "triggered_at": previous.triggered_at if previous else now,
            "updated_at": now,
            "sources": sorted(outlets),
            "independent_sources": len(independent_outlets(evidence)),
            "corroborated": False,
            "evidence": evidence,
            "window": window_of(evidence),
            "escalation": measure,
        }
    )


def check_surge(
    event: Event,
    subject: Subject,
    state: EscalationState,
    spec: EscalationSpec,
    *,
    now: datetime,
) -> Alert | None:
    """Count ``event`` for ``subject``, then the surge alert (new or updated) it causes, or None.

    Within the cooldown of the subject's last surge alert, an update is published only when
    the count has grown by ``min_count`` since that alert's last version (a surge that keeps
    growing), so a busy window does not page once per event. A happening delivered again (a
    worker died after counting it, before committing) is counted once but decided again, so
    an alert lost with the worker is raised by the redelivery and a published one is not.
    """
    buckets, book = state.buckets, state.book
    at = reported_at(event).timestamp()
    marker = f"counted|{subject.key}|{event.event_id}"
    if state.seen.get(marker) is None:
        buckets.add(subject.key, at)
        state.seen[marker] = orjson.dumps({"t": at})
    count = window_count(buckets, subject.key, at, spec)
    if count < spec.min_count:
        return None
    mean, std = ewma(history(buckets, subject.key, at, spec), spec.alpha)
    z = (count - mean) / max(std, spec.min_std)
    if z < spec.z:
        return None
    step = spec.step.total_seconds()
    end = bucket_of(at, step) + step
    measure = Escalation(
        subject=f"{subject.label} ({QUAD_NAMES[subject.quad_class]})",
        quad_class=subject.quad_class,
        window_start=datetime.fromtimestamp(end - spec.window.total_seconds(), UTC),
        window_end=datetime.fromtimestamp(end, UTC),
        count=count,
        baseline=round(mean, 3),
        z_score=round(z, 3),
    )
    key = f"surge|{subject.key}"
    previous = book.alert(key)
    if previous is not None and reported_at(event) - previous.window.start < spec.cooldown:
        grown = previous.escalation is None or count >= previous.escalation.count + spec.min_count
        if not grown:
            return None
    else:
        previous = None
    title = render(spec.title, event, subject, measure, spec.window)
    summary = render(spec.summary, event, subject, measure, spec.window)
    return _escalation_alert(
        kind="surge",
        rule="surge",
        severity=spec.severity,
        key=key,
        first=measure.window_end.isoformat(),
        event=event,
        measure=measure,
        title=title,
        summary=summary,
        previous=previous,
        now=now,
    )


def check_first_seen(
    event: Event, seen: KeyValueStore, book: AlertBook, spec: FirstSeenSpec, *, since: datetime, now: datetime
) -> Alert | None:
    """The first-seen alert ``event`` raises: the dyad's first material conflict within the
    retention, once the worker has watched for ``spec.learning`` (from ``since``, its first
    counted event) — on a fresh deployment every dyad would otherwise be first seen."""
    target = event.target.country if event.target is not None else None
    if (
        event.negated
        or event.quad_class != 4
        or event.modality not in spec.modalities
        or event.confidence < spec.min_confidence
        or not event.source.country
        or not target
    ):
        return None
    subject = Subject("dyad", (event.source.country, target), 4)
    at = reported_at(event)
    raw = seen.get(f"seen|{subject.key}")
    kept = orjson.loads(raw) if raw is not None else {}
    if kept.get("by") == event.event_id:  # this happening again (a redelivery): decide as before
        last = _moment(kept.get("before"))
    else:
        last = _moment(kept.get("t"))
        newest = max(at, last or at)
        seen[f"seen|{subject.key}"] = orjson.dumps(
            {"t": newest.timestamp(), "before": last.timestamp() if last else None, "by": event.event_id}
        )
    if last is not None and at - last <= spec.retention:
        return None
    if at - since < spec.learning:
        return None
    key = f"first-seen|{subject.key}"
    raised = book.alert(key)
    if raised is not None and raised.story_id == event.story_id:
        return None  # raised and published for this happening before the redelivery
    measure = Escalation(
        subject=f"{subject.label} ({QUAD_NAMES[4]})",
        quad_class=4,
        window_start=last or at - spec.retention,
        window_end=at,
        count=1,
        baseline=0.0,
        z_score=0.0,
    )
    return _escalation_alert(
        kind="first_seen",
        rule="first-seen",
        severity=spec.severity,
        key=key,
        first=event.story_id,
        event=event,
        measure=measure,
        title=render(spec.title, event, subject, measure, spec.retention),
        summary=render(spec.summary, event, subject, measure, spec.retention),
        previous=None,
        now=now,
    )


def _moment(epoch: object) -> datetime | None:
    return datetime.fromtimestamp(float(epoch), UTC) if isinstance(epoch, int | float) else None


@dataclass
class EscalationState:
    """Where the escalation keeps its state: bucket counts, its alerts, the dyads seen."""

    buckets: BucketCounts
    book: AlertBook
    seen: KeyValueStore


def memory_state(spec: EscalationSpec | None) -> EscalationState:
    """Escalation state in dicts, for offline runs and tests."""
    buckets = (
        MemoryBuckets(spec.step, bucket_retention(spec)) if spec else MemoryBuckets(timedelta(minutes=5), timedelta(0))
    )
    return EscalationState(buckets=buckets, book=AlertBook({}), seen={})


def routes(event: Event, spec: EscalationSpec | None, first_seen: FirstSeenSpec | None) -> list[Subject]:
    """The subjects a new happening is routed to (each a message keyed by ``Subject.key``)."""
    found = subjects(event, spec) if spec is not None else []
    if first_seen is not None and event.quad_class == 4 and event.target is not None:
        dyad = Subject("dyad", (event.source.country or "", event.target.country or ""), 4)
        if all(dyad.countries) and dyad not in found:
            found.insert(0, dyad)
    return found


def escalate(
    event: Event,
    subject: Subject,
    spec: EscalationSpec | None,
    first_seen: FirstSeenSpec | None,
    state: EscalationState,
    *,
    since: datetime,
    now: datetime,
) -> list[Alert]:
    """The escalation alerts one routed happening causes for ``subject``."""
    alerts: list[Alert] = []
    if spec is not None and subject in subjects(event, spec):
        surge = check_surge(event, subject, state, spec, now=now)
        if surge is not None:
            alerts.append(surge)
    if first_seen is not None and subject.kind == "dyad" and subject.quad_class == 4:
        first = check_first_seen(event, state.seen, state.book, first_seen, since=since, now=now)
        if first is not None:
            alerts.append(first)
    return alerts
