"""Timelines: scripted happenings and reports → exactly the expected alerts.

Surges are measured per hour (10-minute steps) against six hours of history; at least four
happenings and z ≥ 3 make a surge; a subject fires once per two hours unless the surge
grows by four more. Minutes are from T0.
"""

from __future__ import annotations

from tests.alerting.factories import IRN, ISR
from tests.alerting.timeline import Timeline, rules

SURGES_YAML = """
escalation:
  window: 1h
  step: 10m
  baseline_windows: 6
  alpha: 0.3
  z: 3
  min_std: 1
  min_count: 4
  per_country: false
  cooldown: 2h
"""
SURGES = rules(SURGES_YAML)
FIRST_SEEN = rules("first_seen: {retention: 1d, learning: 0s, severity: warning}\n")


def test_a_steady_dyad_raises_nothing() -> None:
    t = Timeline(SURGES)
    t.quiet(0, 12 * 60, every=30)  # two an hour, for twelve hours
    assert t.alerts == []


def test_a_burst_after_a_quiet_period_raises_one_surge_when_the_fourth_happening_arrives() -> None:
    t = Timeline(SURGES)
    t.quiet(0, 8 * 60, every=60)
    for minute in (480, 485, 490, 495):
        t.happening(minute)
    [surge] = t.alerts
    assert (surge.kind, surge.rule, surge.severity, surge.version) == ("surge", "surge", "warning", 1)
    assert surge.escalation is not None
    assert surge.escalation.subject == "dyad ISR→IRN (material conflict)"
    assert surge.escalation.count == 4
    assert surge.escalation.baseline == 1.0 and surge.escalation.z_score == 3.0
    assert surge.evidence[-1].reported_at.hour == 8 and surge.evidence[-1].reported_at.minute == 15


def test_a_growing_burst_updates_its_surge_only_when_it_has_grown_by_the_minimum_count() -> None:
    t = Timeline(SURGES)
    t.quiet(0, 8 * 60, every=60)
    for minute in range(480, 480 + 12 * 4, 4):  # twelve in 48 minutes
        t.happening(minute)
    assert [(a.version, a.escalation.count if a.escalation else None) for a in t.alerts] == [(1, 4), (2, 8), (3, 12)]
    assert len({a.alert_id for a in t.alerts}) == 1


def test_a_second_burst_after_the_cooldown_raises_a_new_surge() -> None:
    t = Timeline(SURGES)
    for minute in (0, 5, 10, 15):
        t.happening(minute)
    for minute in (300, 305, 310, 315):  # five hours later: the first burst is in the baseline, the cooldown over
        t.happening(minute)
    first, second = t.alerts
    assert first.alert_id != second.alert_id and second.version == 1


def test_a_second_burst_within_the_cooldown_that_is_no_bigger_raises_nothing() -> None:
    t = Timeline(SURGES)
    for minute in (0, 5, 10, 15):
        t.happening(minute)
    for minute in (80, 85, 90, 95):  # a new window, still within the two-hour cooldown
        t.happening(minute)
    assert len(t.alerts) == 1


def test_a_slow_build_up_is_absorbed_by_the_baseline() -> None:
    t = Timeline(SURGES)
    for hour in range(10):  # 1, 1, 2, 2, 3, 3, …: the EWMA keeps up
        n = 1 + hour // 2
        for i in range(n):
            t.happening(hour * 60 + i * (60 / n))
    assert t.alerts == []


def test_a_sudden_jump_after_a_slow_build_up_still_fires() -> None:
    t = Timeline(SURGES)
    for hour in range(6):
        n = 1 + hour // 2
        for i in range(n):
            t.happening(hour * 60 + i * (60 / n))
    for minute in range(360, 390, 3):  # ten in half an hour
        t.happening(minute)
    assert [(a.kind, a.version) for a in t.alerts] == [("surge", 1), ("surge", 2)]  # fired, then grew by four


def test_many_reports_of_one_happening_are_not_a_surge() -> None:
    t = Timeline(SURGES)
    strike = t.happening(0)
    for i in range(20):
        t.report(1 + i, strike, outlet=f"Outlet {i}")
    assert t.alerts == []


def test_planned_and_negated_happenings_are_not_counted() -> None:
    t = Timeline(SURGES)
    for minute in (0, 5, 10):
        t.happening(minute, modality="planned")
        t.happening(minute + 1, negated=True)
    t.happening(20)
    assert t.alerts == []


def test_verbal_and_material_conflict_are_counted_apart() -> None:
    t = Timeline(SURGES)
    for minute in (0, 5):
        t.happening(minute, code="111", quad_class=3, goldstein=-2.0)
        t.happening(minute + 1)
    assert t.alerts == []


def test_per_country_counts_join_both_directions() -> None:
    t = Timeline(rules(SURGES_YAML.replace("per_country: false", "per_country: true")))
    for minute in (0, 5):
        t.happening(minute, ISR, IRN)
        t.happening(minute + 1, IRN, ISR)
    subjects = sorted(a.escalation.subject for a in t.alerts if a.escalation)
    assert subjects == ["country IRN (material conflict)", "country ISR (material conflict)"]


def test_a_dyads_first_material_conflict_is_first_seen_once_within_the_retention() -> None:
    t = Timeline(FIRST_SEEN)
    t.happening(0)
    t.happening(60)
    t.happening(23 * 60)
    assert [(a.kind, a.rule, a.key) for a in t.alerts] == [("first_seen", "first-seen", "first-seen|dyad|ISR|IRN|4")]


def test_a_dyad_quiet_for_longer_than_the_retention_is_first_seen_again() -> None:
    t = Timeline(FIRST_SEEN)
    t.happening(0)
    t.happening(3 * 24 * 60)
    first, again = t.alerts
    assert first.alert_id != again.alert_id


def test_the_reverse_direction_is_another_dyad() -> None:
    t = Timeline(FIRST_SEEN)
    t.happening(0, ISR, IRN)
    t.happening(10, IRN, ISR)
    assert [a.key for a in t.alerts] == ["first-seen|dyad|ISR|IRN|4", "first-seen|dyad|IRN|ISR|4"]


def test_verbal_conflict_is_never_first_seen() -> None:
    t = Timeline(FIRST_SEEN)
    t.happening(0, code="111", quad_class=3, goldstein=-2.0)
    assert t.alerts == []


def test_nothing_is_first_seen_while_the_worker_is_still_learning() -> None:
    t = Timeline(rules("first_seen: {retention: 2d, learning: 1d}\n"))
    t.happening(0, ISR, IRN)
    t.happening(12 * 60, IRN, ISR)  # learning: remembered, not alerted
    t.happening(25 * 60, ISR, IRN)  # seen within the retention
    t.happening(26 * 60, ISR, ISR)  # a new dyad after the learning day
    assert [a.key for a in t.alerts] == ["first-seen|dyad|ISR|ISR|4"]


EVENT_RULES = rules(
    """
rules:
  - name: armed-attack
    severity: warning
    when: {root_codes: ["19"], modalities: [asserted, reported]}
    cooldown: 1h
    corroboration: {sources: 3, within: 24h, severity: critical}
    title: "Armed attack: {source} → {target}"
    summary: "{sentence}"
"""
)


def test_repeated_reports_update_one_alert_and_corroboration_makes_it_critical() -> None:
    t = Timeline(EVENT_RULES)
    strike = t.happening(0)
    t.report(10, strike, outlet="Second Wire")
    t.report(11, strike, outlet="Second Wire")  # the same outlet again: not a new source
    t.report(20, strike, outlet="Third Wire", copy_of="story-article-1")  # a copy: not independent
    t.report(30, strike, outlet="Fourth Wire")
    assert [(a.version, a.severity, a.independent_sources) for a in t.alerts] == [
        (1, "warning", 1),
        (2, "warning", 2),
        (3, "warning", 2),
        (4, "warning", 2),
        (5, "critical", 3),
    ]
    assert len({a.alert_id for a in t.alerts}) == 1


def test_a_night_of_strikes_is_one_alert_per_cooldown() -> None:
    t = Timeline(EVENT_RULES)
    for minute in range(0, 180, 15):  # twelve strikes in three hours
        t.happening(minute)
    ids = [a.alert_id for a in t.alerts]
    assert len(ids) == 12 and len(set(ids)) == 3  # a new alert each hour, the rest updates
    assert [a.version for a in t.alerts] == [1, 2, 3, 4] * 3


# Redelivery: a worker that dies after counting a happening but before committing its offset
# hands it to the next owner of the partition, which must neither count it twice nor lose the
# alert it raised.


def test_a_redelivered_happening_is_counted_once() -> None:
    t = Timeline(SURGES)
    t.quiet(0, 8 * 60, every=60)
    burst = [t.happening(minute) for minute in (480, 485, 490)]
    assert t.redeliver(burst[-1]) == []  # were it counted again, this would be the fourth: a surge
    t.happening(495)
    [surge] = t.alerts
    assert surge.escalation is not None and surge.escalation.count == 4


def test_a_surge_that_died_with_its_worker_is_raised_by_the_redelivery() -> None:
    t = Timeline(SURGES)
    t.quiet(0, 8 * 60, every=60)
    burst = [t.happening(minute) for minute in (480, 485, 490, 495)]
    [again] = t.redeliver(burst[-1], published=False)
    assert (again.kind, again.version) == ("surge", 1)
    assert again.escalation is not None and again.escalation.count == 4


def test_a_published_surge_is_not_raised_again_by_a_redelivery() -> None:
    t = Timeline(SURGES)
    t.quiet(0, 8 * 60, every=60)
    burst = [t.happening(minute) for minute in (480, 485, 490, 495)]
    assert len(t.alerts) == 1
    assert t.redeliver(burst[-1]) == []


def test_a_first_seen_alert_that_died_with_its_worker_is_raised_by_the_redelivery() -> None:
    t = Timeline(FIRST_SEEN)
    first = t.happening(0)
    [again] = t.redeliver(first, published=False)
    assert (again.kind, again.key, again.story_id) == ("first_seen", "first-seen|dyad|ISR|IRN|4", first.story_id)


def test_a_published_first_seen_alert_is_not_raised_again_by_a_redelivery() -> None:
    t = Timeline(FIRST_SEEN)
    first = t.happening(0)
    t.happening(30)
    assert len(t.alerts) == 1
    assert t.redeliver(first) == []
