"""Event alerts: one per story, one per rule and dyad within the cooldown, updates carry the
evidence, corroboration by independent outlets raises the severity, re-deliveries change nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from schemas import Actor, Alert, Event
from streams.alerting.rules import load_rules
from streams.alerting.stage import AlertBook, alert_id_for, evaluate
from tests.alerting.factories import NATANZ, make_event

NOW = datetime(2025, 6, 13, 18, 1, tzinfo=UTC)
T0 = datetime(2025, 6, 13, 18, tzinfo=UTC)
RULES = load_rules()
SYR = Actor(text="Syria", name="Syria", country="SYR", sector="GOV", code="SYRGOV")


def feed(events: Iterable[Event], book: AlertBook | None = None) -> list[Alert]:
    """Every alert version the events publish, stored as the agent stores them."""
    book = book if book is not None else AlertBook({})
    published = []
    for event in events:
        change = evaluate(event, RULES, book, now=NOW)
        if change is not None:
            book.remember(change.alert, event)
            if change.publish:
                published.append(change.alert)
    return published


def attack(
    story: str, *, outlet: str = "Example Wire", article: str = "a1", minutes: float = 0, **fields: object
) -> Event:
    """A plain (non-nuclear) Israeli strike on Iran, reported by ``outlet`` at T0 + ``minutes``."""
    values: dict[str, object] = {
        "story_id": "st-" + story * 20,
        "article_id": article,
        "outlet": outlet,
        "published_at": T0 + timedelta(minutes=minutes),
    }
    values.update(fields)
    return make_event(f"Israeli jets struck a convoy ({story}).", **values)


def test_first_matching_event_raises_a_critical_alert_with_evidence() -> None:
    event = make_event(places=[NATANZ])
    [alert] = feed([event])
    assert (alert.severity, alert.rule, alert.version, alert.kind) == (
        "critical",
        "nuclear-facility-strike",
        1,
        "event",
    )
    assert alert.alert_id == alert_id_for("nuclear-facility-strike|ISR|IRN", event.story_id)
    assert alert.evidence[0].sentence == event.sentence
    assert alert.evidence[0].article_url == "https://example.test/a1"
    assert alert.places == ["Natanz"]
    assert alert.countries == ["IRN", "ISR"]
    assert Alert.from_json(alert.to_json()) == alert


def test_second_report_of_the_story_updates_the_same_alert() -> None:
    first, second = feed(
        [make_event(), make_event("Israeli jets struck again overnight.", article_id="a2", outlet="Other Wire")]
    )
    assert (second.alert_id, second.version, second.severity) == (first.alert_id, 2, "critical")
    assert second.sources == ["Example Wire", "Other Wire"]
    assert second.window.outlets == 2 and second.window.events == 2


def test_redelivered_event_publishes_nothing() -> None:
    event = make_event()
    assert len(feed([event, event])) == 1


def test_stronger_rule_escalates_an_existing_alert() -> None:
    plain, nuclear = feed([make_event("Israeli jets struck a convoy."), make_event(article_id="a2")])
    assert plain.severity == "warning"
    assert (nuclear.alert_id, nuclear.version, nuclear.severity) == (plain.alert_id, 2, "critical")
    assert nuclear.rule == "nuclear-facility-strike"
    assert nuclear.triggered_at == plain.triggered_at


def test_unmatched_event_raises_nothing() -> None:
    event = make_event(
        "Putin held a phone call with Netanyahu.", code="041", root_code="04", quad_class=1, goldstein=1.0
    )
    assert feed([event]) == []


def test_another_story_of_the_same_rule_and_dyad_within_the_cooldown_updates_the_alert() -> None:
    first, second = feed([attack("1"), attack("2", article="a2", minutes=30)])
    assert (second.alert_id, second.version) == (first.alert_id, 2)
    assert second.stories == [first.story_id, "st-" + "2" * 20]


def test_a_second_matching_event_of_an_article_already_cited_adds_evidence_without_a_new_version() -> None:
    book = AlertBook({})
    first, second = feed([attack("1"), attack("2", minutes=1)], book)[0], attack("3", article="a2", outlet="Other Wire")
    assert first.version == 1
    [update] = feed([second], book)
    assert update.version == 2
    assert [e.story_id for e in update.evidence] == ["st-" + "1" * 20, "st-" + "2" * 20, "st-" + "3" * 20]


def test_an_article_that_raises_the_severity_publishes_at_once() -> None:
    plain, nuclear = feed([make_event("Israeli jets struck a convoy."), make_event()])
    assert (plain.version, nuclear.version, nuclear.severity) == (1, 2, "critical")


def test_another_story_after_the_cooldown_raises_a_new_alert() -> None:
    first, second = feed([attack("1"), attack("2", article="a2", minutes=61)])
    assert second.alert_id != first.alert_id and second.version == 1


def test_a_report_of_an_alerted_story_after_the_cooldown_still_updates_its_alert() -> None:
    first, second = feed([attack("1"), attack("1", article="a2", outlet="Other Wire", minutes=300)])
    assert (second.alert_id, second.version) == (first.alert_id, 2)


def test_another_dyad_raises_its_own_alert() -> None:
    first, second = feed([attack("1"), attack("2", article="a2", minutes=5, target=SYR)])
    assert second.alert_id != first.alert_id
    assert second.key == "armed-attack|ISR|SYR"


def test_three_independent_outlets_within_a_day_make_an_attack_critical() -> None:
    alerts = feed(
        [
            attack("1"),
            attack("1", article="a2", outlet="Other Wire", minutes=60),
            attack("1", article="a3", outlet="Third Wire", minutes=600),
        ]
    )
    assert [a.severity for a in alerts] == ["warning", "warning", "critical"]
    assert [a.independent_sources for a in alerts] == [1, 2, 3]
    assert alerts[-1].corroborated


def test_copies_of_one_article_are_not_independent_confirmation() -> None:
    alerts = feed(
        [
            attack("1"),
            attack("1", article="a2", outlet="Other Wire", minutes=60, copy_of="a1"),
            attack("1", article="a3", outlet="Third Wire", minutes=90, copy_of="a1"),
        ]
    )
    assert [a.severity for a in alerts] == ["warning", "warning", "warning"]
    assert alerts[-1].independent_sources == 1 and alerts[-1].sources == ["Example Wire", "Other Wire", "Third Wire"]


def test_reports_further_apart_than_the_corroboration_window_do_not_corroborate() -> None:
    alerts = feed(
        [
            attack("1"),
            attack("1", article="a2", outlet="Other Wire", minutes=60 * 20),
            attack("1", article="a3", outlet="Third Wire", minutes=60 * 30),
        ]
    )
    assert alerts[-1].severity == "warning" and not alerts[-1].corroborated


def test_severity_is_never_lowered_by_a_weaker_rule() -> None:
    nuclear, plain = feed([make_event(), make_event("Israeli jets struck a convoy.", article_id="a2")])
    assert (plain.alert_id, plain.severity, plain.rule) == (nuclear.alert_id, "critical", "nuclear-facility-strike")


def test_a_report_naming_no_target_joins_the_alert_its_article_raised_for_the_source() -> None:
    book = AlertBook({})
    [alert] = feed([attack("1"), attack("2", target=None)], book)
    stored = book.alert(alert.key)
    assert stored is not None and [e.story_id for e in stored.evidence] == ["st-" + "1" * 20, "st-" + "2" * 20]


def test_a_report_naming_no_target_in_another_article_raises_its_own_alert() -> None:
    first, second = feed([attack("1"), attack("2", article="a2", target=None)])
    assert second.alert_id != first.alert_id and second.key == "armed-attack|ISR|-"
