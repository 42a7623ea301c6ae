"""One alert per story; later reports update it; re-deliveries change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import Alert
from streams.alerting.rules import load_rules
from streams.alerting.stage import alert_id_for, evaluate
from tests.alerting.factories import make_event

NOW = datetime(2025, 6, 13, 18, 1, tzinfo=UTC)
RULES = load_rules()


def test_first_matching_event_raises_a_critical_alert_with_evidence() -> None:
    event = make_event()
    alert = evaluate(event, RULES, {}, now=NOW)
    assert alert is not None
    assert (alert.severity, alert.rule, alert.version) == ("critical", "nuclear-facility-strike", 1)
    assert alert.alert_id == alert_id_for(event.story_id)
    assert alert.evidence[0].sentence == event.sentence
    assert alert.evidence[0].article_url == "https://example.test/a1"
    assert alert.countries == ["IRN", "ISR"]
    assert Alert.from_json(alert.to_json()) == alert


def test_second_report_of_the_story_updates_the_same_alert() -> None:
    first = evaluate(make_event(), RULES, {}, now=NOW)
    assert first is not None
    second_event = make_event("Israeli jets struck again overnight.", article_id="a2", outlet="Other Wire")
    second = evaluate(second_event, RULES, {first.story_id: first}, now=NOW)
    assert second is not None
    assert (second.alert_id, second.version, second.severity) == (first.alert_id, 2, "critical")
    assert second.sources == ["Example Wire", "Other Wire"]
    assert second.window.outlets == 2 and second.window.events == 2


def test_redelivered_event_publishes_nothing() -> None:
    event = make_event()
    first = evaluate(event, RULES, {}, now=NOW)
    assert first is not None
    assert evaluate(event, RULES, {first.story_id: first}, now=NOW) is None


def test_stronger_rule_escalates_an_existing_alert() -> None:
    plain = evaluate(make_event("Israeli jets struck a convoy."), RULES, {}, now=NOW)
    assert plain is not None and plain.severity == "warning"
    nuclear = evaluate(make_event(), RULES, {plain.story_id: plain}, now=NOW)
    assert nuclear is not None
    assert (nuclear.alert_id, nuclear.version, nuclear.severity) == (plain.alert_id, 2, "critical")
    assert nuclear.triggered_at == plain.triggered_at


def test_unmatched_event_raises_nothing() -> None:
    event = make_event(
        "Putin held a phone call with Netanyahu.", code="041", root_code="04", quad_class=1, goldstein=1.0
    )
    assert evaluate(event, RULES, {}, now=NOW) is None
