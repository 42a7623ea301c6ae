"""Event alerts: an event in, the alert it raises or updates out.

One alert per story (one real-world happening), and at most one new alert per rule and
dyad (source country, target country) per cooldown; a report that names no target joins
the alert its article already raised for the same source and rule: a further report of a story that has
an alert, or another story of the same rule and dyad within the rule's cooldown, publishes
a new version of that alert (same ``alert_id``, ``version`` + 1) with the report added to
its evidence. The severity only rises: when a stronger rule matches, and when enough
independent outlets (copies of another article do not count) reported the alert's events
within the rule's corroboration window. Cooldown and corroboration are measured in event
time (the report's publication time), so a replay raises exactly what the live run raised.

State is the :class:`AlertBook` over an injected key-value store (a changelog-backed Faust
table in the stream, a dict offline), so this module stays pure. The alert agent's input is
keyed by :func:`partition_key`, so every alert of a dyad lives on one partition.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from schemas import Alert, Event, Evidence, WindowStats
from streams.alerting.rules import SEVERITY_RANK, Rule, RuleSet, event_countries
from streams.kvstore import KeyValueStore

MAX_EVIDENCE = 50
MAX_LISTED = 50


def _source_key(event: Event) -> str:
    return event.source.country or event.source.code or "-"


def partition_key(event: Event) -> str:
    """Key of the alert agent's input: the source's country, so every alert a source can
    update — its dyads' and its target-less reports' — lives on one partition."""
    return _source_key(event)


def alert_key(rule: Rule, event: Event) -> str:
    """Cooldown key of an event alert: the rule and the dyad's countries."""
    target = event.target.country if event.target is not None else None
    return f"{rule.name}|{_source_key(event)}|{target or '-'}"


def alert_id_for(key: str, first: str) -> str:
    """Deterministic alert id: the key and the first evidence (a story, an escalation window)."""
    return "al-" + hashlib.sha256(f"alert|{key}|{first}".encode()).hexdigest()[:20]


def reported_at(event: Event) -> datetime:
    """Event time of a report: when the article was published, else when it was coded."""
    return event.published_at or event.coded_at


class AlertBook:
    """The latest version of every alert (by key) and the alert of every story, in a key-value store.

    Values carry ``t`` (latest evidence time, seconds) so the store's periodic clean-up can
    drop alerts and stories not reported for the retention.
    """

    def __init__(self, store: KeyValueStore) -> None:
        self._store = store

    def alert(self, key: str) -> Alert | None:
        raw = self._store.get(f"alert|{key}")
        return Alert.model_validate(orjson.loads(raw)["alert"], strict=False) if raw is not None else None

    def key_of_story(self, story_id: str) -> str | None:
        raw = self._store.get(f"story|{story_id}")
        return str(orjson.loads(raw)["key"]) if raw is not None else None

    def key_in_article(self, article_id: str, rule: str, source: str) -> str | None:
        """Key of the alert ``rule`` raised for ``source`` from ``article_id``, if any."""
        raw = self._store.get(f"article|{article_id}|{rule}|{source}")
        return str(orjson.loads(raw)["key"]) if raw is not None else None

    def remember(self, alert: Alert, event: Event | None = None) -> None:
        """Store ``alert`` as its key's latest version and, given the ``event`` that changed it,
        its story and its article (for the article's reports that name no target)."""
        t = alert.window.end.timestamp()
        self._store[f"alert|{alert.key}"] = orjson.dumps({"t": t, "alert": alert.model_dump(mode="json")})
        if event is not None:
            pointer = orjson.dumps({"t": t, "key": alert.key})
            self._store[f"story|{event.story_id}"] = pointer
            self._store[f"article|{event.article_id}|{alert.rule}|{_source_key(event)}"] = pointer


class _SafeDict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, event: Event) -> str:
    """A rule's title or summary template filled from ``event``."""
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


def evidence_of(event: Event) -> Evidence:
    """The report of ``event`` as alert evidence."""
    return Evidence(
        event_id=event.event_id,
        story_id=event.story_id,
        article_id=event.article_id,
        article_url=event.article_url,
        outlet=event.outlet,
        copy_of=event.copy_of,
        reported_at=reported_at(event),
        sentence=event.sentence,
    )


def independent_outlets(evidence: list[Evidence], *, within: timedelta | None = None) -> set[str]:
    """Outlets among ``evidence`` that are not copies of another article; with ``within``, only
    those whose reports fall in the ``within`` span ending at the latest report."""
    if within is not None and evidence:
        latest = max(e.reported_at for e in evidence)
        evidence = [e for e in evidence if latest - e.reported_at <= within]
    return {e.outlet or e.article_id for e in evidence if e.copy_of is None}


def window_of(evidence: list[Evidence]) -> WindowStats:
    """Counts over the evidence."""
    times = [e.reported_at for e in evidence]
    return WindowStats(
        start=min(times),
        end=max(times),
        events=len({e.event_id for e in evidence}),
        articles=len({e.article_id for e in evidence}),
        outlets=len({e.outlet for e in evidence if e.outlet}),
    )


def appended(items: list[str], new: list[str]) -> list[str]:
    """``items`` then the ``new`` ones not yet in it, first seen first, at most ``MAX_LISTED``."""
    out = list(items)
    for item in new:
        if item not in out and len(out) < MAX_LISTED:
            out.append(item)
    return out


def _corroborated(rule: Rule, evidence: list[Evidence]) -> bool:
    c = rule.corroboration
    return c is not None and len(independent_outlets(evidence, within=c.within)) >= c.sources


@dataclass(frozen=True, slots=True)
class Change:
    """What an event does to an alert: the alert as it now stands, and whether to publish it."""

    alert: Alert
    publish: bool
    """False when the event only adds evidence from an article the alert already cites at
    the same severity (one article → one page): stored, published with the next version."""


def evaluate(event: Event, rules: RuleSet, book: AlertBook, *, now: datetime) -> Change | None:
    """The alert change ``event`` causes, or None; the caller publishes the alert (when the
    change says so) and then stores it with ``book.remember(change.alert, event)``.

    A report already in the evidence (same event, same article: a re-delivery) changes nothing.
    """
    hits = rules.matching(event)
    if not hits:
        return None
    rule = max(hits, key=lambda r: SEVERITY_RANK[r.severity])  # first of the strongest, in file order
    story_key = book.key_of_story(event.story_id)
    previous = book.alert(story_key) if story_key is not None else None
    if previous is None and event.target is None:
        # "Russia attacked overnight", in an article that already raised "Russia → Ukraine":
        # the same article's report that names no target joins that alert.
        article_key = book.key_in_article(event.article_id, rule.name, _source_key(event))
        previous = book.alert(article_key) if article_key is not None else None
    if previous is None:
        key = alert_key(rule, event)
        latest = book.alert(key)
        if latest is not None and reported_at(event) - latest.window.start < rule.cooldown:
            previous = latest  # the same rule and dyad within the cooldown: an update
    if previous is not None and any(
        (e.event_id, e.article_id) == (event.event_id, event.article_id) for e in previous.evidence
    ):
        return None
    evidence = [*(previous.evidence if previous else []), evidence_of(event)][-MAX_EVIDENCE:]
    corroborated = _corroborated(rule, evidence) or bool(previous and previous.corroborated)
    severity = rule.severity
    if corroborated and rule.corroboration is not None:
        severity = max(severity, rule.corroboration.severity, key=SEVERITY_RANK.__getitem__)
    places = [p.name for p in event.places]
    common: dict[str, Any] = {
        "countries": sorted(event_countries(event) | set(previous.countries if previous else [])),
        "places": appended(previous.places if previous else [], places),
        "stories": appended(previous.stories if previous else [], [event.story_id]),
        "sources": sorted({e.outlet for e in evidence if e.outlet} | set(previous.sources if previous else [])),
        "independent_sources": len(independent_outlets(evidence)),
        "corroborated": corroborated,
        "evidence": evidence,
        "window": window_of(evidence),
        "updated_at": now,
    }
    if previous is None:
        key = alert_key(rule, event)
        alert = Alert(
            alert_id=alert_id_for(key, event.story_id),
            version=1,
            kind="event",
            key=key,
            rule=rule.name,
            severity=severity,
            title=render(rule.title, event)[:300],
            summary=render(rule.summary, event)[:5_000],
            story_id=event.story_id,
            triggered_at=now,
            **common,
        )
        return Change(alert, publish=True)
    stronger = SEVERITY_RANK[rule.severity] > SEVERITY_RANK[previous.severity] and rule.name != previous.rule
    if stronger:  # the stronger rule's wording; the alert keeps its id, key and first story
        common.update(
            rule=rule.name, title=render(rule.title, event)[:300], summary=render(rule.summary, event)[:5_000]
        )
    if SEVERITY_RANK[previous.severity] > SEVERITY_RANK[severity]:
        severity = previous.severity  # never lowered
    same_article = event.article_id in {e.article_id for e in previous.evidence}
    if same_article and severity == previous.severity and not stronger:
        common.pop("updated_at")
        return Change(previous.model_copy(update={"severity": severity, **common}), publish=False)
    return Change(
        previous.model_copy(update={"version": previous.version + 1, "severity": severity, **common}), publish=True
    )
