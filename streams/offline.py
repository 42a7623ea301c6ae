"""``wirewatch process``: the stream's handlers over files, without a broker.

Runs exactly the record handlers the agents run, feeding each stage the bytes the
previous one would have published, and writes one JSONL file per output topic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from schemas import Alert, DeadLetter, Event, WireModel
from streams.alerting.escalation import memory_state, routes
from streams.alerting.rules import RuleSet, load_rules
from streams.alerting.stage import AlertBook, reported_at
from streams.cleaning.duplicates import DuplicateIndex
from streams.deadletters import Record
from streams.extraction import actors, coder
from streams.inputs import InputMessage
from streams.pipeline import (
    apply_reports,
    apply_story,
    handle_clean,
    handle_escalation,
    handle_event,
    handle_raw,
    mark_duplicate,
)
from streams.settings import Settings


@dataclass
class OfflineResult:
    """Messages per output topic, in publication order."""

    by_topic: dict[str, list[WireModel]] = field(default_factory=dict)

    def add(self, topic: str, messages: Iterable[WireModel]) -> None:
        self.by_topic.setdefault(topic, []).extend(messages)

    def count(self, topic: str) -> int:
        return len(self.by_topic.get(topic, []))


class OfflineAlerting:
    """The alert and escalate agents over published events, in order, with state in dicts."""

    def __init__(self, settings: Settings, rules: RuleSet) -> None:
        self.settings = settings
        self.rules = rules
        self.book = AlertBook({})
        self.state = memory_state(rules.escalation)
        self.since: datetime | None = None

    def publish(
        self, event: Event, verdict: str, *, now: datetime | None = None
    ) -> tuple[list[Alert], list[DeadLetter]]:
        """What the story step published (``event``, and whether it was a ``new`` happening) →
        the alerts and dead letters it causes, as the stream would publish them."""
        settings, rules = self.settings, self.rules
        out = handle_event(Record(value=event.to_json()), settings, rules, self.book, now=now)
        alerts, dead = list(out.alerts), list(out.dead_letters)
        for alert in [*out.alerts, *out.folded]:
            self.book.remember(alert, event)
        if verdict != "new":
            return alerts, dead  # escalations count happenings, not reports
        return [*alerts, *self.escalate(event, dead, now=now)], dead

    def escalate(self, event: Event, dead: list[DeadLetter], *, now: datetime | None = None) -> list[Alert]:
        """A new happening through the escalate agent, once per subject it is routed to."""
        alerts: list[Alert] = []
        for subject in routes(event, self.rules.escalation, self.rules.first_seen):
            self.since = self.since or reported_at(event)
            record = Record(value=event.to_json(), key=subject.key.encode())
            escalated = handle_escalation(record, self.settings, self.rules, self.state, since=self.since, now=now)
            dead.extend(escalated.dead_letters)
            for alert in escalated.alerts:
                self.state.book.remember(alert)
                alerts.append(alert)
        return alerts


def process_messages(messages: Iterable[InputMessage], settings: Settings) -> OfflineResult:
    """Run clean → extract → story → alert over ``messages``; dead letters collected like the stream does."""
    rules = load_rules(settings.rules_file)
    actors.configure(settings.actors_file)  # a bad actors file fails here, before any article
    coder.configure_patterns(settings.patterns_file)  # so does a bad patterns file
    alerting = OfflineAlerting(settings, rules)
    duplicate_index = DuplicateIndex({})
    report_book: dict[str, bytes] = {}
    story_book: dict[str, bytes] = {}
    result = OfflineResult()
    for topic in (settings.topic_clean, settings.topic_events, settings.topic_alerts, settings.topic_deadletter):
        result.add(topic, [])
    for message in messages:
        raw_out = handle_raw(Record(value=message.value, key=message.key), settings)
        result.add(settings.topic_deadletter, raw_out.dead_letters)
        for cleaned, fp in zip(raw_out.clean, raw_out.fingerprints, strict=True):
            article = mark_duplicate(cleaned, duplicate_index, settings, fp=fp)
            result.add(settings.topic_clean, [article])
            clean_out = handle_clean(Record(value=article.to_json(), key=article.id.encode()), settings)
            clean_out = apply_reports(article, clean_out, report_book)
            result.add(settings.topic_deadletter, clean_out.dead_letters)
            for coded in clean_out.events:
                update = apply_story(coded, story_book, settings)
                event = update.event
                result.add(settings.topic_events, [event])
                alerts, dead = alerting.publish(event, update.verdict)
                result.add(settings.topic_alerts, alerts)
                result.add(settings.topic_deadletter, dead)
    return result


def write_result(result: OfflineResult, out_dir: Path) -> dict[str, Path]:
    """Write ``DIR/<topic>.jsonl`` for every output topic (empty files included)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for topic, messages in result.by_topic.items():
        path = out_dir / f"{topic}.jsonl"
        with path.open("wb") as fh:
            for message in messages:
                fh.write(message.to_json() + b"\n")
        paths[topic] = path
    return paths
