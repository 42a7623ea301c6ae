"""Story, alert and escalation steps on generated event streams: never an exception, valid messages,
alert versions only rise, and re-delivering an event changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Alert, Event
from streams.alerting.escalation import escalate, memory_state, routes
from streams.alerting.rules import load_rules
from streams.alerting.stage import AlertBook, evaluate
from streams.extraction.stories import StoryRules, continue_story
from tests.properties.strategies import events, examples

RULES = load_rules()
STORY_RULES = StoryRules(window_days=1, retention=timedelta(days=7), max_per_key=5)
NOW = datetime(2025, 6, 14, tzinfo=UTC)
streams_of_events = st.lists(events(), min_size=1, max_size=12)


def _round_trips(message: Event | Alert) -> None:
    assert type(message).from_json(message.to_json()) == message


@settings(max_examples=examples(60))
@given(streams_of_events)
def test_story_step_publishes_valid_events_and_redelivery_changes_nothing(stream: list[Event]) -> None:
    book: dict[str, bytes] = {}
    for n, event in enumerate(stream):
        now = NOW + timedelta(minutes=n)
        update = continue_story(event, book, rules=STORY_RULES, now=now)
        _round_trips(update.event)
        assert update.event.mentions >= 1 and update.event.sources >= 1
        before = dict(book)
        again = continue_story(event, book, rules=STORY_RULES, now=now)
        assert again.verdict == "redelivered"
        assert (again.event.mentions, again.event.sources) == (update.event.mentions, update.event.sources)
        assert book == before


@settings(max_examples=examples(60))
@given(streams_of_events)
def test_alert_versions_only_rise_and_redelivery_raises_nothing(stream: list[Event]) -> None:
    book = AlertBook({})
    versions: dict[str, int] = {}
    for n, event in enumerate(stream):
        now = NOW + timedelta(minutes=n)
        change = evaluate(event, RULES, book, now=now)
        if change is None:
            continue
        _round_trips(change.alert)
        if change.publish:
            assert change.alert.version > versions.get(change.alert.alert_id, 0)
            versions[change.alert.alert_id] = change.alert.version
        book.remember(change.alert, event)
        assert evaluate(event, RULES, book, now=now) is None  # the same report again: nothing new


@settings(max_examples=examples(60))
@given(streams_of_events)
def test_escalation_gives_valid_alerts_whose_versions_rise(stream: list[Event]) -> None:
    state = memory_state(RULES.escalation)
    since = NOW - timedelta(days=365)
    versions: dict[str, int] = {}
    for n, event in enumerate(stream):
        for subject in routes(event, RULES.escalation, RULES.first_seen):
            for alert in escalate(
                event, subject, RULES.escalation, RULES.first_seen, state, since=since, now=NOW + timedelta(minutes=n)
            ):
                _round_trips(alert)
                assert alert.kind in ("surge", "first_seen")
                assert alert.version > versions.get(alert.alert_id, 0)
                versions[alert.alert_id] = alert.version
