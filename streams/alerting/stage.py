"""Alert stage: an event in, the alert it raises or updates out.

One alert per story (same real-world happening): a later event of the same story adds
evidence and publishes a new version of the same alert, raising the severity when a
stronger rule matches. State is the last version of each alert, passed in by the caller
(a Faust table in the stream, a dict offline), so this module stays pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from schemas import Alert, Event, Evidence, WindowStats
from streams.alerting.rules import SEVERITY_RANK, Rule, RuleSet, event_countries

MAX_EVIDENCE = 50


def alert_id_for(story_id: str) -> str:
    """Deterministic alert id of a story, so re-delivery and replays never raise a second alert."""
    return "al-" + hashlib.sha256(f"alert|{story_id}".encode()).hexdigest()[:20]


class _SafeDict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(template: str, event: Event) -> str:
    target = event.target
    places = ", ".join(p.name for p in event.places)
    values = _SafeDict(
        source=event.source.name,
        target=target.name if target else "unidentified target",
        source_country=event.source.country or "international",
        target_country=(target.country or "international") if target else "n/a",
        label=event.label,
        code=event.code,
        places=f" in {places}" if places else "",
        date=event.date.isoformat(),
        sentence=event.sentence,
        outlet=event.outlet or "unknown outlet",
    )
    return template.format_map(values)


def _evidence(event: Event) -> Evidence:
    return Evidence(
        event_id=event.event_id,
        article_id=event.article_id,
        article_url=event.article_url,
        outlet=event.outlet,
        sentence=event.sentence,
    )


def _event_time(event: Event) -> datetime:
    return event.published_at or event.coded_at


def _window(previous: WindowStats | None, event: Event, evidence: list[Evidence]) -> WindowStats:
    t = _event_time(event)
    return WindowStats(
        start=min(previous.start, t) if previous else t,
        end=max(previous.end, t) if previous else t,
        events=len(evidence),
        articles=len({e.article_id for e in evidence}),
        outlets=len({e.outlet for e in evidence if e.outlet}),
    )


def evaluate(event: Event, rules: RuleSet, book: Mapping[str, Alert], *, now: datetime) -> Alert | None:
    """The alert (new, or a new version) that ``event`` causes, or None.

    ``book`` maps story ids to the latest published version of their alert. An event
    already in the evidence from the same article (a re-delivery) changes nothing and
    returns None; the same event reported by another article (a story update) is evidence.
    """
    hits = rules.matching(event)
    if not hits:
        return None
    rule: Rule = max(hits, key=lambda r: SEVERITY_RANK[r.severity])
    previous = book.get(event.story_id)
    if previous is not None and any(
        (e.event_id, e.article_id) == (event.event_id, event.article_id) for e in previous.evidence
    ):
        return None  # a re-delivery; a story update from another article is new evidence
    evidence = [*(previous.evidence if previous else []), _evidence(event)][-MAX_EVIDENCE:]
    countries = event_countries(event) | set(previous.countries if previous else [])
    outlets = {event.outlet} if event.outlet else set()
    if previous is not None:
        outlets |= set(previous.sources)
        if SEVERITY_RANK[previous.severity] >= SEVERITY_RANK[rule.severity]:
            # Keep the stronger rule's wording; the new report only adds evidence.
            return previous.model_copy(
                update={
                    "version": previous.version + 1,
                    "updated_at": now,
                    "countries": sorted(countries),
                    "sources": sorted(outlets),
                    "evidence": evidence,
                    "window": _window(previous.window, event, evidence),
                }
            )
    return Alert(
        alert_id=alert_id_for(event.story_id),
        version=previous.version + 1 if previous else 1,
        rule=rule.name,
        severity=rule.severity,
        title=_render(rule.title, event)[:300],
        summary=_render(rule.summary, event)[:5_000],
        story_id=event.story_id,
        countries=sorted(countries),
        triggered_at=previous.triggered_at if previous else now,
        updated_at=now,
        sources=sorted(outlets),
        evidence=evidence,
        window=_window(previous.window if previous else None, event, evidence),
    )
